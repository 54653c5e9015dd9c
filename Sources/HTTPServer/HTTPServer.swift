#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Synchronization

/// An HTTP/1.1 server on POSIX sockets and epoll: one event loop per core sharing one
/// listening socket. (Not SO_REUSEPORT: with it a second server started by mistake on the
/// same port would silently take half the connections instead of failing to start.)
///
/// ```swift
/// let server = HTTPServer(configuration: configuration, responder: router)
/// try server.start()
/// print(server.port)
/// server.wait()          // returns after shutdown() has drained the connections
/// ```
public final class HTTPServer: Sendable {
    private let context: ServerContext
    private let state = Mutex<State>(State())
    private let finished = DispatchGroup()

    private struct State {
        var loops: [EventLoop] = []
        var listener: Int32 = -1
        var port = 0
        var started = false
        var stopping = false
    }

    public init(configuration: Configuration, responder: any HTTPResponder) {
        let context = ServerContext(configuration: configuration, responder: responder,
                                    openFileLimit: System.raiseOpenFileLimit())
        self.context = context
        configuration.metrics?.countConnections { context.openConnections.load(ordering: .relaxed) }
    }

    public var configuration: Configuration { context.configuration }

    /// The bound port (the kernel's choice when configured with port 0); 0 before `start()`.
    public var port: Int { state.withLock { $0.port } }

    /// Connections open right now, across all loops.
    public var openConnectionCount: Int { context.openConnections.load(ordering: .relaxed) }

    /// Connections each event loop serves or has been handed, in the loops' order.
    var connectionsPerLoop: [Int] { state.withLock { $0.loops.map { $0.load.load(ordering: .relaxed) } } }

    /// Binds and starts the event-loop threads. Throws when the address cannot be bound.
    public func start() throws {
        System.ignoreBrokenPipe()
        let configuration = context.configuration
        guard (0...65535).contains(configuration.port) else {
            throw SocketError("port \(configuration.port) is not between 0 and 65535; bind", code: EINVAL)
        }
        let listener = try Socket.listen(host: configuration.host, port: configuration.port,
                                         backlog: configuration.backlog)
        do {
            let loops = try (0..<max(1, configuration.eventLoops)).map { _ in
                try EventLoop(context: context, listenerFD: listener.fd)
            }
            for loop in loops { loop.join(loops) }
            state.withLock {
                $0.loops = loops
                $0.listener = listener.fd
                $0.port = listener.port
                $0.started = true
            }
            for (index, loop) in loops.enumerated() {
                finished.enter()
                let thread = Thread { [finished] in
                    loop.run()
                    finished.leave()
                }
                thread.name = "warta-loop-\(index)"
                thread.start()
            }
        } catch {
            close(listener.fd)
            throw error
        }
    }

    /// Begins a graceful shutdown: stop accepting, close idle connections, let in-flight
    /// requests finish within `Configuration.shutdownGracePeriod`. Returns at once; `wait()`
    /// returns when it is done.
    public func shutdown() {
        let (loops, listener) = state.withLock { state -> ([EventLoop], Int32) in
            guard state.started, !state.stopping else { return ([], -1) }
            state.stopping = true
            return (state.loops, state.listener)
        }
        context.isShuttingDown.store(true, ordering: .relaxed)
        // A listening socket that is shut down refuses new connections at once and wakes
        // every loop waiting on it.
        if listener >= 0 { Glibc.shutdown(listener, Int32(SHUT_RDWR)) }
        let deadline = context.configuration.clock.nanoseconds() &+ context.configuration.shutdownGracePeriod
        for loop in loops { loop.post(.shutdown(deadline: deadline)) }
    }

    /// Makes every event loop take in pending connections and input, then apply each
    /// connection's deadlines at the configured clock's current time; returns once they have.
    /// With a `ManualMonotonicClock`, call it after `advance(by:)` so the server acts on the
    /// new time at once instead of at its next periodic check.
    public func checkDeadlines() {
        let loops = state.withLock { $0.stopping ? [] : $0.loops }
        let requesters = loops.map { loop in
            let requester = DispatchSemaphore(value: 0)
            loop.post(.checkDeadlines(requester))
            return requester
        }
        // Bounded only against a loop that stopped meanwhile; a running loop answers at once.
        for requester in requesters { _ = requester.wait(timeout: .now() + 10) }
    }

    /// Serves an already connected socket (for example one end of a `socketpair()`) as if it
    /// had been accepted; the server owns and closes it.
    func serve(connectedSocket fd: Int32) {
        let loop = state.withLock { $0.loops.first }
        if let loop { loop.post(.adopt(fd: fd)) } else { close(fd) }
    }

    /// Blocks until every event loop has stopped.
    public func wait() {
        guard state.withLock({ $0.started }) else { return }
        finished.wait()
        let listener = state.withLock { state -> Int32 in
            let fd = state.listener
            state.listener = -1
            return fd
        }
        if listener >= 0 { close(listener) }
    }
}
