import Foundation
import HTTPServer
import StatusCore

// Email subscribers added and tended by staff: `subscriber[email]` with
// `subscriber[component_ids][]`, `subscriber[skip_confirmation_notification]` and Warta's
// `subscriber[language]`; fresh confirmations for those who have not confirmed; an end to
// the quarantine of an address the relay refused. Only a server with an SMTP relay takes
// new ones or mails them.
//
// `resend_confirmation` and `reactivate` answer the subscribers they acted on (as they are
// now, with a new `purge_at` or `state`) rather than a count: the caller learns which of the
// ones it named were left alone, in the same shape as every other subscriber answer.

extension ManagementAPI.Handlers {
    /// Why an email subscriber cannot be added or mailed here.
    static let noRelay = "This server has no SMTP relay configured (warta serve --smtp-url ...), "
        + "so it cannot mail subscribers."

    func createMailSubscriber(_ call: ManagementAPI.Call, _ fields: FieldReader, email: String) throws -> HTTPResponse {
        guard publisher.options.mailSubscriptions else { throw APIError.invalid("subscriber[email]", Self.noRelay) }
        if fields.has("events") {
            throw APIError.invalid("subscriber[events]", "subscriber[events] is for webhook subscribers; "
                                       + "an email subscriber is mailed about incidents and maintenances.")
        }
        let language = try fields.string("language") ?? store.page().defaultLanguage
        // Statuspage reads an empty list as every component, not as none.
        let componentIDs = try fields.stringArray("component_ids").flatMap { $0.isEmpty ? nil : $0 }
        let skipConfirmation = try fields.bool("skip_confirmation_notification") ?? false
        let subscriber = try store.createMailSubscriber(
            email: email, language: language, componentIDs: componentIDs, skipConfirmation: skipConfirmation,
            by: call.actor, now: call.now)
        if !skipConfirmation { mailQueued() }
        return try respond(call, subscriber, V1Representation.writeMailSubscriber, status: .created)
    }

    /// `{"subscribers": [ids] | "all"}`: mails a fresh confirmation (and gives 48 more hours)
    /// to each unconfirmed email subscriber named; others are left alone.
    func resendConfirmations(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        guard publisher.options.mailSubscriptions else { throw APIError.invalid("subscribers", Self.noRelay) }
        var selection = try Self.subscriberSelection(call.request)
        selection.type = .email
        selection.state = .unconfirmed
        let chosen = try selected(selection).compactMap(\.mailSubscriber)
        if try store.resendConfirmations(ids: chosen.map(\.id), by: call.actor, now: call.now) > 0 { mailQueued() }
        return try respondList(call, try reloaded(chosen), V1Representation.writeMailSubscriber)
    }

    /// A fresh confirmation for one unconfirmed email subscriber.
    func resendConfirmation(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        guard publisher.options.mailSubscriptions else { throw APIError(.unprocessableContent, Self.noRelay) }
        let subscriber = try self.subscriber(id: call.parameter("subscriber_id"))
        guard let mail = subscriber.mailSubscriber, mail.state == .unconfirmed else {
            throw APIError.invalid("subscriber_id", "Only an unconfirmed email subscriber is sent a confirmation; "
                                       + "this one is \(subscriber.type == .email ? subscriber.state.rawValue : "a webhook").")
        }
        if try store.resendConfirmations(ids: [mail.id], by: call.actor, now: call.now) > 0 { mailQueued() }
        return try respond(call, try store.mailSubscriber(id: mail.id), V1Representation.writeMailSubscriber)
    }

    /// `{"subscribers": [ids] | "all", "type": ...}`: lifts the quarantine of each
    /// quarantined subscriber named, so it is mailed again.
    func reactivate(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        var selection = try Self.subscriberSelection(call.request)
        var chosen: [MailSubscriber] = []
        // Only email subscribers are ever quarantined.
        if selection.type != .webhook {
            selection.type = .email
            selection.state = .quarantined
            chosen = try selected(selection).compactMap(\.mailSubscriber)
        }
        try store.reactivateMailSubscribers(ids: chosen.map(\.id), by: call.actor, now: call.now)
        return try respondList(call, try reloaded(chosen), V1Representation.writeMailSubscriber)
    }

    /// `subscribers` as they are now; one deleted meanwhile is left out.
    private func reloaded(_ subscribers: [MailSubscriber]) throws -> [MailSubscriber] {
        try subscribers.compactMap { subscriber in
            do {
                return try store.mailSubscriber(id: subscriber.id)
            } catch let error as ValidationError where error.kind == .notFound {
                return nil
            }
        }
    }
}
