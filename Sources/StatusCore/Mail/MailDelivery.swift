import Foundation

/// One mail to one subscriber that the sender should attempt now.
public struct MailDelivery: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// "Confirm your subscription": the link that makes a sign-up active.
        case confirmation
        /// To a confirmed address signed up again: it is subscribed already, and how to manage it.
        case notice
        /// An event's mail.
        case event
    }

    public let id: Int64
    public let kind: Kind
    public let subscriber: MailSubscriber
    /// The subscriber's `/subscriptions/{token}` token.
    public let token: String
    /// For an event's mail: the event, and its content in the subscriber's language (the
    /// page's default when that language has none).
    public let event: MailEvent?
    public let content: MailContent?
    public let attempts: Int
    public let createdAt: Date
}

/// How one attempt ended, as the sender records it.
public enum MailAttemptOutcome: Sendable, Equatable {
    case sent
    /// Try again later (a 4xx reply, no connection, a timeout).
    case temporary(String)
    /// Never again (a 5xx reply): counts toward the address's quarantine.
    case permanent(String)
}
