import Foundation
import StatusCore

/// Writes the bodies of webhook deliveries: StatusWeb's Statuspage-style payloads. The
/// sender asks once per delivery, before its first attempt, and stores what it gets, so
/// every retry sends the same signed bytes; it never renders anything itself.
public protocol WebhookPayloadRenderer: Sendable {
    /// The bodies of `deliveries` (none has one yet), by delivery id, as of `now`. A
    /// delivery left out reports something deleted since the change; it is not sent.
    func bodies(for deliveries: [WebhookDelivery], now: Date) throws -> [Int64: [UInt8]]
}
