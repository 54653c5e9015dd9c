import Foundation
import HTTPServer
import StatusCore

// Webhook subscribers: `POST /v1/pages/{page_id}/subscribers` with
// `{"subscriber": {"endpoint": "https://...", "events": ["incident", "check"]}}` (or
// `subscriber[endpoint]=...&subscriber[events][]=check`) registers one and answers its
// signing secret, once; `GET` lists or shows them, `DELETE` removes one and its pending
// deliveries. They are not public, so no snapshot is rebuilt.

extension ManagementAPI.Handlers {
    func createSubscriber(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let fields = try Self.fields(call.request, root: "subscriber")
        guard let endpoint = try fields.string("endpoint") else {
            throw APIError(.unprocessableContent, "A webhook subscriber needs subscriber[endpoint], the URL to POST to.",
                           field: "subscriber[endpoint]")
        }
        if let refusal = webhookDestinations.refusal(forEndpoint: endpoint) {
            throw APIError.invalid("subscriber[endpoint]", "An endpoint must not lead inside the server's network: "
                + "\(refusal). To deliver to receivers on an intranet, start the server with --webhook-allow-private.")
        }
        let events = try Self.subscribedEvents(fields)
        let (subscriber, secret) = try store.createWebhookSubscriber(
            endpoint: endpoint, events: events ?? WebhookDelivery.Event.defaultSubscription, by: call.actor, now: call.now)
        let v1 = try representation(now: call.now)
        return v1.response(.created) { v1.writeSubscriber(subscriber, secret: secret, &$0) }
    }

    func listSubscribers(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let subscribers = try Self.perPage(store.webhookSubscribers(), call.request)
        return try respondList(call, subscribers, V1Representation.writeSubscriber(_:_:))
    }

    func getSubscriber(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let subscriber = try store.webhookSubscriber(id: call.parameter("subscriber_id"))
        return try respond(call, subscriber, V1Representation.writeSubscriber(_:_:))
    }

    /// `subscriber[events]`: the events a subscriber is told of, from `incident`,
    /// `component_update` and `check`; nil when not given (the default set). An unknown event
    /// is refused naming the allowed ones, so a typo cannot leave a subscriber deaf.
    static func subscribedEvents(_ fields: FieldReader) throws -> [WebhookDelivery.Event]? {
        guard let names = try fields.stringArray("events") else { return nil }
        return try names.map { try decode(WebhookDelivery.Event.self, from: $0, field: fields.name("events")) }
    }

    func deleteSubscriber(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let subscriber = try store.deleteWebhookSubscriber(id: call.parameter("subscriber_id"), by: call.actor, now: call.now)
        return try respond(call, subscriber, V1Representation.writeSubscriber(_:_:))
    }
}
