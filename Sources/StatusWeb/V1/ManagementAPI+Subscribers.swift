import Foundation
import HTTPServer
import StatusCore

// Subscribers, as Statuspage's v1 has them: one collection of both kinds Warta has.
//
// - Webhook subscribers: `{"subscriber": {"endpoint": "https://...", "events": ["incident",
//   "check"]}}` (or `subscriber[endpoint]=...&subscriber[events][]=check`) registers one and
//   answers its signing secret, once.
// - Email subscribers (ManagementAPI+MailSubscribers.swift): `subscriber[email]`, only when
//   the server has an SMTP relay.
//
// `GET` lists (filtered by `type`, `state`, `q`), counts or shows them; `DELETE` and
// `unsubscribe` remove them with their pending deliveries. Subscribers are not public, so no
// snapshot is rebuilt; every change is audited by the store, which names an email
// subscriber by its id and a keyed hash of its address, never the address.

extension ManagementAPI {
    /// A subscriber of either kind.
    enum Subscriber {
        case mail(MailSubscriber)
        case webhook(WebhookSubscriber)

        var id: String {
            switch self {
            case .mail(let mail): mail.id
            case .webhook(let webhook): webhook.id
            }
        }

        var createdAt: Date {
            switch self {
            case .mail(let mail): mail.createdAt
            case .webhook(let webhook): webhook.createdAt
            }
        }

        var type: SubscriberType {
            switch self {
            case .mail: .email
            case .webhook: .webhook
            }
        }

        /// A webhook is always active: a failing endpoint is retried, never quarantined.
        var state: MailSubscriber.State {
            switch self {
            case .mail(let mail): mail.state
            case .webhook: .active
            }
        }

        /// The email subscriber, if it is one.
        var mailSubscriber: MailSubscriber? {
            if case .mail(let mail) = self { return mail }
            return nil
        }

        func matches(type wantedType: SubscriberType?, state wantedState: SubscriberState) -> Bool {
            (wantedType.map { $0 == type } ?? true) && (wantedState.mailState.map { $0 == state } ?? true)
        }
    }

    /// v1's `type` filter: the kinds of subscriber Warta has.
    enum SubscriberType: String, CaseIterable {
        case email, webhook
    }

    /// v1's `state` filter: a subscriber's state, or `all`.
    enum SubscriberState: String, CaseIterable {
        case active, unconfirmed, quarantined, all

        var mailState: MailSubscriber.State? { MailSubscriber.State(rawValue: rawValue) }
    }

    /// What a bulk action (`unsubscribe`, `resend_confirmation`, `reactivate`) names: chosen
    /// ids, or every subscriber of `type` in `state`.
    struct SubscriberSelection {
        /// Statuspage's limit on the ids of one bulk action.
        static let maximumIDs = 100

        /// nil: `"all"`.
        var ids: [String]?
        var type: SubscriberType?
        var state: SubscriberState
    }
}

extension ManagementAPI {
    /// `subscribers/count` and the bulk actions are literal segments, so they win over
    /// `subscribers/{subscriber_id}` whatever order they are added in.
    static func registerSubscribers(on router: inout Router, _ api: Handlers, page: String) {
        let collection = page + "/subscribers", member = collection + "/{subscriber_id}"
        let routes: [(HTTPMethod, String, ManagementAPI.Action)] = [
            (.get, collection, { try $0.listSubscribers($1) }),
            (.post, collection, { try $0.createSubscriber($1) }),
            (.get, collection + "/count", { try $0.countSubscribers($1) }),
            (.post, collection + "/unsubscribe", { try $0.unsubscribe($1) }),
            (.post, collection + "/resend_confirmation", { try $0.resendConfirmations($1) }),
            (.post, collection + "/reactivate", { try $0.reactivate($1) }),
            (.get, member, { try $0.getSubscriber($1) }),
            (.delete, member, { try $0.deleteSubscriber($1) }),
            (.post, member + "/resend_confirmation", { try $0.resendConfirmation($1) }),
        ]
        add(routes, to: &router, api, access: .scope(.subscribers))
    }
}

extension ManagementAPI.Handlers {
    typealias Subscriber = ManagementAPI.Subscriber
    typealias SubscriberType = ManagementAPI.SubscriberType
    typealias SubscriberState = ManagementAPI.SubscriberState

    // MARK: Create

    /// `subscriber[email]` makes an email subscriber, `subscriber[endpoint]` a webhook; one
    /// of them, not both.
    func createSubscriber(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let fields = try Self.fields(call.request, root: "subscriber")
        switch try (fields.string("email"), fields.string("endpoint")) {
        case (let address?, nil):
            return try createMailSubscriber(call, fields, email: address)
        case (nil, let url?):
            return try createWebhookSubscriber(call, fields, endpoint: url)
        case (.some, .some):
            throw APIError.invalid("subscriber[endpoint]",
                                   "A subscriber has subscriber[email] or subscriber[endpoint], not both.")
        case (nil, nil):
            // Without a relay, a webhook is the only subscriber this server can have.
            throw APIError.invalid(publisher.options.mailSubscriptions ? "subscriber[email]" : "subscriber[endpoint]",
                                   "A subscriber needs subscriber[email], the address to mail, "
                                       + "or subscriber[endpoint], the URL to POST to.")
        }
    }

    func createWebhookSubscriber(_ call: ManagementAPI.Call, _ fields: FieldReader, endpoint: String) throws
        -> HTTPResponse {
        // Webhooks are told of every component, in the page's language: refusing these beats
        // storing a choice that would not be honoured.
        for field in ["component_ids", "language"] where fields.has(field) {
            throw APIError.invalid(fields.name(field), "\(fields.name(field)) is for email subscribers; "
                                       + "a webhook subscriber is told of every component.")
        }
        if let refusal = webhookDestinations.refusal(forEndpoint: endpoint) {
            throw APIError.invalid("subscriber[endpoint]", "An endpoint must not lead inside the server's network: "
                + "\(refusal). To deliver to receivers on an intranet, start the server with --webhook-allow-private.")
        }
        let events = try Self.subscribedEvents(fields)
        let (subscriber, secret) = try store.createWebhookSubscriber(
            endpoint: endpoint, events: events ?? WebhookDelivery.Event.defaultSubscription, by: call.actor, now: call.now)
        let v1 = try representation(now: call.now)
        return v1.response(.created) { v1.writeWebhookSubscriber(subscriber, secret: secret, &$0) }
    }

    /// `subscriber[events]`: the events a subscriber is told of, from `incident`,
    /// `component_update` and `check`; nil when not given (the default set). An unknown event
    /// is refused naming the allowed ones, so a typo cannot leave a subscriber deaf.
    static func subscribedEvents(_ fields: FieldReader) throws -> [WebhookDelivery.Event]? {
        guard let names = try fields.stringArray("events") else { return nil }
        return try names.map { try decode(WebhookDelivery.Event.self, from: $0, field: fields.name("events")) }
    }

    // MARK: Read

    /// Both kinds, oldest first, filtered by `type`, `state` (default `all`) and `q` (part of
    /// the address or endpoint), a page at a time (`page`, and `limit` or `per_page`).
    func listSubscribers(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let request = call.request
        let (type, state) = try Self.subscriberFilter(request)
        let (size, page) = try Self.paging(request, sizeName: request.queryValue("limit") != nil ? "limit" : "per_page")
        let found = try subscribers(type: type, state: state, query: request.queryValue("q"))
        return try respondList(call, found.dropFirst((page - 1) * size).prefix(size), V1Representation.writeSubscriber)
    }

    func countSubscribers(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let (type, state) = try Self.subscriberFilter(call.request)
        var count = 0
        if type != .webhook { count += try store.mailSubscriberCount(state: state.mailState) }
        if type != .email, state == .all || state == .active { count += try store.webhookSubscribers().count }
        let v1 = try representation(now: call.now)
        return v1.response { v1.writeSubscriberCount(type: type, state: state, count: count, &$0) }
    }

    func getSubscriber(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        try respond(call, try subscriber(id: call.parameter("subscriber_id")), V1Representation.writeSubscriber)
    }

    /// The subscribers of `type` (nil: both) in `state` whose address or endpoint holds
    /// `query`, oldest first.
    func subscribers(type: SubscriberType?, state: SubscriberState, query: String?) throws -> [Subscriber] {
        var found: [Subscriber] = []
        if type != .webhook {
            found += try store.mailSubscribers(state: state.mailState, query: query).map(Subscriber.mail)
        }
        if type != .email, state == .all || state == .active {
            let needle = query?.lowercased() ?? ""
            found += try store.webhookSubscribers()
                .filter { needle.isEmpty || $0.endpoint.lowercased().contains(needle) }
                .map(Subscriber.webhook)
        }
        return found.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// The subscriber of either kind with `id`.
    ///
    /// - Throws: `ValidationError.notFound` (`.subscriber(.identity)`).
    func subscriber(id: String) throws -> Subscriber {
        do {
            return .webhook(try store.webhookSubscriber(id: id))
        } catch let error as ValidationError where error.kind == .notFound {
            return .mail(try store.mailSubscriber(id: id))
        }
    }

    /// `type` and `state` from the query; an unknown value is refused naming the allowed ones.
    static func subscriberFilter(_ request: HTTPRequest) throws -> (SubscriberType?, SubscriberState) {
        let type = try request.queryValue("type").map { try decode(SubscriberType.self, from: $0, field: "type") }
        let state = try request.queryValue("state").map { try decode(SubscriberState.self, from: $0, field: "state") }
        return (type, state ?? .all)
    }

    // MARK: Remove

    /// Unsubscribes one subscriber of either kind; answers it as it was.
    func deleteSubscriber(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let subscriber = try self.subscriber(id: call.parameter("subscriber_id"))
        try delete([subscriber], call)
        return try respond(call, subscriber, V1Representation.writeSubscriber)
    }

    /// `{"subscribers": [ids] | "all", "type": ..., "state": ...}`: deletes the subscribers
    /// named (both kinds when no type is given); answers them as they were.
    func unsubscribe(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let chosen = try selected(try Self.subscriberSelection(call.request))
        try delete(chosen, call)
        return try respondList(call, chosen, V1Representation.writeSubscriber)
    }

    /// Deletes `subscribers` and their pending deliveries. Email subscribers go in one
    /// transaction; one that is already gone is passed over.
    private func delete(_ subscribers: [Subscriber], _ call: ManagementAPI.Call) throws {
        let mailIDs = subscribers.compactMap { $0.mailSubscriber?.id }
        if !mailIDs.isEmpty { try store.deleteMailSubscribers(ids: mailIDs, by: call.actor, now: call.now) }
        for case .webhook(let webhook) in subscribers {
            do {
                _ = try store.deleteWebhookSubscriber(id: webhook.id, by: call.actor, now: call.now)
            } catch let error as ValidationError where error.kind == .notFound {
                continue
            }
        }
    }

    // MARK: Bulk selections

    /// A bulk action's body: `subscribers` (a list of ids, at most 100, or `"all"`; a string
    /// of comma-separated ids as Statuspage's own description has it), `type` and `state`.
    /// JSON or a form (`subscribers[]=id`, `subscribers=all`).
    static func subscriberSelection(_ request: HTTPRequest) throws -> ManagementAPI.SubscriberSelection {
        let body = try RequestBody.decode(request)
        guard case .object(let members) = body else {
            throw APIError(.badRequest, "The body must be an object like {\"subscribers\": [\"id\", ...]}.")
        }
        let fields = FieldReader(members: members, path: "")
        let type = try fields.string("type").map { try decode(SubscriberType.self, from: $0, field: "type") }
        let state = try fields.string("state").map { try decode(SubscriberState.self, from: $0, field: "state") } ?? .all
        let named: [String]
        switch fields.value("subscribers") {
        case .string(let text)?:
            named = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .array?:
            named = try fields.stringArray("subscribers") ?? []
        case nil:
            throw APIError.invalid("subscribers", "subscribers is required: a list of subscriber ids, or \"all\".")
        case let other?:
            throw APIError.invalid("subscribers", "subscribers must be a list of ids or \"all\", not \(other.kindName).")
        }
        if named == ["all"] { return .init(ids: nil, type: type, state: state) }
        guard !named.isEmpty else {
            throw APIError.invalid("subscribers", "subscribers names no subscriber; give their ids, or \"all\".")
        }
        let ids = named.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        guard ids.count <= ManagementAPI.SubscriberSelection.maximumIDs else {
            throw APIError.invalid("subscribers", "At most \(ManagementAPI.SubscriberSelection.maximumIDs) subscribers "
                                       + "at a time, not \(ids.count); use \"all\" with type and state for more.")
        }
        return .init(ids: ids, type: type, state: state)
    }

    /// The subscribers a selection names that are of its type and in its state, oldest first.
    ///
    /// - Throws: `APIError` (422, `subscribers`) for an id that names no subscriber.
    func selected(_ selection: ManagementAPI.SubscriberSelection) throws -> [Subscriber] {
        guard let ids = selection.ids else {
            return try subscribers(type: selection.type, state: selection.state, query: nil)
        }
        return try ids.map { id in
            do {
                return try subscriber(id: id)
            } catch let error as ValidationError where error.kind == .notFound {
                throw APIError.invalid("subscribers", "There is no subscriber with id '\(id)'.")
            }
        }
        .filter { $0.matches(type: selection.type, state: selection.state) }
        .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }
}
