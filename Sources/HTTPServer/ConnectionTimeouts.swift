/// The deadline rules of a connection, as a pure function of its phase, when that phase
/// began and the configuration: no clock of its own, so tests drive it with plain numbers.
public struct ConnectionTimeouts: Sendable {
    public enum Phase: Equatable, Sendable {
        /// Keep-alive, between requests.
        case idle
        /// Part of a head has arrived. The deadline counts from the first byte, however
        /// steadily the rest drips in.
        case readingHead
        /// The head is in; the body is arriving.
        case readingBody
        /// A blocking responder is working. The client is not to blame for the wait.
        case awaitingResponder
        /// Response bytes wait for the client to read them. Counts from the last progress.
        case writing
        /// An error response was sent; the server discards input until the client closes.
        case lingering
    }

    public enum Action: Equatable, Sendable {
        /// Close without a word (the client is idle, or is not reading).
        case close
        /// Answer 408 Request Timeout, then close.
        case requestTimeout
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// When a connection in `phase` since `since` runs out of time, or nil for never.
    public func deadline(for phase: Phase, since: UInt64) -> UInt64? {
        switch phase {
        case .idle: return since &+ configuration.keepAliveTimeout
        case .readingHead: return since &+ configuration.headerReadTimeout
        case .readingBody: return since &+ configuration.bodyReadTimeout
        case .awaitingResponder: return nil
        case .writing: return since &+ configuration.writeTimeout
        case .lingering: return since &+ configuration.lingerTimeout
        }
    }

    /// What to do at `now`, or nil while time remains.
    public func action(for phase: Phase, since: UInt64, now: UInt64) -> Action? {
        guard let deadline = deadline(for: phase, since: since), now >= deadline else { return nil }
        switch phase {
        case .readingHead, .readingBody: return .requestTimeout
        default: return .close
        }
    }
}
