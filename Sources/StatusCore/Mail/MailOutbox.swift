import Foundation

/// A change subscribers are told of: the mail about one incident (its updates since the last
/// mail), or a maintenance's reminder.
public struct MailEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// An incident's or maintenance's updates: created, updated, resolved, started,
        /// completed.
        case incident
        /// A maintenance starts within the hour.
        case reminder
    }

    public let id: Int64
    public let kind: Kind
    public let incidentID: String
    /// The updates it reports, oldest first; empty for a reminder.
    public let updateIDs: [String]
    /// Whether it reports the incident's creation: its mail starts the conversation that
    /// later mails reply to.
    public let opensThread: Bool
    public let createdAt: Date
}

/// What a mail says in one language. `text` and `html` hold `MailContent.manageLink` where
/// the subscriber's own link goes (and `MailContent.unsubscribeLink` for leaving), so one
/// rendering serves every subscriber of that language.
public struct MailContent: Sendable, Equatable, Codable {
    /// Replaced by the subscriber's `/subscriptions/{token}` URL. Control characters, which
    /// no staff text or name may hold (`Rules.body`), so it can only be where the renderer
    /// put it.
    public static let manageLink = "\u{1}manage\u{1}"
    /// Replaced by the subscriber's `/subscriptions/{token}/unsubscribe` URL.
    public static let unsubscribeLink = "\u{1}unsubscribe\u{1}"

    public var subject: String
    public var text: String
    public var html: String

    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }

    /// The content with the links of one subscriber put in (`html`: the same URLs, which
    /// hold no character HTML needs escaped: they are the base URL and a token).
    public func personalised(manage: String, unsubscribe: String) -> MailContent {
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: Self.manageLink, with: manage)
                .replacingOccurrences(of: Self.unsubscribeLink, with: unsubscribe)
        }
        return MailContent(subject: subject, text: fill(text), html: fill(html))
    }
}

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
