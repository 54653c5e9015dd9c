/// The life of one connection as a pure value. The event loop reports what happened (bytes
/// read, output written, the peer's end of input, a deadline check), each with the time it
/// happened, and the machine answers with the one thing to do. It holds no descriptor and
/// reads no clock, so a test drives it with plain numbers.
///
/// Every answer that ends a connection, whether to a malformed request or to a request that
/// did not arrive in time, is followed by a half-close and a bounded linger: a client still
/// sending reads the answer instead of a reset caused by its unread bytes (RFC 9112 §9.6).
struct ConnectionStateMachine {
    typealias Phase = ConnectionTimeouts.Phase

    /// What the loop must do after an event.
    enum Action: Equatable {
        case none
        /// Queue `408 Request Timeout` and write it; it is the connection's last response.
        case answerRequestTimeout
        /// The last response is written: shut the write side, then read and discard input
        /// until the peer closes, the linger deadline passes or `maxLingerBytes` arrive.
        case halfCloseAndLinger
        /// Close the descriptor.
        case close
    }

    /// How far the parser has got with the request it is reading.
    enum RequestProgress: Equatable {
        case betweenRequests
        case readingHead
        case readingBody
    }

    let timeouts: ConnectionTimeouts
    let maxLingerBytes: Int

    private(set) var phase: Phase = .idle
    /// When `phase` began; its deadline counts from here.
    private(set) var phaseSince: UInt64
    /// A blocking responder is working on the current request.
    private(set) var awaitingResponse = false
    /// The response queued last is the connection's last.
    private(set) var closeAfterWrite = false
    /// The last response answers an error: linger after it even when no input is pending.
    private var lingerAfterWrite = false
    /// The peer sent its end of input.
    private(set) var inputClosed = false
    private var lingeredBytes = 0

    init(timeouts: ConnectionTimeouts, maxLingerBytes: Int, now: UInt64) {
        self.timeouts = timeouts
        self.maxLingerBytes = maxLingerBytes
        self.phaseSince = now
    }

    init(_ configuration: Configuration, now: UInt64) {
        self.init(timeouts: ConnectionTimeouts(configuration), maxLingerBytes: configuration.maxLingerBytes, now: now)
    }

    var isLingering: Bool { phase == .lingering }

    /// Whether nothing but input stops the next request from being answered.
    var canAnswerMore: Bool { !isLingering && !awaitingResponse && !closeAfterWrite }

    /// Whether the loop should watch for input: not while a response is pending or the client
    /// is not reading what it has (back-pressure), never after the peer's end of input.
    func wantsInput(pendingOutputBytes: Int, maxPendingOutputBytes: Int) -> Bool {
        if inputClosed { return false }
        if isLingering { return true }
        return !awaitingResponse && !closeAfterWrite && pendingOutputBytes < maxPendingOutputBytes
    }

    /// When the current phase runs out of time, or nil for never. The loop arms no timer per
    /// connection (tens of thousands of timers re-armed on every byte would cost more than
    /// they save): it calls `deadlineCheck(now:)` on each connection every
    /// `Configuration.deadlineCheckInterval`.
    var deadline: UInt64? { timeouts.deadline(for: phase, since: phaseSince) }

    // MARK: - Events

    /// `count` bytes arrived. While lingering they are discarded, and too many end the linger.
    mutating func bytesRead(_ count: Int) -> Action {
        guard isLingering else { return .none }
        lingeredBytes += count
        return lingeredBytes > maxLingerBytes ? .close : .none
    }

    /// The peer sent its end of input. Requests already read are still answered.
    mutating func peerClosed() -> Action {
        inputClosed = true
        return isLingering ? .close : .none
    }

    /// A blocking responder took the current request.
    mutating func responderStarted() {
        awaitingResponse = true
    }

    /// The blocking responder's response is queued.
    mutating func responderFinished() {
        awaitingResponse = false
    }

    /// The response just queued is the last on this connection. After an error (`linger`)
    /// the connection lingers even when no more input has arrived yet: the rest of a bad
    /// request is usually still on its way.
    mutating func lastResponseQueued(linger: Bool) {
        closeAfterWrite = true
        if linger { lingerAfterWrite = true }
    }

    /// Some output reached the socket. Progress restarts the write deadline; a client that
    /// reads nothing makes none, however much it sends. A request that arrived and was
    /// answered within one event never took the connection out of `.idle`: the response
    /// restarts its keep-alive deadline.
    mutating func wroteOutput(now: UInt64) {
        if phase == .writing || phase == .idle { phaseSince = now }
    }

    /// Every queued byte is written. `unreadInput`: bytes of a further request are buffered.
    mutating func outputWritten(unreadInput: Bool, now: UInt64) -> Action {
        if closeAfterWrite, !isLingering {
            // After the peer's end of input nothing is left unread in the kernel, so a close
            // cannot turn into a reset.
            if (lingerAfterWrite || unreadInput), !inputClosed {
                enter(.lingering, now: now)
                return .halfCloseAndLinger
            }
            return .close
        }
        if inputClosed, !awaitingResponse { return .close }
        return .none
    }

    /// Moves to the phase the connection is in after the loop acted, restarting the deadline
    /// only when the phase changes (a head that drips in keeps the deadline of its first byte).
    mutating func settle(pendingOutput: Bool, request: RequestProgress, now: UInt64) {
        let current: Phase
        if isLingering {
            current = .lingering
        } else if pendingOutput {
            current = .writing
        } else if awaitingResponse {
            current = .awaitingResponder
        } else {
            switch request {
            case .readingBody: current = .readingBody
            case .readingHead: current = .readingHead
            case .betweenRequests: current = .idle
            }
        }
        enter(current, now: now)
    }

    /// The loop checks the deadline at `now`.
    mutating func deadlineCheck(now: UInt64) -> Action {
        switch timeouts.action(for: phase, since: phaseSince, now: now) {
        case nil:
            return .none
        case .close:
            return .close
        case .requestTimeout:
            lastResponseQueued(linger: true)
            return .answerRequestTimeout
        }
    }

    private mutating func enter(_ next: Phase, now: UInt64) {
        guard next != phase else { return }
        phase = next
        phaseSince = now
    }
}
