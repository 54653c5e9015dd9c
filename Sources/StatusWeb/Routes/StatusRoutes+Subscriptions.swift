import Foundation
import HTTPServer
import Logging
import StatusCore

/// Mail subscriptions, the public side, as plain HTML forms (no JavaScript):
///
/// - `GET /subscribe`, `POST /subscribe`: the sign-up form and its answer, a `303 See Other`
///   to `/subscribe/sent` that is the same whatever the address's standing, so nobody learns
///   from it who is subscribed;
/// - `GET`, `POST /subscriptions/{token}`: the page a subscriber's link opens (confirm,
///   change, see that mail bounced). A GET never changes anything: mail scanners fetch links;
/// - `GET`, `POST /subscriptions/{token}/unsubscribe`: leaving, also as RFC 8058's one-click
///   POST from the mail client.
///
/// Every answer is `Cache-Control: no-store`: each shows one person's form or subscription.
/// The token pages also send `Referrer-Policy: no-referrer`, so no link on them tells
/// another site the token. Without an SMTP relay (`PageOptions.mailSubscriptions` false)
/// none of these paths exists.
extension StatusRoutes {
    static func registerSubscriptions(on router: inout Router, publisher: Publisher, limiter: SignUpLimiter,
                                      mailQueued: @escaping @Sendable () -> Void) {
        guard publisher.options.mailSubscriptions else { return }
        let store = publisher.store

        router.get("/subscribe") { request, _ in
            let html = publisher.snapshots.current.html
            let language = Language.negotiate(request, fallback: html.defaultLanguage)
            let form = PageRenderer.SubscriptionForm(language: language.tag)
            return .response(subscriptionResponse(html.pages.subscribePage(form, language), language, html))
        }
        router.post("/subscribe") { request, _ in
            let html = publisher.snapshots.current.html
            let language = Language.negotiate(request, fallback: html.defaultLanguage)
            // Before anything else, so a refused sign-up costs no parsing and no database.
            if let seconds = limiter.admit(request.remoteAddress) {
                let retryAt = publisher.clock.now().addingTimeInterval(TimeInterval(seconds))
                var response = subscriptionResponse(html.pages.signUpLimitedPage(retryAt: retryAt, language), language,
                                                    html, status: .tooManyRequests)
                response.headers.set(.retryAfter, String(seconds))
                return .response(response)
            }
            let form = signUpForm(formFields(request), pages: html.pages)
            guard form.problems.isEmpty else {
                return .response(subscriptionResponse(html.pages.subscribePage(form, language), language, html,
                                                      status: .unprocessableContent))
            }
            return .blocking {
                do {
                    let outcome = try store.signUp(
                        email: form.email, language: form.language,
                        componentIDs: form.allComponents ? nil : form.componentIDs, now: publisher.clock.now())
                    subscriptionLog.info("sign-up", metadata: [
                        "request_id": "\(request.id)", "remote": "\(request.remoteAddress)", "outcome": "\(outcome.rawValue)",
                    ])
                    if outcome != .recentlyMailed { mailQueued() }
                    return signUpAnswer(language)
                } catch let error as ValidationError {
                    var refused = form
                    refused.problems[problemField(error)] = problemKey(error)
                    return subscriptionResponse(html.pages.subscribePage(refused, language), language, html,
                                                status: .unprocessableContent)
                } catch {
                    return unavailable(error)
                }
            }
        }
        router.get("/subscribe/sent") { request, _ in
            let html = publisher.snapshots.current.html
            let language = Language.negotiate(request, fallback: html.defaultLanguage)
            return .response(subscriptionResponse(html.pages.subscribeSentPage(language), language, html))
        }

        router.get("/subscriptions/{token}", subscriberRoute(publisher) { call in
            let done = call.request.queryValue("done").flatMap(PageRenderer.SubscriptionDone.init(rawValue:))
            let page = call.html.pages.subscriptionPage(call.subscriber, path: call.path, keepLanguage: call.languageChosen,
                                                        done: done, call.language)
            return call.page(page)
        })
        router.post("/subscriptions/{token}", subscriberRoute(publisher) { call in
            let fields = formFields(call.request)
            func refused(form: PageRenderer.SubscriptionForm? = nil, problem: String? = nil) -> HTTPResponse {
                call.page(call.html.pages.subscriptionPage(call.subscriber, path: call.path, keepLanguage: call.languageChosen,
                                                           done: nil, form: form, problem: problem, call.language),
                          status: .unprocessableContent)
            }
            // The page again, with what was done: a reload does not post twice.
            func done(_ done: PageRenderer.SubscriptionDone) -> HTTPResponse {
                let target = call.path + "?done=" + done.rawValue
                return seeOther(call.languageChosen ? PageRenderer.link(target, call.language) : target)
            }
            switch fields.first(where: { $0.name == "action" })?.value ?? "" {
            case "confirm":
                guard try store.confirmSubscription(token: call.token, now: call.now) != nil
                else { return invalidLink(call.request, call.html) }
                return done(.confirmed)
            case "save":
                var form = managementForm(fields, pages: call.html.pages, subscriber: call.subscriber)
                guard form.problems.isEmpty else { return refused(form: form) }
                do {
                    guard try store.changeSubscription(
                        token: call.token, language: form.language,
                        componentIDs: form.allComponents ? nil : form.componentIDs, now: call.now) != nil
                    else { return invalidLink(call.request, call.html) }
                } catch let error as ValidationError {
                    form.problems[problemField(error)] = problemKey(error)
                    return refused(form: form)
                }
                return done(.saved)
            default:
                return refused(problem: "subscribe_error_action")
            }
        })

        router.get("/subscriptions/{token}/unsubscribe", subscriberRoute(publisher) { call in
            call.page(call.html.pages.unsubscribePage(path: call.path + "/unsubscribe", call.language))
        })
        // RFC 8058 §3.1: the mail client POSTs `List-Unsubscribe=One-Click`, as a form or as
        // multipart/form-data, with no cookie and no page to follow; the page's own button
        // posts an empty form. Either way the body says nothing this needs, so any is taken.
        // A second click finds nothing to delete, and says so without an error.
        router.post("/subscriptions/{token}/unsubscribe", tokenRoute(publisher) { request, token, html in
            let subscriber = try store.mailSubscriber(token: token)
            let left = try store.leave(token: token, now: publisher.clock.now())
            let language = subscriber.map { tokenLanguage(request, $0, html).language }
                ?? Language.negotiate(request, fallback: html.defaultLanguage)
            subscriptionLog.info("left", metadata: [
                "request_id": "\(request.id)", "remote": "\(request.remoteAddress)", "deleted": "\(left)",
            ])
            let page = html.pages.leftPage(alreadyEnded: !left, path: "/subscriptions/\(token)/unsubscribe", language)
            return subscriptionResponse(page, language, html, tokenPage: true)
        })
    }

    // MARK: Token routes

    /// A route under `/subscriptions/{token}`: a token of the wrong shape is answered 404 on
    /// the event loop, anything else runs `handle` off it; a store failure is 503.
    static func tokenRoute(_ publisher: Publisher,
                           _ handle: @escaping @Sendable (HTTPRequest, String, SnapshotPages) throws -> HTTPResponse)
        -> Router.Handler {
        { request, parameters in
            let html = publisher.snapshots.current.html
            let token = parameters["token"] ?? ""
            guard isTokenShaped(token) else { return .response(invalidLink(request, html)) }
            return .blocking {
                do {
                    return try handle(request, token, html)
                } catch {
                    return unavailable(error)
                }
            }
        }
    }

    /// What a route about one live subscriber works with.
    struct SubscriberCall {
        let request: HTTPRequest
        let token: String
        let subscriber: MailSubscriber
        let html: SnapshotPages
        let now: Date
        let language: Language
        /// Whether `language` is the reader's choice (`?lang=`), not the subscriber's own.
        let languageChosen: Bool

        /// `/subscriptions/{token}`.
        var path: String { "/subscriptions/" + token }

        func page(_ body: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
            subscriptionResponse(body, language, html, status: status, tokenPage: true)
        }
    }

    /// A `tokenRoute` for a subscriber that still exists: 404 for one that does not.
    static func subscriberRoute(_ publisher: Publisher, _ handle: @escaping @Sendable (SubscriberCall) throws -> HTTPResponse)
        -> Router.Handler {
        tokenRoute(publisher) { request, token, html in
            let now = publisher.clock.now()
            guard let subscriber = try liveSubscriber(publisher.store, token: token, now: now) else {
                return invalidLink(request, html)
            }
            let (language, chosen) = tokenLanguage(request, subscriber, html)
            return try handle(SubscriberCall(request: request, token: token, subscriber: subscriber, html: html, now: now,
                                             language: language, languageChosen: chosen))
        }
    }

    static let subscriptionLog = Logger(label: "warta.subscriptions")

    // MARK: Forms

    /// The fields of an `application/x-www-form-urlencoded` body, in order; none for any
    /// other body (a form that is not one is refused field by field).
    static func formFields(_ request: HTTPRequest) -> [(name: String, value: String)] {
        let mediaType = request.headers[.contentType].map {
            $0.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard mediaType == "application/x-www-form-urlencoded" else { return [] }
        return FormDecoding.pairs(Substring(decoding: request.body, as: UTF8.self))
    }

    /// The sign-up form as sent, each problem named: the address (as typed, less the spaces
    /// around it; a line break stays and is refused, since it would write mail headers), the
    /// language, and the components, all or those ticked.
    static func signUpForm(_ fields: [(name: String, value: String)], pages: PageRenderer) -> PageRenderer.SubscriptionForm {
        let email = (fields.first { $0.name == "email" }?.value ?? "").trimmingCharacters(in: CharacterSet(charactersIn: " "))
        var form = managementForm(fields, pages: pages, subscriber: nil)
        form.email = email
        if email.isEmpty {
            form.problems[.email] = "subscribe_error_email_missing"
        } else if MailAddress.problem(with: email) != nil {
            form.problems[.email] = "subscribe_error_email"
        }
        return form
    }

    /// The language and components of a form (the sign-up form's, or a subscriber's manage
    /// form). `components=all` or `components=chosen` with `component_ids[]` repeated; ticked
    /// boxes without `components` mean chosen. An unknown component is refused, not dropped:
    /// the subscriber would get less than they asked for.
    static func managementForm(_ fields: [(name: String, value: String)], pages: PageRenderer,
                               subscriber: MailSubscriber?) -> PageRenderer.SubscriptionForm {
        let language = fields.first { $0.name == "language" }?.value ?? ""
        var ids: [String] = []
        for field in fields where field.name == "component_ids[]" || field.name == "component_ids" {
            if !ids.contains(field.value) { ids.append(field.value) }
        }
        let mode = fields.first { $0.name == "components" }?.value ?? (ids.isEmpty ? "all" : "chosen")
        var form = PageRenderer.SubscriptionForm(email: subscriber?.email ?? "", language: language,
                                                 allComponents: mode == "all", componentIDs: ids)
        if Language(rawValue: language) == nil {
            form.problems[.language] = "subscribe_error_language"
        }
        if mode != "all" {
            if mode != "chosen" || ids.isEmpty {
                form.problems[.components] = "subscribe_error_components_none"
            } else if ids.contains(where: { pages.componentsByID[$0] == nil }) {
                form.problems[.components] = "subscribe_error_components_unknown"
                form.componentIDs = ids.filter { pages.componentsByID[$0] != nil }
            }
        }
        return form
    }

    /// The field of a form that a refusal from the store names.
    static func problemField(_ error: ValidationError) -> PageRenderer.SubscriptionForm.Field {
        switch error.field.attribute {
        case .email: return .email
        case .language: return .language
        default: return .components
        }
    }

    /// What the form says about a refusal from the store (a component deleted while the
    /// form was filled in, say).
    static func problemKey(_ error: ValidationError) -> String {
        switch problemField(error) {
        case .email: return "subscribe_error_email"
        case .language: return "subscribe_error_language"
        case .components: return "subscribe_error_components_unknown"
        }
    }

    // MARK: Answers

    /// The answer to every accepted sign-up, new, renewed, already confirmed or mailed a
    /// moment ago alike: `303 See Other` (RFC 9110 §15.4.4) with a short note linking where it
    /// leads, so the page after a POST can be reloaded without posting again.
    static func signUpAnswer(_ language: Language) -> HTTPResponse {
        seeOther(PageRenderer.link("/subscribe/sent", language))
    }

    static func seeOther(_ location: String) -> HTTPResponse {
        let escaped = HTMLEscaping.escape(location)
        let note = "<!DOCTYPE html>\n<title>303 See Other</title>\n<p><a href=\"\(escaped)\">\(escaped)</a></p>\n"
        return HTTPResponse(status: .seeOther, headers: [
            .location: location,
            .contentType: SnapshotPages.htmlType,
            .cacheControl: "no-store",
            .xContentTypeOptions: "nosniff",
            "Referrer-Policy": "no-referrer",
        ], body: Array(note.utf8))
    }

    /// A subscription page: never stored by any cache; a token page also tells the browser
    /// to send no `Referer` from it and search engines not to index it.
    static func subscriptionResponse(_ body: [UInt8], _ language: Language, _ html: SnapshotPages,
                                     status: HTTPStatus = .ok, tokenPage: Bool = false) -> HTTPResponse {
        var headers = SnapshotPages.securityHeaders(language, csp: html.contentSecurityPolicy)
        headers.set(.contentType, SnapshotPages.htmlType)
        headers.set(.cacheControl, "no-store")
        if tokenPage {
            headers.set("Referrer-Policy", "no-referrer")
            headers.set("X-Robots-Tag", "noindex")
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// 404: the link names no subscription (expired, ended, mistyped or never genuine).
    static func invalidLink(_ request: HTTPRequest, _ html: SnapshotPages) -> HTTPResponse {
        let language = Language.negotiate(request, fallback: html.defaultLanguage)
        return subscriptionResponse(html.pages.invalidLinkPage(language), language, html, status: .notFound,
                                    tokenPage: true)
    }

    // MARK: Tokens

    /// Whether `token` has the shape of a subscription token (a subscriber id and 32 hex
    /// digits, `Store.subscriptionToken(for:)`): only such a one is looked up.
    static func isTokenShaped(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count == Identifier.length + 32,
              Identifier.isValid(String(decoding: bytes[..<Identifier.length], as: UTF8.self)) else { return false }
        return bytes[Identifier.length...].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// The subscriber a token names, unless it is an unconfirmed sign-up whose time ran out
    /// (the clock path deletes it soon; until then it is gone for its link too).
    static func liveSubscriber(_ store: Store, token: String, now: Date) throws -> MailSubscriber? {
        guard let subscriber = try store.mailSubscriber(token: token) else { return nil }
        if subscriber.state == .unconfirmed, let expiresAt = subscriber.expiresAt, expiresAt <= now { return nil }
        return subscriber
    }

    /// A token page's language: `?lang=` when it names one (`chosen`), else the subscriber's.
    static func tokenLanguage(_ request: HTTPRequest, _ subscriber: MailSubscriber, _ html: SnapshotPages)
        -> (language: Language, chosen: Bool) {
        if let requested = request.queryValue("lang"), let language = Language(tag: requested) {
            return (language, true)
        }
        return (Language(rawValue: subscriber.language) ?? html.defaultLanguage, false)
    }
}
