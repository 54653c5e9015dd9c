import Foundation
import HTTPServer
import Logging
import Outbound
import StatusCore

/// Warta's routes: what each public and management path answers.
///
/// The public read path never touches the database: `/api/v2/...`, `/` and most other
/// pages are answered from the current `Snapshot`, static files from `Assets`. The management API (`/v1/...`) and
/// `/healthz` run off the event loop.
public struct StatusRoutes: HTTPResponder {
    private let router: Router
    /// Peers whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    private let trustedProxies: Set<String>

    /// Every route reads the time from `publisher.clock`.
    ///
    /// - Parameters:
    ///   - throttle: the limit on failed authentication per client address; without it, the
    ///     default limit on the publisher's clock.
    ///   - metrics: what `/metrics` reports; without it there is no `/metrics`.
    ///   - webhookDestinations: where webhook endpoints may lead (checked at registration).
    ///   - signUpLimiter: the limit on mail sign-ups per client network; without it, the
    ///     default limit on the publisher's clock.
    ///   - mailQueued: called after a public sign-up queued a mail, to wake the sender.
    ///   - trustedProxies: the addresses of proxies in front (nginx on 127.0.0.1, say): from
    ///     them, the client is the address `X-Forwarded-For` names, so the limits per client
    ///     count clients, not the proxy. From any other peer the header is ignored.
    public init(publisher: Publisher, assets: Assets, throttle: AuthenticationThrottle? = nil,
                metrics: Metrics? = nil, webhookDestinations: DestinationPolicy = .publicOnly,
                signUpLimiter: SignUpLimiter? = nil, mailQueued: @escaping @Sendable () -> Void = {},
                trustedProxies: [String] = []) {
        self.trustedProxies = Set(trustedProxies)
        let throttle = throttle ?? AuthenticationThrottle(clock: publisher.clock)
        var router = Router()
        let store = publisher.store
        let diskFull = metrics?.diskFull ?? DiskFullState()
        router.get("/healthz") { _, _ in
            .blocking { Self.health(store, diskFull: diskFull) }
        }
        if let metrics {
            router.get("/metrics") { _, _ in .blocking { metrics.response(publisher: publisher) } }
        }
        for endpoint in V2Endpoint.allCases {
            let path = endpoint.path
            router.get(path) { request, _ in
                let snapshot = publisher.snapshots.current
                guard let response = snapshot.response(for: path, request: request, now: publisher.clock.now()) else {
                    return .response(.notFound(request.path))
                }
                return .response(response)
            }
        }
        ManagementAPI.register(on: &router, publisher: publisher, throttle: throttle,
                               webhookDestinations: webhookDestinations, diskFull: diskFull, mailQueued: mailQueued)
        Self.registerPages(on: &router, publisher: publisher)
        Self.registerSharing(on: &router, publisher: publisher)
        Self.registerSigningKey(on: &router, store: store)
        Self.registerSubscriptions(on: &router, publisher: publisher,
                                   limiter: signUpLimiter ?? SignUpLimiter(clock: publisher.clock), mailQueued: mailQueued)
        router.setFallback { request, _ in Self.staticFile(request, assets: assets, publisher: publisher) }
        self.router = router
    }

    /// The client a trusted proxy names: the right-most address of `X-Forwarded-For`, the one
    /// the proxy itself appended; entries to its left were written by the client and prove
    /// nothing (RFC 7239 §8.1). nil when the header is missing or that entry is no address.
    static func forwardedClient(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["X-Forwarded-For"], let last = header.split(separator: ",").last else {
            return nil
        }
        let text = last.trimmingCharacters(in: .whitespaces)
        return text.count <= 45 && IPAddress(text) != nil ? text : nil
    }

    /// `.json` is optional on every API path: Statuspage's generated clients leave it off,
    /// older scripts put it on. The public read documents answer other origins (see
    /// `allowsAnyOrigin`); nothing else does.
    public func respond(to request: HTTPRequest) -> HTTPReply {
        // Changed only when something changes: the request's fields are shared with the
        // event loop, so a change copies them all, and most requests need neither change.
        let forwarded = trustedProxies.isEmpty || !trustedProxies.contains(request.remoteAddress)
            ? nil : Self.forwardedClient(request)
        let path = Self.normalizedPath(request.path)
        guard forwarded != nil || path != nil else { return respondNormalized(to: request) }
        var request = request
        if let forwarded { request.remoteAddress = forwarded }
        if let path { request.path = path }
        return respondNormalized(to: request)
    }

    /// The path with `.json` dropped under `/v1/` and added under `/api/v2/`; nil when it
    /// stays as it is.
    static func normalizedPath(_ path: String) -> String? {
        if path.startsWithBytes("/v1/"), path.endsWithBytes(".json") { return String(path.dropLast(5)) }
        if path.startsWithBytes("/api/v2/"), !path.endsWithBytes(".json") { return path + ".json" }
        return nil
    }

    private func respondNormalized(to request: HTTPRequest) -> HTTPReply {
        guard Self.allowsAnyOrigin(request.path) else { return router.respond(to: request) }
        if request.method == .options, request.headers.contains(.accessControlRequestMethod) {
            return .response(Self.preflight(request))
        }
        return Self.allowingAnyOrigin(router.respond(to: request))
    }

    /// A file of `Public/`; else 404: problem+json under the APIs, the HTML page elsewhere.
    static func staticFile(_ request: HTTPRequest, assets: Assets, publisher: Publisher) -> HTTPReply {
        guard let asset = assets[request.path] else {
            if request.path.hasPrefix("/api/") || request.path.hasPrefix("/v1/") || request.method != .get && request.method != .head {
                return .response(.notFound(request.path))
            }
            let html = publisher.snapshots.current.html
            return .response(html.notFound(Language.negotiate(request, fallback: html.defaultLanguage)))
        }
        guard request.method == .get || request.method == .head else {
            return .response(.methodNotAllowed(request.method, path: request.path, allow: "GET, HEAD"))
        }
        return .response(Assets.response(for: asset, to: request))
    }

    /// `GET /healthz`: 200 when the database answers; 503 when it does not, or when the
    /// latest write failed because the disk is full (until a write succeeds), so a monitor
    /// or load balancer notices. The body says which in a fixed word (`ok`, `unavailable`,
    /// `disk full`); SQLite's own message goes to the log, not to whoever asks.
    static func health(_ store: Store, diskFull: DiskFullState) -> HTTPResponse {
        let database: String
        switch store.check() {
        case .success:
            database = diskFull.isFull ? "disk full" : "ok"
        case .failure(let error):
            database = DiskFullState.isDiskFull(error) ? "disk full" : "unavailable"
            healthLog.error("health check failed", metadata: ["error": "\(error)"])
        }
        let status: HTTPStatus = database == "ok" ? .ok : .serviceUnavailable
        var body = JSONWriter(capacity: 128)
        body.beginObject()
        body.field("status", status == .ok ? "ok" : "error")
        body.field("version", Version.current)
        body.field("database", database)
        body.endObject()
        return HTTPResponse(status: status, headers: [
            .contentType: "application/json",
            .cacheControl: "no-store",
        ], body: body.bytes)
    }

    private static let healthLog = Logger(label: "warta.health")
}
