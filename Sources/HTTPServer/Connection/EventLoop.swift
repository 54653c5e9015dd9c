#if canImport(Glibc)
import Glibc
#endif
import CLinux
import Dispatch
import Synchronization

/// One thread, one epoll set and its share of the connections. The server's listening socket
/// is shared by all loops (registered with EPOLLEXCLUSIVE, so one idle loop is woken per new
/// connection); the loop that accepts a connection hands it to whichever loop serves the
/// fewest, so the loops stay within one connection of each other however the wake-ups fell.
/// Connection state is touched only on this thread; other threads reach it only through
/// `post(_:)` (a mutex-guarded mailbox and an eventfd to wake the loop).
///
/// The loop makes the system calls; what they mean for a connection (when it times out, when
/// it lingers, when it closes) is decided by its `ConnectionStateMachine`.
final class EventLoop: @unchecked Sendable {
    enum Message: Sendable {
        /// A blocking responder finished.
        case completed(fd: Int32, connectionID: UInt64, response: HTTPResponse)
        /// Stop accepting and drain; cut what is still open at `deadline` (on the server's
        /// clock, counted from the call to `HTTPServer.shutdown()`, not from when the loop
        /// reads this).
        case shutdown(deadline: UInt64)
        /// Take in pending connections and input, apply every deadline at the clock's time,
        /// then signal.
        case checkDeadlines(DispatchSemaphore)
        /// Serve a connected socket (one end of a `socketpair()` in tests).
        case adopt(fd: Int32)
        /// Serve a connection another loop accepted (sent by `handOff(fd:remoteAddress:)`); it
        /// is already counted in `ServerContext.openConnections` and in this loop's `load`.
        case handOff(fd: Int32, remoteAddress: String)
    }

    private let context: ServerContext
    private let epollFD: Int32
    private let wakeFD: Int32
    private var listenerFD: Int32
    private let mailbox = Mutex(Mailbox())

    private struct Mailbox {
        var messages: [Message] = []
        /// Set when the loop has stopped and read its mailbox for the last time.
        var closed = false
    }

    private var connections: [Connection?] = []
    /// Connections this loop serves or has been handed and not yet taken in: what the loops
    /// compare to choose where a new connection goes, and what a draining loop waits to see
    /// reach zero.
    let load = Atomic<Int>(0)
    /// The server's other loops, set by `join(_:)` before any loop runs.
    private var peers: [EventLoop] = []
    /// Used on the loop's thread only (unchecked: see `Connection`).
    @exclusivity(unchecked) private var writer: ResponseWriter
    private var log: AccessLog
    /// This loop's shard of `Configuration.metrics`.
    private let metricsShard: Int
    private let clock: any MonotonicClock
    private let readBuffer: UnsafeMutableRawBufferPointer
    private static let readBufferSize = 64 * 1024
    /// A wake-up with at least this many events ends with `sched_yield()`; see `run()`.
    static let yieldAfterEvents: Int32 = 8
    /// Requests to check deadlines that arrived in this wake-up, answered at its end.
    private var deadlineChecksRequested: [DispatchSemaphore] = []

    private var now: UInt64
    private var nowWallClockMilliseconds = System.wallClockMilliseconds()
    private var draining = false
    private var drainDeadline: UInt64 = 0

    init(context: ServerContext, listenerFD: Int32) throws {
        self.context = context
        self.listenerFD = listenerFD
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketError("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SocketError("eventfd") }
        writer = ResponseWriter(serverName: context.configuration.serverName)
        log = AccessLog(enabled: context.configuration.accessLog)
        metricsShard = context.configuration.metrics?.claimShard() ?? 0
        clock = context.configuration.clock
        now = clock.nanoseconds()
        readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 16)
        try watch(listenerFD, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, operation: EPOLL_CTL_ADD)
        try watch(wakeFD, events: EPOLLIN.rawValue, operation: EPOLL_CTL_ADD)
    }

    deinit {
        readBuffer.deallocate()
        close(wakeFD)
        close(epollFD)
    }

    /// Tells the loop which loops it shares connections with; called once, before `run()`.
    func join(_ loops: [EventLoop]) {
        peers = loops.filter { $0 !== self }
    }

    /// Hands a message to the loop from any thread.
    func post(_ message: Message) {
        mailbox.withLock { $0.messages.append(message) }
        wake()
    }

    /// Hands the loop a connection another loop accepted and counts it in `load`. Returns false,
    /// leaving the connection to the caller, once the loop has stopped.
    func handOff(fd: Int32, remoteAddress: String) -> Bool {
        let taken = mailbox.withLock { mailbox in
            guard !mailbox.closed else { return false }
            load.add(1, ordering: .relaxed)
            mailbox.messages.append(.handOff(fd: fd, remoteAddress: remoteAddress))
            return true
        }
        if taken { wake() }
        return taken
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Runs until shutdown has drained every connection (or its grace period ran out).
    func run() {
        let maxEvents = 256
        var events = [epoll_event](repeating: epoll_event(), count: maxEvents)
        let checkInterval = max(1_000_000, context.configuration.deadlineCheckInterval)
        var nextCheck = now &+ checkInterval
        while true {
            let timeout: Int32 = draining ? 20 : Int32(clamping: checkInterval / 1_000_000)
            let count = events.withUnsafeMutableBufferPointer {
                epoll_wait(epollFD, $0.baseAddress, Int32(maxEvents), timeout)
            }
            now = clock.nanoseconds()
            nowWallClockMilliseconds = System.wallClockMilliseconds()
            if count > 0 {
                var acceptReady = false
                for index in 0..<Int(count) {
                    let event = events[index]
                    let fd = Int32(truncatingIfNeeded: event.data.u64)
                    if fd == wakeFD {
                        drainMailbox()
                    } else if fd == listenerFD {
                        acceptReady = true
                    } else if let connection = connection(fd) {
                        handle(event.events, on: connection)
                    }
                }
                // Accepting last: a descriptor closed in this batch cannot be reused by a new
                // connection while later events of the batch still name it.
                if acceptReady, listenerFD >= 0 { acceptConnections() }
                // After a large batch, let whatever else wants this CPU run before the next
                // wait: usually the readers of the responses just written (a proxy in front, a
                // local client). Without it a busy loop keeps the CPU for the scheduler's whole
                // slice, several milliseconds, while answers it has already sent wait unread,
                // and its latency turns bimodal: at 64 connections on `/`, wrk saw a p50 of
                // 0.3 ms and a p99 of 8 ms; with the yield, a p99 of 2.1 to 2.9 ms at as many
                // requests a second (docs/benchmarks.md). With nothing else runnable the call
                // returns at once.
                if count >= Self.yieldAfterEvents { sched_yield() }
            } else if count < 0, errno != EINTR {
                break
            }
            if !deadlineChecksRequested.isEmpty {
                if listenerFD >= 0, !acceptPaused { acceptConnections() }
                checkDeadlines(takingInPendingInput: true)
                for requester in deadlineChecksRequested { requester.signal() }
                deadlineChecksRequested.removeAll()
            }
            if now >= nextCheck {
                checkDeadlines(takingInPendingInput: false)
                resumeAccepting()
                nextCheck = now &+ checkInterval
            }
            log.flush()
            if draining, load.load(ordering: .relaxed) == 0 || now >= drainDeadline { break }
        }
        for case let connection? in connections { closeConnection(connection) }
        log.flush()
        let unread = mailbox.withLock { mailbox in
            mailbox.closed = true
            let taken = mailbox.messages
            mailbox.messages.removeAll()
            return taken
        }
        for case .handOff(let fd, _) in unread { dropHandedOff(fd) }
        for requester in deadlineChecksRequested + unread.compactMap(\.deadlineCheckRequester) {
            requester.signal()
        }
    }

    // MARK: - Accepting

    private func acceptConnections() {
        for _ in 0..<max(1, context.configuration.acceptsPerWakeUp) {
            switch Socket.accept(listenerFD) {
            case .wouldBlock:
                return
            case .failed(let code):
                if code == ECONNABORTED || code == EINTR { continue }
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    // Out of descriptors or memory. The listener stays readable, so watching it
                    // would spin: stop until a connection closes or the next deadline check.
                    pauseAccepting(code)
                }
                return
            case .accepted(let fd, let address):
                let total = context.openConnections.add(1, ordering: .relaxed).newValue
                if total > context.maxConnections {
                    refuseOverCapacity(fd)
                    continue
                }
                // A burst of connections wakes one loop, and left to it that loop would serve
                // most of them: a client on the busier loop waits for more of the others'
                // requests, and the tail latency of every client grows with the difference.
                let loop = leastLoaded()
                if loop !== self, loop.handOff(fd: fd, remoteAddress: address) { continue }
                load.add(1, ordering: .relaxed)
                register(fd, remoteAddress: address)
            }
        }
    }

    /// The loop serving the fewest connections, this one on a tie. While the server shuts down,
    /// this one: the others are closing theirs.
    private func leastLoaded() -> EventLoop {
        var chosen = self
        guard !isDraining else { return chosen }
        var fewest = load.load(ordering: .relaxed)
        for peer in peers {
            let count = peer.load.load(ordering: .relaxed)
            if count < fewest {
                chosen = peer
                fewest = count
            }
        }
        return chosen
    }

    /// A connection handed over while this loop drains, or left in its mailbox when it stopped.
    private func dropHandedOff(_ fd: Int32) {
        close(fd)
        load.subtract(1, ordering: .relaxed)
        context.openConnections.subtract(1, ordering: .relaxed)
    }

    private func register(_ fd: Int32, remoteAddress: String) {
        let connection = Connection(
            fd: fd, id: context.nextConnectionID.add(1, ordering: .relaxed).newValue,
            remoteAddress: remoteAddress, limits: context.limits,
            state: ConnectionStateMachine(timeouts: context.timeouts, maxLingerBytes: context.configuration.maxLingerBytes,
                                          now: now))
        if Int(fd) >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count + 64))
        }
        connections[Int(fd)] = connection
        updateInterest(connection)
    }

    /// A connected socket handed over from outside: served like an accepted one.
    private func adopt(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let total = context.openConnections.add(1, ordering: .relaxed).newValue
        if total > context.maxConnections || draining {
            refuseOverCapacity(fd)
            return
        }
        load.add(1, ordering: .relaxed)
        register(fd, remoteAddress: "")
    }

    /// Whether the listener is out of the epoll set after running out of resources.
    private var acceptPaused = false

    private func pauseAccepting(_ code: Int32) {
        guard !acceptPaused, listenerFD >= 0 else { return }
        var unused = epoll_event()
        epoll_ctl(epollFD, EPOLL_CTL_DEL, listenerFD, &unused)
        acceptPaused = true
        log.note("accept paused: \(System.describeError(code))", remote: "", wallClockMilliseconds: nowWallClockMilliseconds)
    }

    private func resumeAccepting() {
        guard acceptPaused, listenerFD >= 0, !draining else { return }
        acceptPaused = false
        try? watch(listenerFD, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, operation: EPOLL_CTL_ADD)
    }

    /// Over the connection cap: a canned 503 and close, without reading the request.
    private func refuseOverCapacity(_ fd: Int32) {
        let response = HTTPResponse.problem(.serviceUnavailable,
            detail: "The server is at its connection limit; try again shortly.", headers: [.retryAfter: "1"])
        var output = OutputQueue()
        _ = writer.write(response, keepAlive: false, version: .http1_1, omitBody: false,
                         nowSeconds: nowWallClockMilliseconds / 1000, into: &output)
        _ = output.write(to: fd, wrote: { _ in })
        shutdown(fd, Int32(SHUT_WR))
        _ = recv(fd, readBuffer.baseAddress, readBuffer.count, Int32(MSG_DONTWAIT))
        close(fd)
        context.openConnections.subtract(1, ordering: .relaxed)
        log.note("refused: connection limit reached", remote: "", wallClockMilliseconds: nowWallClockMilliseconds)
    }

    // MARK: - Events

    private func connection(_ fd: Int32) -> Connection? {
        Int(fd) < connections.count ? connections[Int(fd)] : nil
    }

    private func handle(_ events: UInt32, on connection: Connection) {
        if events & EPOLLERR.rawValue != 0 {
            closeConnection(connection)
            return
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue) != 0 {
            guard readInput(connection) else {
                closeConnection(connection)
                return
            }
        }
        advance(connection)
    }

    /// Reads what is available. Returns false when the connection is to be closed.
    private func readInput(_ connection: Connection) -> Bool {
        for _ in 0..<4 {
            let count = read(connection.fd, readBuffer.baseAddress, readBuffer.count)
            if count > 0 {
                if connection.state.isLingering {
                    if connection.state.bytesRead(count) == .close { return false }
                } else {
                    connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                }
                if count < readBuffer.count { return true }
            } else if count == 0 {
                return connection.state.peerClosed() != .close
            } else if errno == EINTR {
                continue
            } else {
                return errno == EAGAIN || errno == EWOULDBLOCK
            }
        }
        return true
    }

    /// Answers every complete request, writes, and decides what the connection waits for next.
    private func advance(_ connection: Connection) {
        var result = Connection.WriteResult.done
        var heldBack = false
        repeat {
            // Requests already read may have been held back by pending output; once it
            // drains, answer them before waiting for more input.
            heldBack = connection.state.canAnswerMore && processRequests(connection)
            result = connection.writeOutput(now: now)
        } while heldBack && result == .done
        switch result {
        case .failed:
            closeConnection(connection)
            return
        case .wouldBlock:
            break
        case .done:
            switch connection.state.outputWritten(unreadInput: connection.parser.bufferedByteCount > 0, now: now) {
            case .close:
                closeConnection(connection)
                return
            case .halfCloseAndLinger:
                shutdown(connection.fd, Int32(SHUT_WR))
            case .none, .answerRequestTimeout:
                break
            }
            if draining, !connection.state.isLingering, !connection.state.awaitingResponse,
               !connection.parser.isMidRequest {
                closeConnection(connection)
                return
            }
        }
        connection.settle(now: now)
        updateInterest(connection)
    }

    /// Answers the complete requests in the parser, in order. Returns true when it stopped
    /// only because too much output is pending (more may be answered once it drains).
    private func processRequests(_ connection: Connection) -> Bool {
        let maxPending = context.configuration.maxPendingOutputBytes
        while connection.state.canAnswerMore {
            guard connection.pendingOutputBytes < maxPending else { return true }
            switch connection.parser.next() {
            case .needMoreData:
                return false
            case .continueExpected:
                connection.output.append(contentsOf: Self.continueResponse)
            case .failure(let error):
                let response = HTTPResponse.problem(error.status, detail: error.detail)
                _ = writer.write(response, keepAlive: false, version: .http1_1, omitBody: false,
                                 nowSeconds: nowWallClockMilliseconds / 1000, into: &connection.output)
                connection.state.lastResponseQueued(linger: true)
                log.note("bad request: \(error)", remote: connection.remoteAddress, wallClockMilliseconds: nowWallClockMilliseconds)
                context.configuration.metrics?.record(shard: metricsShard, route: .invalidRequest,
                                                      status: error.status.code, nanoseconds: 0)
                return false
            case .request(var request):
                request.remoteAddress = connection.remoteAddress
                connection.requestCount += 1
                request.id = RequestID(forwarded: request.headers[.xRequestID], connection: connection.id,
                                       request: connection.requestCount)
                if isDraining { request.keepAlive = false }
                let started = now
                switch context.responder.respond(to: request) {
                case .response(let response):
                    queue(response, for: request.method, target: request.target, id: request.id,
                          version: request.version, keepAlive: request.keepAlive, started: started, on: connection)
                case .blocking(let work):
                    guard context.queuedBlockingRequests.add(1, ordering: .relaxed).newValue
                            <= context.configuration.maxQueuedBlockingRequests else {
                        context.queuedBlockingRequests.subtract(1, ordering: .relaxed)
                        queue(Self.workersBusyResponse, for: request.method, target: request.target, id: request.id,
                              version: request.version, keepAlive: request.keepAlive, started: started, on: connection)
                        continue
                    }
                    connection.state.responderStarted()
                    connection.inFlight = Connection.InFlight(
                        id: request.id, method: request.method, target: request.target, version: request.version,
                        keepAlive: request.keepAlive, started: started)
                    let (fd, id, context) = (connection.fd, connection.id, context)
                    context.workers.async { [self] in
                        let response = work()
                        context.queuedBlockingRequests.subtract(1, ordering: .relaxed)
                        post(.completed(fd: fd, connectionID: id, response: response))
                    }
                }
            }
        }
        return false
    }

    private func queue(_ response: HTTPResponse, for method: HTTPMethod, target: String, id: RequestID, version: HTTPVersion,
                       keepAlive requested: Bool, started: UInt64, on connection: Connection) {
        // A responder may end the connection by saying so.
        let keepAlive = requested && !response.closesConnection
        let bytes = writer.write(response, keepAlive: keepAlive, version: version, omitBody: method == .head,
                                 nowSeconds: nowWallClockMilliseconds / 1000, into: &connection.output)
        if !keepAlive { connection.state.lastResponseQueued(linger: false) }
        let duration = clock.nanoseconds() &- started
        log.record(id: id, method: method, target: target, status: response.status.code, bytes: bytes,
                   durationNanoseconds: duration,
                   remote: connection.remoteAddress, wallClockMilliseconds: nowWallClockMilliseconds)
        context.configuration.metrics?.record(shard: metricsShard, route: response.route,
                                              status: response.status.code, nanoseconds: duration)
    }

    private static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Every worker slot is taken: the client is told to come back rather than queued without
    /// bound (RFC 9110 §15.6.4).
    private static let workersBusyResponse = HTTPResponse.problem(.serviceUnavailable,
        detail: "The server is busy with other requests; try again shortly.", headers: [.retryAfter: "1"])

    private func drainMailbox() {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, 8)
        let messages = mailbox.withLock { mailbox in
            let taken = mailbox.messages
            mailbox.messages.removeAll()
            return taken
        }
        for message in messages {
            switch message {
            case .completed(let fd, let id, let response):
                guard let connection = connection(fd), connection.id == id,
                      let inFlight = connection.inFlight else { continue }
                connection.state.responderFinished()
                connection.inFlight = nil
                queue(response, for: inFlight.method, target: inFlight.target, id: inFlight.id, version: inFlight.version,
                     keepAlive: inFlight.keepAlive && !isDraining, started: inFlight.started, on: connection)
                advance(connection)
            case .shutdown(let deadline):
                beginDraining(until: deadline)
            case .checkDeadlines(let requester):
                deadlineChecksRequested.append(requester)
            case .adopt(let fd):
                adopt(fd)
            case .handOff(let fd, let remoteAddress):
                if draining { dropHandedOff(fd) } else { register(fd, remoteAddress: remoteAddress) }
            }
        }
    }

    // MARK: - Shutdown and timeouts

    /// Whether the server is shutting down: set by `HTTPServer.shutdown()` before the listener
    /// closes, so every response from then on says `Connection: close`, even one this loop
    /// sends before it reads its shutdown message.
    private var isDraining: Bool { draining || context.isShuttingDown.load(ordering: .relaxed) }

    /// Stops accepting (the listening socket is closed, so new connections are refused),
    /// closes idle connections and lets the others finish their current request.
    private func beginDraining(until deadline: UInt64) {
        guard !draining else { return }
        draining = true
        drainDeadline = deadline
        // The server has shut the listening socket down (new connections are refused); it
        // closes it once every loop has stopped.
        if !acceptPaused {
            var unused = epoll_event()
            epoll_ctl(epollFD, EPOLL_CTL_DEL, listenerFD, &unused)
        }
        listenerFD = -1
        for case let connection? in connections {
            if connection.state.awaitingResponse || connection.state.isLingering || connection.parser.isMidRequest
                || connection.pendingOutputBytes > 0 {
                continue
            }
            closeConnection(connection)
        }
    }

    /// Applies every connection's deadline at `now`. `takingInPendingInput`: first read what
    /// each connection has sent, so a deadline is judged on everything that arrived before it
    /// (an explicit check after a manual clock moved, where the loop may not have run yet).
    private func checkDeadlines(takingInPendingInput: Bool) {
        for case let connection? in connections {
            if takingInPendingInput {
                handle(EPOLLIN.rawValue, on: connection)
                guard connections[Int(connection.fd)] === connection else { continue }
            }
            switch connection.state.deadlineCheck(now: now) {
            case .none, .halfCloseAndLinger:
                continue
            case .close:
                closeConnection(connection)
            case .answerRequestTimeout:
                log.note("request timeout in phase \(connection.state.phase)", remote: connection.remoteAddress,
                         wallClockMilliseconds: nowWallClockMilliseconds)
                context.configuration.metrics?.record(shard: metricsShard, route: .invalidRequest,
                                                      status: HTTPStatus.requestTimeout.code, nanoseconds: 0)
                _ = writer.write(Self.requestTimeoutResponse, keepAlive: false, version: .http1_1, omitBody: false,
                                 nowSeconds: nowWallClockMilliseconds / 1000, into: &connection.output)
                advance(connection)
            }
        }
    }

    private static let requestTimeoutResponse = HTTPResponse.problem(.requestTimeout,
        detail: "The request was not received in time.")

    private func closeConnection(_ connection: Connection) {
        guard connections[Int(connection.fd)] === connection else { return }
        connections[Int(connection.fd)] = nil
        load.subtract(1, ordering: .relaxed)
        // Closing the descriptor removes it from the epoll set.
        close(connection.fd)
        context.openConnections.subtract(1, ordering: .relaxed)
        resumeAccepting()
    }

    private func updateInterest(_ connection: Connection) {
        var events: UInt32 = 0
        if connection.state.wantsInput(pendingOutputBytes: connection.pendingOutputBytes,
                                       maxPendingOutputBytes: context.configuration.maxPendingOutputBytes) {
            events |= EPOLLIN.rawValue
        }
        if connection.pendingOutputBytes > 0 { events |= EPOLLOUT.rawValue }
        guard events != connection.registeredEvents || !connection.isRegistered else { return }
        do {
            try watch(connection.fd, events: events, operation: connection.isRegistered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD)
            connection.registeredEvents = events
            connection.isRegistered = true
        } catch {
            closeConnection(connection)
        }
    }

    private func watch(_ fd: Int32, events: UInt32, operation: Int32) throws {
        var event = epoll_event()
        event.events = events
        event.data.u64 = UInt64(UInt32(bitPattern: fd))
        guard epoll_ctl(epollFD, operation, fd, &event) == 0 else { throw SocketError("epoll_ctl") }
    }
}

/// What every loop of one server shares.
final class ServerContext: Sendable {
    let configuration: Configuration
    let limits: HTTPRequestParser.Limits
    let timeouts: ConnectionTimeouts
    let responder: any HTTPResponder
    let openConnections = Atomic<Int>(0)
    let isShuttingDown = Atomic<Bool>(false)
    let nextConnectionID = Atomic<UInt64>(0)
    /// Blocking requests queued or running on `workers`, bounded by
    /// `Configuration.maxQueuedBlockingRequests`.
    let queuedBlockingRequests = Atomic<Int>(0)
    let workers = DispatchQueue(label: "warta.http.blocking", attributes: .concurrent)

    /// `Configuration.maxConnections`, lowered to what the open-file limit allows (less a
    /// reserve for the listener, the database and the logs), so the cap answers 503 before
    /// the kernel refuses descriptors.
    let maxConnections: Int

    init(configuration: Configuration, responder: any HTTPResponder, openFileLimit: Int) {
        self.configuration = configuration
        self.limits = HTTPRequestParser.Limits(configuration)
        self.timeouts = ConnectionTimeouts(configuration)
        self.responder = responder
        self.maxConnections = min(configuration.maxConnections, max(1, openFileLimit - 64))
    }
}

extension EventLoop.Message {
    /// Who waits for a deadline check, if this is one.
    var deadlineCheckRequester: DispatchSemaphore? {
        if case .checkDeadlines(let requester) = self { return requester }
        return nil
    }
}
