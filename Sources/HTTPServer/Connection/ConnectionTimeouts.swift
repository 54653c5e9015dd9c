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
        /// The last response was sent and the write side shut; the server discards input
        /// until the client closes.
        case lingering
    }

    public enum Action: Equatable, Sendable {
        /// Close without a word (the client is idle, or is not reading).
        case close
        /// Answer 408 Request Timeout, then half-close and linger.
        case requestTimeout
    }

    public var keepAliveTimeout: UInt64
    public var headerReadTimeout: UInt64
    public var bodyReadTimeout: UInt64
    public var writeTimeout: UInt64
    public var lingerTimeout: UInt64

    /// The deadlines of `configuration` (only the durations are kept: a connection holds a
    /// copy).
    public init(_ configuration: Configuration) {
        keepAliveTimeout = configuration.keepAliveTimeout
        headerReadTimeout = configuration.headerReadTimeout
        bodyReadTimeout = configuration.bodyReadTimeout
        writeTimeout = configuration.writeTimeout
        lingerTimeout = configuration.lingerTimeout
    }

    /// When a connection in `phase` since `since` runs out of time, or nil for never.
    public func deadline(for phase: Phase, since: UInt64) -> UInt64? {
        switch phase {
        case .idle: return since &+ keepAliveTimeout
        case .readingHead: return since &+ headerReadTimeout
        case .readingBody: return since &+ bodyReadTimeout
        case .awaitingResponder: return nil
        case .writing: return since &+ writeTimeout
        case .lingering: return since &+ lingerTimeout
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
