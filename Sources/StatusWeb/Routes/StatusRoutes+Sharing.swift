import Foundation
import HTTPServer
import StatusCore

/// What other sites and gateways take from the page: the status in one SMS
/// (`/status.txt`) and the banner made to be framed (`/embed`). Both are prepared with the
/// snapshot in each language, chosen by `?lang=` or `Accept-Language` as the pages are.
extension StatusRoutes {
    static func registerSharing(on router: inout Router, publisher: Publisher) {
        getPrepared("/status.txt", on: &router, publisher: publisher) { pages, language in pages.statusText(language) }
        getPrepared("/embed", on: &router, publisher: publisher) { pages, language in pages.embed(language) }
    }
}
