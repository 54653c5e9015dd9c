import Foundation
import Logging
import HTTPServer
import StatusCore

/// The public HTML pages, feeds and badges. Each is answered from the current snapshot;
/// pages the snapshot does not hold (an old incident, a history page) are read from the
/// store off the event loop, then kept in the snapshot for the next reader.
extension StatusRoutes {
    /// `GET path` answered from the current snapshot with the document `entry` picks from
    /// its pages in the request's language (`?lang=`, then `Accept-Language`).
    static func getPrepared(_ path: String, on router: inout Router, publisher: Publisher,
                            _ entry: @escaping @Sendable (SnapshotPages, Language) -> Snapshot.Entry) {
        router.get(path) { request, _ in
            let snapshot = publisher.snapshots.current
            let language = Language.negotiate(request, fallback: snapshot.html.defaultLanguage)
            return .response(snapshot.response(for: entry(snapshot.html, language), request: request,
                                               now: publisher.clock.now()))
        }
    }

    static func registerPages(on router: inout Router, publisher: Publisher) {
        let store = publisher.store
        getPrepared("/", on: &router, publisher: publisher) { pages, language in pages.overview(language) }
        router.get("/theme.css") { request, _ in
            let snapshot = publisher.snapshots.current
            return .response(snapshot.response(for: snapshot.html.theme, request: request, now: publisher.clock.now()))
        }
        router.get("/incidents/{id}") { request, parameters in
            let snapshot = publisher.snapshots.current
            let language = Language.negotiate(request, fallback: snapshot.html.defaultLanguage)
            let id = parameters["id"] ?? ""
            if let entry = snapshot.html.incident(id: id, language) {
                return .response(snapshot.response(for: entry, request: request, now: publisher.clock.now()))
            }
            guard Identifier.isValid(id) else {
                return .response(snapshot.html.notFound(language))
            }
            return .blocking {
                do {
                    let incident = try store.incident(id: id)
                    return snapshot.response(for: snapshot.html.incidentPage(incident, language), request: request,
                                             now: publisher.clock.now())
                } catch let error as ValidationError where error.kind == .notFound {
                    return snapshot.html.notFound(language)
                } catch {
                    return Self.unavailable(error)
                }
            }
        }
        router.get("/history") { request, _ in
            let snapshot = publisher.snapshots.current
            let language = Language.negotiate(request, fallback: snapshot.html.defaultLanguage)
            let pageText = request.queryValue("page") ?? "1"
            guard let page = Int(pageText), (1...Self.historyPageLimit).contains(page) else {
                return .response(snapshot.html.notFound(language))
            }
            if let entry = snapshot.html.renderedHistory(page: page, language) {
                return .response(snapshot.response(for: entry, request: request, now: publisher.clock.now()))
            }
            return .blocking {
                do {
                    let entry = try snapshot.html.history(page: page, store: store, language)
                    return snapshot.response(for: entry, request: request, now: publisher.clock.now())
                } catch {
                    return Self.unavailable(error)
                }
            }
        }
        for format in [SnapshotPages.FeedFormat.rss, .atom] {
            router.get("/history.\(format.rawValue)") { request, _ in
                let snapshot = publisher.snapshots.current
                let entry = snapshot.html.feed(format, baseURL: baseURL(snapshot.html.pages.state.page, request))
                return .response(snapshot.response(for: entry, request: request, now: publisher.clock.now()))
            }
        }
        getPrepared("/badge.svg", on: &router, publisher: publisher) { pages, language in
            pages.badge(componentID: nil, language)!
        }
        router.get("/components/{id}/badge.svg") { request, parameters in
            let snapshot = publisher.snapshots.current
            let language = Language.negotiate(request, fallback: snapshot.html.defaultLanguage)
            guard let entry = snapshot.html.badge(componentID: parameters["id"], language) else {
                return .response(snapshot.html.notFound(language))
            }
            return .response(snapshot.response(for: entry, request: request, now: publisher.clock.now()))
        }
    }

    /// History pages beyond this (250 years) are refused rather than computed.
    static let historyPageLimit = 1000

    /// The absolute base of links in feeds: the page's `url`, or while that is unset the
    /// scheme and `Host` of the request (a `Host` with characters no host name has falls
    /// back to `localhost`; `X-Forwarded-Proto: https` from a TLS proxy gives `https`).
    static func baseURL(_ page: Page, _ request: HTTPRequest) -> String {
        if !page.url.isEmpty { return page.url }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.:[]")
        var host = request.headers[.host] ?? ""
        if host.isEmpty || host.count > 255 || !host.allSatisfy(allowed.contains) { host = "localhost" }
        let scheme = request.headers["X-Forwarded-Proto"]?.lowercased() == "https" ? "https" : "http"
        return "\(scheme)://\(host.lowercased())"
    }

    /// The store failed: say so without internals, and log it.
    static func unavailable(_ error: Error) -> HTTPResponse {
        Logger(label: "warta.pages").error("page read failed", metadata: ["error": "\(error)"])
        return HTTPResponse(status: .serviceUnavailable, headers: [
            .contentType: "text/plain; charset=utf-8",
            .cacheControl: "no-store",
            .retryAfter: "5",
        ], body: Array("The status page cannot read its database right now. Try again in a few seconds.\n".utf8))
    }
}
