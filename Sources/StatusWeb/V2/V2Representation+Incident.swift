import Foundation
import HTTPServer
import StatusCore

extension V2Representation {
    /// An incident object: `id, name, status, created_at, updated_at, monitoring_at,
    /// resolved_at, impact, shortlink, started_at, page_id, incident_updates, components,
    /// reminder_intervals` (the 2024 GitHub capture's order); a maintenance adds
    /// `scheduled_for, scheduled_until`; then Warta's `next_update_at, update_overdue,
    /// next_update_promised_by`. The promise is staff's (`staff`) or, after an update that
    /// promised nothing, the page's own (`page`, `Silence`); null with no promise.
    ///
    /// `name` and update bodies are the primary text (the page's default language);
    /// translations are for the HTML pages.
    static func writeIncident(_ incident: Incident, context: IncidentContext, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", incident.id)
        writer.field("name", incident.name)
        writer.field("status", incident.status.rawValue)
        writer.field("created_at", timestamp: incident.createdAt)
        writer.field("updated_at", timestamp: incident.updatedAt)
        writer.field("monitoring_at", timestamp: incident.monitoringAt)
        writer.field("resolved_at", timestamp: incident.resolvedAt)
        writer.field("impact", incident.impact.rawValue)
        writer.field("shortlink", shortlink(pageURL: context.page.url, incidentID: incident.id))
        writer.field("started_at", timestamp: incident.startedAt)
        writer.field("page_id", context.page.id)

        writer.key("incident_updates")
        writer.beginArray()
        for update in incident.updates { writeUpdate(update, into: &writer) }
        writer.endArray()

        writer.key("components")
        writer.beginArray()
        let affected = incident.componentIDs
            .compactMap { id in context.componentOrder[id].map { (id: id, order: $0) } }
            .sorted { $0.order < $1.order }
        var written = Set<String>()
        for (id, _) in affected where written.insert(id).inserted {
            if let json = context.componentJSON[id] { writer.raw(json) }
        }
        writer.endArray()

        writer.nullField("reminder_intervals")
        if incident.isMaintenance {
            writer.field("scheduled_for", timestamp: incident.scheduledFor)
            writer.field("scheduled_until", timestamp: incident.scheduledUntil)
        }
        let promise = incident.status.isClosed ? nil : incident.nextUpdateAt
        writer.field("next_update_at", timestamp: promise)
        writer.field("update_overdue", incident.isUpdateOverdue(at: context.now))
        writer.field("next_update_promised_by", promise == nil ? nil : incident.promisedBy.rawValue)
        writer.endObject()
    }

    /// An incident update: `id, status, body, incident_id, created_at, updated_at,
    /// display_at, affected_components, deliver_notifications, custom_tweet, tweet_id`.
    /// `affected_components` is null when the update changed no component.
    static func writeUpdate(_ update: IncidentUpdate, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", update.id)
        writer.field("status", update.status.rawValue)
        writer.field("body", update.body)
        writer.field("incident_id", update.incidentID)
        writer.field("created_at", timestamp: update.createdAt)
        writer.field("updated_at", timestamp: update.updatedAt)
        writer.field("display_at", timestamp: update.displayAt)
        writer.key("affected_components")
        if update.affectedComponents.isEmpty {
            writer.null()
        } else {
            writer.beginArray()
            for affected in update.affectedComponents { writeAffectedComponent(affected, into: &writer) }
            writer.endArray()
        }
        writer.field("deliver_notifications", update.deliverNotifications)
        writer.nullField("custom_tweet")
        writer.nullField("tweet_id")
        writer.endObject()
    }

    /// `{code, name, old_status, new_status}`: what an update did to one component (v1 and v2).
    static func writeAffectedComponent(_ affected: AffectedComponent, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("code", affected.componentID)
        writer.field("name", affected.name)
        writer.field("old_status", affected.oldStatus.rawValue)
        writer.field("new_status", affected.newStatus.rawValue)
        writer.endObject()
    }

    /// `{page.url}/incidents/{id}`; a root-relative path while the page has no URL.
    public static func shortlink(pageURL: String, incidentID: String) -> String {
        var base = Substring(pageURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return String(base) + "/incidents/" + incidentID
    }

    /// What writing an incident needs besides the incident.
    struct IncidentContext {
        let page: Page
        let now: Date
        let componentJSON: [String: [UInt8]]
        let componentOrder: [String: Int]
    }

    /// Incidents written once each, for the union of the lists (an open incident is in
    /// `incidents.json`, `unresolved.json` and `summary.json`).
    static func writeIncidents(_ lists: [[Incident]], context: IncidentContext,
                               timestampFormat: ZonedTimestamp) -> [String: [UInt8]] {
        var written: [String: [UInt8]] = [:]
        for list in lists {
            for incident in list where written[incident.id] == nil {
                var writer = JSONWriter(timestampFormat: timestampFormat, capacity: 2048)
                writeIncident(incident, context: context, into: &writer)
                written[incident.id] = writer.bytes
            }
        }
        return written
    }

    /// A list of incidents or maintenances.
    func writeIncidents(_ incidents: [Incident], into writer: inout JSONWriter) {
        writer.beginArray()
        for incident in incidents {
            if let json = incidentJSON[incident.id] { writer.raw(json) }
        }
        writer.endArray()
    }
}
