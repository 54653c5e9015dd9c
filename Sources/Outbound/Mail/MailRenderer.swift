import Foundation
import StatusCore

/// Writes what mails say: StatusWeb's texts in both languages. The sender asks once per
/// event, when the event's mail is fixed, and stores the answer, so every recipient and
/// every retry gets the same words; it never renders anything itself.
public protocol MailRenderer: Sendable {
    /// An event's mail by language (`id`, `en`), as of `now`, with `MailContent.manageLink`
    /// and `MailContent.unsubscribeLink` where each subscriber's links go; nil when what it
    /// reports was deleted since (the event is dropped).
    func content(of event: MailEvent, now: Date) throws -> [String: MailContent]?

    /// A confirmation or a notice to `subscriber`, in its language, with its links in place
    /// of the markers as above.
    func personalContent(_ kind: MailDelivery.Kind, for subscriber: MailSubscriber, now: Date) throws -> MailContent
}
