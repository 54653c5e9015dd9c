import HTTPServer
import StatusCore

extension V1Representation {
    /// Statuspage's v1 incident template: `id, components, name, title, body, group_id,
    /// update_status, should_tweet, should_send_notifications` (`components` expanded as v1
    /// components; Warta never tweets, so `should_tweet` is false), then Warta's `page_id`,
    /// times and the translations of the title and the body.
    func writeTemplate(_ template: IncidentTemplate, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", template.id)
        writer.key("components")
        writer.beginArray()
        for id in template.componentIDs {
            if let component = components[id] { writeComponent(component, &writer) }
        }
        writer.endArray()
        writer.field("name", template.name)
        writer.field("title", template.title)
        writer.field("body", template.body)
        writer.field("group_id", template.groupID)
        writer.field("update_status", template.updateStatus.rawValue)
        writer.field("should_tweet", false)
        writer.field("should_send_notifications", template.sendsNotifications)
        writer.field("page_id", page.id)
        writer.field("created_at", timestamp: template.createdAt)
        writer.field("updated_at", timestamp: template.updatedAt)
        writer.key("title_translations")
        writer.object(template.titleTranslations)
        writer.key("body_translations")
        writer.object(template.bodyTranslations)
        writer.endObject()
    }
}
