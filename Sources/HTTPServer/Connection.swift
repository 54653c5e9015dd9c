#if canImport(Glibc)
import Glibc
#endif

/// One client connection: its parser, its queued output and where it stands.
/// Owned and touched only by its event loop's thread.
final class Connection {
    let fd: Int32
    /// Distinguishes this connection from a later one that reuses the descriptor, so a late
    /// blocking response never reaches the wrong client.
    let id: UInt64
    let remoteAddress: String
    var parser: HTTPRequestParser

    /// Serialised responses not yet written; bytes before `outputOffset` are sent.
    var output: [UInt8] = []
    var outputOffset = 0

    /// A blocking responder is working on the current request.
    var awaitingResponse = false
    /// Close once `output` is written (the request asked for it, or the server is draining).
    var closeAfterWrite = false
    /// The close follows an error: half-close and linger so the client reads the error.
    var lingerOnClose = false
    /// Output is done and the write side shut; input is discarded until the client closes.
    var lingering = false
    /// The client sent EOF.
    var inputClosed = false
    /// The request being answered by a blocking responder (for framing and the log).
    var inFlight: InFlight?

    /// The epoll events currently registered, once added to the loop's set.
    var registeredEvents: UInt32 = 0
    var isRegistered = false
    var phase = ConnectionTimeouts.Phase.idle
    var phaseSince: UInt64

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

    init(fd: Int32, id: UInt64, remoteAddress: String, limits: HTTPRequestParser.Limits, now: UInt64) {
        self.fd = fd
        self.id = id
        self.remoteAddress = remoteAddress
        self.parser = HTTPRequestParser(limits: limits)
        self.phaseSince = now
    }

    var pendingOutputBytes: Int { output.count - outputOffset }

    /// Whether nothing but input stops the next request from being answered.
    var canAnswerMore: Bool { !lingering && !awaitingResponse && !closeAfterWrite }

    /// Whether the loop should watch for input: not while a response is pending or the
    /// client is not reading what it has (back-pressure), never after EOF.
    func wantsInput(maxPendingOutput: Int) -> Bool {
        if inputClosed { return false }
        if lingering { return true }
        return !awaitingResponse && !closeAfterWrite && pendingOutputBytes < maxPendingOutput
    }

    /// The phase the state says the connection is in.
    var currentPhase: ConnectionTimeouts.Phase {
        if lingering { return .lingering }
        if pendingOutputBytes > 0 { return .writing }
        if awaitingResponse { return .awaitingResponder }
        if parser.isReadingBody { return .readingBody }
        if parser.isMidRequest { return .readingHead }
        return .idle
    }

    /// Moves to the current phase, restarting its clock only when the phase changes (so a
    /// head that drips in keeps the deadline of its first byte).
    func refreshPhase(now: UInt64) {
        let current = currentPhase
        if current != phase {
            phase = current
            phaseSince = now
        }
    }

    enum WriteResult {
        case done
        case wouldBlock
        case failed
    }

    /// Writes as much queued output as the socket takes. Progress restarts the write
    /// deadline; a client that reads nothing does not.
    func writeOutput(now: UInt64) -> WriteResult {
        while outputOffset < output.count {
            let written = output.withUnsafeBytes { bytes in
                send(fd, bytes.baseAddress! + outputOffset, bytes.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                outputOffset += written
                if phase == .writing { phaseSince = now }
            } else if written < 0, errno == EINTR {
                continue
            } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                return .wouldBlock
            } else {
                return .failed
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputOffset = 0
        return .done
    }
}
