import Foundation
import HTTPServer

/// Cross-origin reads (the Fetch standard's CORS protocol) of the public read documents, so
/// the organisation's own site, apps and partners can show the status with `fetch`: the
/// v2 API, the feeds, the badges and `/status.txt` carry `Access-Control-Allow-Origin: *`,
/// on 200s and 304s alike, and their preflights are answered. They hold nothing private and
/// take no credentials, so any origin may read them, and the same bytes serve every origin
/// (no `Vary: Origin`, one copy in a CDN).
///
/// The management API (`/v1/`) never carries a CORS field, so no browser script on another
/// origin can use a token it holds; its preflights get the plain `OPTIONS` answer, which
/// grants nothing.
extension StatusRoutes {
    /// Whether `path` (after `.json` was added under `/api/v2/`) is a public read document.
    static func allowsAnyOrigin(_ path: String) -> Bool {
        if path.startsWithBytes("/api/v2/") { return true }
        if ["/history.rss", "/history.atom", "/badge.svg", "/status.txt"].contains(path) { return true }
        return path.startsWithBytes("/components/") && path.endsWithBytes("/badge.svg")
    }

    /// Request headers a cross-origin read may send: the conditional and language fields a
    /// client polling the status uses. Anything else (`Authorization`, say) is left out of
    /// the preflight's answer, so the browser refuses the request.
    static let corsRequestHeaders: Set<String> = [
        "accept", "accept-language", "cache-control", "content-language", "if-modified-since", "if-none-match",
    ]

    /// `reply` with `Access-Control-Allow-Origin: *` and `ETag` exposed (it is not a
    /// CORS-safelisted response header, and a poller needs it for `If-None-Match`).
    static func allowingAnyOrigin(_ reply: HTTPReply) -> HTTPReply {
        switch reply {
        case .response(let response):
            return .response(allowingAnyOrigin(response))
        case .blocking(let work):
            return .blocking { allowingAnyOrigin(work()) }
        }
    }

    /// The documents a snapshot prepares carry these fields already (`anyOriginHeaders`), so
    /// their prepared bytes go out untouched; the rest (a 304, a document read from the
    /// store) get them here, which costs serialising the fields again.
    static func allowingAnyOrigin(_ response: HTTPResponse) -> HTTPResponse {
        guard response.headers[.accessControlAllowOrigin] == nil else { return response }
        var response = response
        for field in anyOriginHeaders { response.headers.set(field.name, field.value) }
        return response
    }

    /// `Access-Control-Allow-Origin: *`, and `ETag` exposed to scripts.
    static let anyOriginHeaders: HTTPHeaders = [.accessControlAllowOrigin: "*", .accessControlExposeHeaders: "ETag"]

    /// The answer to a CORS preflight (an `OPTIONS` with `Access-Control-Request-Method`):
    /// 204 granting GET and HEAD from any origin, with those requested headers that are
    /// harmless; the browser refuses whatever is not granted. Browsers keep the answer a day
    /// (`Access-Control-Max-Age`; most cap it lower).
    static func preflight(_ request: HTTPRequest) -> HTTPResponse {
        var headers: HTTPHeaders = [
            .allow: "GET, HEAD, OPTIONS",
            .accessControlAllowOrigin: "*",
            .accessControlAllowMethods: "GET, HEAD, OPTIONS",
            .accessControlMaxAge: "86400",
        ]
        // OPTIONS answers are not stored by HTTP caches (RFC 9110 §9.3.7), so no Vary is needed.
        let granted = request.headers.listElements(.accessControlRequestHeaders)
            .map { $0.lowercased() }
            .filter { corsRequestHeaders.contains($0) }
        if !granted.isEmpty {
            headers.set(.accessControlAllowHeaders, granted.joined(separator: ", "))
        }
        return HTTPResponse(status: .noContent, headers: headers)
    }
}

extension HTTPHeaderName {
    public static let accessControlAllowOrigin: HTTPHeaderName = "Access-Control-Allow-Origin"
    public static let accessControlAllowMethods: HTTPHeaderName = "Access-Control-Allow-Methods"
    public static let accessControlAllowHeaders: HTTPHeaderName = "Access-Control-Allow-Headers"
    public static let accessControlExposeHeaders: HTTPHeaderName = "Access-Control-Expose-Headers"
    public static let accessControlMaxAge: HTTPHeaderName = "Access-Control-Max-Age"
    public static let accessControlRequestMethod: HTTPHeaderName = "Access-Control-Request-Method"
    public static let accessControlRequestHeaders: HTTPHeaderName = "Access-Control-Request-Headers"
}
