import Foundation
import HTTPServer
import StatusCore

/// What other sites and gateways take from the page: the status in one SMS
/// (`/status.txt`) and the banner made to be framed (`/embed`). Both are prepared with the
/// snapshot in each language, chosen by `?lang=` or `Accept-Language` as the pages are.
extension StatusRoutes {
    static func registerSharing(on router: inout Router, publisher: Publisher) {
        router.get("/status.txt") { request, _ in
            let snapshot = publisher.snapshots.current
            let language = Language.negotiate(request, fallback: snapshot.html.defaultLanguage)
            return .response(snapshot.response(for: snapshot.html.statusText(language), request: request,
                                               now: publisher.clock.now()))
        }
        router.get("/embed") { request, _ in
            let snapshot = publisher.snapshots.current
            let language = Language.negotiate(request, fallback: snapshot.html.defaultLanguage)
            return .response(snapshot.response(for: snapshot.html.embed(language), request: request,
                                               now: publisher.clock.now()))
        }
    }
}
