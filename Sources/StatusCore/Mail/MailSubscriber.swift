import Foundation

/// A person who asked to be mailed about the page: one address, one language, all
/// components or chosen ones.
public struct MailSubscriber: Sendable, Equatable {
    /// Where a subscriber stands, in Statuspage's words.
    public enum State: String, CaseIterable, Sendable {
        /// Signed up, link not yet followed; deleted when `expiresAt` passes.
        case unconfirmed
        /// Confirmed: mailed about every change it chose.
        case active
        /// The relay refused the address permanently, repeatedly: not mailed until staff
        /// reactivate it.
        case quarantined
    }

    public let id: String
    public let email: String
    /// `id` or `en`.
    public let language: String
    /// The components it chose; nil: all, including those added later.
    public let componentIDs: [String]?
    public let createdAt: Date
    public let confirmedAt: Date?
    /// When an unconfirmed sign-up is deleted.
    public let expiresAt: Date?
    public let quarantinedAt: Date?

    public var state: State {
        if quarantinedAt != nil { return .quarantined }
        return confirmedAt == nil ? .unconfirmed : .active
    }

    public init(id: String, email: String, language: String, componentIDs: [String]?, createdAt: Date,
                confirmedAt: Date?, expiresAt: Date?, quarantinedAt: Date?) {
        self.id = id
        self.email = email
        self.language = language
        self.componentIDs = componentIDs
        self.createdAt = createdAt
        self.confirmedAt = confirmedAt
        self.expiresAt = expiresAt
        self.quarantinedAt = quarantinedAt
    }
}

/// What a public sign-up did. The public answer is the same for all of them, so nobody can
/// learn from it who is subscribed; the outcome is for tests and the log.
public enum SignUpOutcome: String, Sendable, Equatable {
    /// A new, unconfirmed subscription; a confirmation is queued.
    case created
    /// An unconfirmed one, given the new choices and a fresh confirmation.
    case renewed
    /// A confirmed address: left as it is, told how to manage it.
    case alreadySubscribed = "already_subscribed"
    /// A mail went to this address moments ago: nothing is queued, so a form cannot flood
    /// anyone's mailbox.
    case recentlyMailed = "recently_mailed"
}
