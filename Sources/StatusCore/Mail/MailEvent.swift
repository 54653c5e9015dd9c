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
