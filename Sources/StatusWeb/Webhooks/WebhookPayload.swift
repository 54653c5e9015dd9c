import Foundation
import HTTPServer
import Outbound
import StatusCore

/// StatusWeb's side of webhook deliveries: it renders the payloads, Outbound's
/// `WebhookSender` sends them.
public struct WebhookPayloads: WebhookPayloadRenderer {
    private let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// One state read for the whole batch, however many subscribers are told.
    public func bodies(for deliveries: [WebhookDelivery], now: Date) throws -> [Int64: [UInt8]] {
        let representation = V2Representation(state: try store.state(now: now), now: now)
        var bodies: [Int64: [UInt8]] = [:]
        for delivery in deliveries {
            bodies[delivery.id] = try representation.webhookBody(for: delivery, store: store)
        }
        return bodies
    }
}

extension V2Representation {
    /// The body Statuspage posts to webhook subscribers: `meta`, `page` (id and overall
    /// status), then `incident` (the v2 incident object, as in `incidents.json`) or
    /// `component_update` and `component` (the v2 component object). Warta adds `event_id`
    /// to `meta`, the same for every subscriber told of one change.
    ///
    /// nil when the subject no longer exists (deleted since the change was queued).
    func webhookBody(for delivery: WebhookDelivery, store: Store) throws -> [UInt8]? {
        var writer = JSONWriter(timestampFormat: timestampFormat, capacity: 4096)
        writer.beginObject()
        writer.key("meta")
        writer.beginObject()
        writer.field("unsubscribe", nil as String?)
        writer.field("documentation", nil as String?)
        writer.field("generated_at", timestamp: now)
        writer.field("event_id", delivery.eventID)
        writer.endObject()
        writer.key("page")
        writer.beginObject()
        writer.field("id", state.page.id)
        writer.field("status_indicator", pageStatus.indicator.rawValue)
        writer.field("status_description", pageStatus.description)
        writer.endObject()
        switch delivery.event {
        case .incident:
            writer.key("incident")
            if let json = incidentJSON[delivery.subjectID] {
                writer.raw(json)
            } else {
                guard let incident = try? store.incident(id: delivery.subjectID) else { return nil }
                let context = IncidentContext(page: state.page, now: now, componentJSON: componentJSON,
                                              componentOrder: componentOrder)
                Self.writeIncident(incident, context: context, into: &writer)
            }
        case .componentUpdate:
            guard let component = componentJSON[delivery.subjectID] else { return nil }
            writer.key("component_update")
            writer.beginObject()
            writer.field("created_at", timestamp: delivery.createdAt)
            writer.field("new_status", delivery.newStatus)
            writer.field("old_status", delivery.oldStatus)
            writer.field("id", delivery.eventID)
            writer.field("component_id", delivery.subjectID)
            writer.endObject()
            writer.key("component")
            writer.raw(component)
        case .check:
            // Check events get a payload of their own; until then there is nothing to send.
            return nil
        }
        writer.endObject()
        return writer.bytes
    }
}
