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
    /// to `meta`, the same for every subscriber told of one change, and the `check` event
    /// (`writeCheckEvent`).
    ///
    /// nil when the subject no longer exists (deleted since the change was queued); a check
    /// event is written from the facts fixed at the change, so it is sent even then.
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
            guard let event = delivery.checkEvent else { return nil }
            writer.key("check")
            Self.writeCheckEvent(event, delivery: delivery, into: &writer)
        }
        writer.endObject()
        return writer.bytes
    }

    /// A check event's `check`: `{id, name, component_id, state, previous_state, since,
    /// locations: [{name, state, last_report_at}]}`, a silent location's state `silent`. It is
    /// the verdict as it was when it changed, not as it is when the body is made: the check
    /// may have moved on or been deleted since. Sent whether or not the page shows checks to
    /// the public: subscribers are staff.
    static func writeCheckEvent(_ event: CheckEvent, delivery: WebhookDelivery, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", delivery.subjectID)
        writer.field("name", event.name)
        writer.field("component_id", event.componentID)
        writer.field("state", event.state.rawValue)
        writer.field("previous_state", delivery.oldStatus)
        writer.field("since", timestamp: event.since)
        writer.key("locations")
        writer.beginArray()
        for location in event.locations {
            writer.beginObject()
            writer.field("name", location.name)
            writer.field("state", location.silent ? "silent" : location.state.rawValue)
            writer.field("last_report_at", timestamp: location.lastReportAt)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }
}
