import Foundation
import HTTPServer
import StatusCore

/// The management API's JSON: Statuspage v1 objects, bare (no `page` wrapper), lists as bare
/// arrays, with exact enum strings, since generated clients refuse anything else. Warta's
/// additions (`next_update_at`, `update_overdue`, translations) come after the standard keys.
struct V1Representation {
    let page: Page
    let timestampFormat: ZonedTimestamp
    /// Every component by id, to expand an incident's `components`.
    let components: [String: Component]
    /// Every component's id in page order: what a subscriber to all components is subscribed to.
    let componentIDs: [String]
    let now: Date

    init(page: Page, components: [Component], now: Date) {
        self.page = page
        self.timestampFormat = ZonedTimestamp(timeZoneIdentifier: page.timeZone)
        self.components = Dictionary(components.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.componentIDs = components.map(\.id)
        self.now = now
    }

    func response(_ status: HTTPStatus = .ok, _ write: (inout JSONWriter) -> Void) -> HTTPResponse {
        var writer = JSONWriter(timestampFormat: timestampFormat)
        write(&writer)
        return HTTPResponse(status: status, headers: [
            .contentType: "application/json; charset=utf-8",
            .cacheControl: "no-store",
        ], body: writer.bytes)
    }

    /// A bare JSON array of `items` (v1 lists have no wrapper).
    func list<Items: Sequence>(_ items: Items, _ write: (Items.Element, inout JSONWriter) -> Void) -> HTTPResponse {
        response { writer in
            writer.beginArray()
            for item in items { write(item, &writer) }
            writer.endArray()
        }
    }

    // MARK: - Objects

    func writePage(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", page.id)
        writer.field("created_at", timestamp: page.createdAt)
        writer.field("updated_at", timestamp: page.updatedAt)
        writer.field("name", page.name)
        writer.field("url", page.url)
        writer.field("time_zone", page.timeZone)
        writer.field("default_language", page.defaultLanguage)
        writer.field("logo_url", page.logoURL)
        writer.field("accent_color", page.accentColor)
        writer.key("header_links")
        writer.beginArray()
        for link in page.headerLinks {
            writer.beginObject()
            writer.field("label", link.label)
            writer.field("url", link.url)
            writer.endObject()
        }
        writer.endArray()
        writer.field("stylesheet_url", page.stylesheetURL)
        writer.field("checks_public", page.checksPublic)
        writer.field("max_silence", page.maxSilence)
        writer.field("statement_grace", page.statementGrace)
        writer.endObject()
    }

    /// v2's component keys plus v1's `automation_email`.
    func writeComponent(_ component: Component, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", component.id)
        writer.field("page_id", page.id)
        writer.field("group_id", component.groupID)
        writer.field("created_at", timestamp: component.createdAt)
        writer.field("updated_at", timestamp: component.updatedAt)
        writer.field("group", false)
        writer.field("name", component.name)
        writer.field("description", component.description)
        writer.field("position", component.position)
        writer.field("status", component.status.rawValue)
        writer.field("showcase", component.showcase)
        writer.field("only_show_if_degraded", component.onlyShowIfDegraded)
        writer.field("automation_email", "")
        writer.field("start_date", component.startDate)
        writer.key("name_translations")
        writer.object(component.nameTranslations)
        writer.key("description_translations")
        writer.object(component.descriptionTranslations)
        writer.endObject()
    }

    func writeGroup(_ group: ComponentGroup, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", group.id)
        writer.field("page_id", page.id)
        writer.field("name", group.name)
        writer.field("description", group.description)
        writer.key("components")
        writer.beginArray()
        for id in group.componentIDs { writer.string(id) }
        writer.endArray()
        writer.field("position", group.position)
        writer.field("created_at", timestamp: group.createdAt)
        writer.field("updated_at", timestamp: group.updatedAt)
        writer.key("name_translations")
        writer.object(group.nameTranslations)
        writer.key("description_translations")
        writer.object(group.descriptionTranslations)
        writer.endObject()
    }

    func writeIncident(_ incident: Incident, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", incident.id)
        writer.field("name", incident.name)
        writer.field("status", incident.status.rawValue)
        writer.field("impact", incident.impact.rawValue)
        writer.field("impact_override", incident.impactOverride?.rawValue)
        writer.field("shortlink", V2Representation.shortlink(pageURL: page.url, incidentID: incident.id))
        writer.field("page_id", page.id)
        writer.field("created_at", timestamp: incident.createdAt)
        writer.field("updated_at", timestamp: incident.updatedAt)
        writer.field("started_at", timestamp: incident.startedAt)
        writer.field("monitoring_at", timestamp: incident.monitoringAt)
        writer.field("resolved_at", timestamp: incident.resolvedAt)
        writer.field("scheduled_for", timestamp: incident.scheduledFor)
        writer.field("scheduled_until", timestamp: incident.scheduledUntil)
        writer.field("scheduled_remind_prior", incident.scheduledRemindPrior)
        writer.field("scheduled_reminded_at", timestamp: incident.scheduledRemindedAt)
        writer.field("scheduled_auto_in_progress", incident.scheduledAutoInProgress)
        writer.field("scheduled_auto_completed", incident.scheduledAutoCompleted)
        writer.field("auto_transition_to_maintenance_state", incident.autoTransitionToMaintenanceState)
        writer.field("auto_transition_to_operational_state", incident.autoTransitionToOperationalState)
        writer.field("auto_transition_deliver_notifications_at_start", false)
        writer.field("auto_transition_deliver_notifications_at_end", false)
        writer.key("metadata")
        writer.raw(Array(incident.metadataJSON.utf8))
        writer.field("postmortem_body", incident.postmortemBody)
        writer.field("postmortem_body_last_updated_at", timestamp: incident.postmortemPublishedAt)
        writer.field("postmortem_ignored", false)
        writer.field("postmortem_notified_subscribers", false)
        writer.field("postmortem_notified_twitter", false)
        writer.field("postmortem_published_at", timestamp: incident.postmortemPublishedAt)
        writer.key("incident_updates")
        writer.beginArray()
        for update in incident.updates { writeUpdate(update, &writer) }
        writer.endArray()
        writer.key("components")
        writer.beginArray()
        for id in incident.componentIDs {
            if let component = components[id] { writeComponent(component, &writer) }
        }
        writer.endArray()
        writer.field("next_update_at", timestamp: incident.nextUpdateAt)
        writer.field("update_overdue", incident.isUpdateOverdue(at: now))
        writer.key("name_translations")
        writer.object(incident.nameTranslations)
        writer.endObject()
    }

    func writeUpdate(_ update: IncidentUpdate, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", update.id)
        writer.field("incident_id", update.incidentID)
        writer.field("status", update.status.rawValue)
        writer.field("body", update.body)
        writer.field("created_at", timestamp: update.createdAt)
        writer.field("updated_at", timestamp: update.updatedAt)
        writer.field("display_at", timestamp: update.displayAt)
        writer.key("affected_components")
        writer.beginArray()
        for affected in update.affectedComponents { V2Representation.writeAffectedComponent(affected, into: &writer) }
        writer.endArray()
        writer.field("deliver_notifications", update.deliverNotifications)
        writer.nullField("custom_tweet")
        writer.nullField("tweet_id")
        writer.nullField("twitter_updated_at")
        writer.field("wants_twitter_update", false)
        writer.field("next_update_at", timestamp: update.nextUpdateAt)
        writer.key("body_translations")
        writer.object(update.bodyTranslations)
        writer.endObject()
    }

    func writeAuditEntry(_ entry: AuditEntry, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", Int(entry.id))
        writer.field("created_at", timestamp: entry.at)
        writer.field("actor", entry.tokenName)
        writer.field("action", entry.action)
        writer.field("target_type", entry.targetType)
        writer.field("target_id", entry.targetID)
        writer.field("client_address", entry.clientAddress)
        writer.key("detail")
        writer.raw(Array(entry.detailJSON.utf8))
        writer.endObject()
    }
}
