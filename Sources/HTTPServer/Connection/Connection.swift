#if canImport(Glibc)
import Glibc
#endif

/// One client connection: its descriptor, parser, queued output and state machine.
/// Owned and touched only by its event loop's thread, one call at a time, so the runtime's
/// exclusivity checks on the fields every request mutates are left out (they were several
/// per request on the read path).
final class Connection {
    let fd: Int32
    /// Distinguishes this connection from a later one that reuses the descriptor, so a late
    /// blocking response never reaches the wrong client.
    let id: UInt64
    let remoteAddress: String
    @exclusivity(unchecked) var parser: HTTPRequestParser
    @exclusivity(unchecked) var state: ConnectionStateMachine

    /// Serialised responses not yet written.
    @exclusivity(unchecked) var output = OutputQueue()

    /// The request being answered by a blocking responder (for framing and the log).
    var inFlight: InFlight?

    /// The epoll events currently registered, once added to the loop's set.
    var registeredEvents: UInt32 = 0
    var isRegistered = false

    /// Requests read so far, for request ids.
    var requestCount: UInt64 = 0

    struct InFlight {
        var id: RequestID
        var method: HTTPMethod
        var target: String
        var version: HTTPVersion
        var keepAlive: Bool
        var started: UInt64
    }

    init(fd: Int32, id: UInt64, remoteAddress: String, limits: HTTPRequestParser.Limits, state: ConnectionStateMachine) {
        self.fd = fd
        self.id = id
        self.remoteAddress = remoteAddress
        self.parser = HTTPRequestParser(limits: limits)
        self.state = state
    }

    var pendingOutputBytes: Int { output.count }

    /// Where the parser stands, for the state machine.
    var requestProgress: ConnectionStateMachine.RequestProgress {
        if parser.isReadingBody { return .readingBody }
        if parser.isMidRequest { return .readingHead }
        return .betweenRequests
    }

    /// Tells the state machine where output and parser stand after the loop acted.
    func settle(now: UInt64) {
        state.settle(pendingOutput: pendingOutputBytes > 0, request: requestProgress, now: now)
    }

    enum WriteResult {
        case done
        case wouldBlock
        case failed
    }

    /// Writes as much queued output as the socket takes.
    func writeOutput(now: UInt64) -> WriteResult {
        switch output.write(to: fd, wrote: { _ in state.wroteOutput(now: now) }) {
        case .done: return .done
        case .wouldBlock: return .wouldBlock
        case .failed: return .failed
        }
    }
}
