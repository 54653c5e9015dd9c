import HTTPServer
import StatusCore

// Subscribers in Statuspage's v1 shape. Email subscribers carry every key of Statuspage's
// subscriber object (the channels Warta does not have are null), then Warta's `state` and
// `language`; webhook subscribers keep the shape they have always had, with `state` added.

extension V1Representation {
    /// A subscriber of either kind.
    func writeSubscriber(_ subscriber: ManagementAPI.Subscriber, _ writer: inout JSONWriter) {
        switch subscriber {
        case .mail(let mail): writeMailSubscriber(mail, &writer)
        case .webhook(let webhook): writeWebhookSubscriber(webhook, secret: nil, &writer)
        }
    }

    /// An email subscriber. `purge_at` is when an unconfirmed sign-up is deleted;
    /// `components` lists every component of the page when it subscribes to all, as
    /// Statuspage does; `skip_confirmation_notification` is true when it was active from its
    /// creation (staff skipped the confirmation).
    func writeMailSubscriber(_ subscriber: MailSubscriber, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", subscriber.id)
        writer.field("mode", "email")
        writer.field("email", subscriber.email)
        writer.nullField("endpoint")
        writer.nullField("phone_number")
        writer.nullField("phone_country")
        writer.nullField("display_phone_number")
        writer.nullField("obfuscated_channel_name")
        writer.nullField("workspace_name")
        writer.nullField("slack_channel_id")
        writer.field("skip_confirmation_notification", subscriber.confirmedAt == subscriber.createdAt)
        writer.field("purge_at", timestamp: subscriber.state == .unconfirmed ? subscriber.expiresAt : nil)
        writer.field("quarantined_at", timestamp: subscriber.quarantinedAt)
        writer.field("created_at", timestamp: subscriber.createdAt)
        writer.key("components")
        writer.beginArray()
        for id in subscriber.componentIDs ?? componentIDs { writer.string(id) }
        writer.endArray()
        writer.nullField("page_access_user_id")
        writer.field("state", subscriber.state.rawValue)
        writer.field("language", subscriber.language)
        writer.endObject()
    }

    /// A webhook subscriber in Statuspage's shape (`mode` is always `webhook`, and it is
    /// always `active`: a failing endpoint is retried, never quarantined), then Warta's
    /// delivery state and the events it is told of; `secret` only in the answer to its
    /// creation.
    func writeWebhookSubscriber(_ subscriber: WebhookSubscriber, secret: String?, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", subscriber.id)
        writer.field("mode", "webhook")
        writer.field("endpoint", subscriber.endpoint)
        writer.field("email", nil as String?)
        writer.field("created_at", timestamp: subscriber.createdAt)
        writer.field("quarantined_at", timestamp: nil)
        writer.field("state", MailSubscriber.State.active.rawValue)
        writer.field("pending_deliveries", subscriber.pendingDeliveries)
        writer.field("last_error", subscriber.lastError)
        writer.key("events")
        writer.beginArray()
        for event in subscriber.events { writer.string(event.rawValue) }
        writer.endArray()
        if let secret { writer.field("secret", secret) }
        writer.endObject()
    }

    /// `{"type": ..., "state": ..., "count": n}`, Statuspage's answer to a count.
    func writeSubscriberCount(type: ManagementAPI.SubscriberType?, state: ManagementAPI.SubscriberState, count: Int,
                              _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("type", type?.rawValue)
        writer.field("state", state.rawValue)
        writer.field("count", count)
        writer.endObject()
    }
}
