import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

/// The cache tier as docs/running.md ("Behind nginx or a CDN") tells an operator to run it:
/// that nginx configuration, read from the page, in front of the built binary. What reached
/// Warta is read from Warta's own `/metrics`, asked directly, never through nginx.
///
/// Warta runs with `--max-age 1`; where a copy must expire, the test waits two seconds of
/// nginx's clock (nginx keeps whole seconds), the only clock here a test cannot drive.
@Suite(.serialized)
struct CacheTierTests {
    /// Warta (with a token) and nginx in front of it with the documented configuration.
    final class Tier {
        let folder: TemporaryFolder
        let token: String
        let arguments: [String]
        private(set) var warta: WartaProcess
        let nginx: NginxProcess

        init(_ extra: [String] = []) throws {
            folder = try TemporaryFolder("e2e")
            token = try ManagementAPITests.Fixture.cli(["token", "create", "tester", "--db", folder.file("warta.db")])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            arguments = ["--max-age", "1", "--trusted-proxy", "127.0.0.1", "--auth-failures", "0"] + extra
            let warta = try WartaProcess(arguments, folder: folder)
            self.warta = warta
            do {
                let port = try ReadmeTests.freePort()
                nginx = try NginxProcess(port: port) { nginxFolder in
                    try CacheTierTests.documentedConfiguration(port: port, cacheFolder: nginxFolder.file("cache"),
                                                               upstreamPort: warta.port)
                }
            } catch {
                // deinit does not run for an initializer that throws: Warta would outlive the test.
                warta.stop()
                throw error
            }
        }

        deinit {
            nginx.stop()
            warta.stop()
        }

        /// SIGKILL: the origin dies without closing anything, as a crashed machine does.
        func killWarta() {
            warta.signal(SIGKILL)
            warta.waitForExit()
        }

        /// Starts Warta again on the same database and the same port nginx proxies to.
        func restartWarta() throws {
            warta = try WartaProcess(arguments + ["--port", String(warta.port)], folder: folder)
        }

        /// One request through nginx on a fresh connection.
        func viaNginx(_ target: String, method: String = "GET", fields: [String: String] = [:]) throws -> TestResponse {
            try TestClient.fetch(port: nginx.port, target, method: method, fields: fields)
        }

        /// A management API call through nginx, with the token.
        func api(_ method: String, _ path: String, form: [String]? = nil) throws -> ManagementAPITests.Fixture.Response {
            try ManagementAPITests.Fixture.request(base: nginx.baseURL, token: token, method, path, form: form)
        }

        /// `warta_http_requests_total` of Warta's `/metrics`, asked directly: responses sent,
        /// by route pattern and status.
        func requestsReachingWarta() throws -> [RouteStatus: Int] {
            let metrics = try TestClient.fetch(port: warta.port, "/metrics")
            try #require(metrics.status == 200)
            return CacheTierTests.requestCounts(metrics.text)
        }

        /// The responses Warta sent for `route`, every status together.
        func requestsReachingWarta(route: String) throws -> Int {
            try requestsReachingWarta().filter { $0.key.route == route }.values.reduce(0, +)
        }

        /// The id of the one page.
        func pageID() throws -> String {
            let pages = try api("GET", "/v1/pages").json as? [[String: Any]]
            return try #require(pages?.first?["id"] as? String)
        }
    }

    struct RouteStatus: Hashable, CustomStringConvertible {
        let route: String
        let status: Int
        var description: String { "\(route) \(status)" }
    }

    /// The nginx block of docs/running.md's "Behind nginx or a CDN", with only what a test
    /// must change put in its place: a free port on 127.0.0.1 without TLS, a temporary cache
    /// folder, the test Warta's port. Fails when the page no longer has one of them.
    static func documentedConfiguration(port: Int, cacheFolder: String, upstreamPort: Int) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let page = try String(contentsOf: root.appendingPathComponent("docs/running.md"), encoding: .utf8)
        let section = try #require(page.components(separatedBy: "**Behind nginx or a CDN.**").dropFirst().first)
        var configuration = try #require(section.components(separatedBy: "```nginx\n").dropFirst().first?
            .components(separatedBy: "\n```").first)
        // A thousand clients connect before nginx accepts the first: the backlog holds them.
        let substitutions = [("listen 443 ssl;", "listen 127.0.0.1:\(port) backlog=2048;"),
                             ("/var/cache/nginx/warta", cacheFolder),
                             ("127.0.0.1:8080", "127.0.0.1:\(upstreamPort)")]
        for (documented, tested) in substitutions {
            try #require(configuration.contains(documented), "docs/running.md's nginx block no longer says \(documented)")
            configuration = configuration.replacingOccurrences(of: documented, with: tested)
        }
        return configuration
    }

    /// The samples of `warta_http_requests_total` in a Prometheus exposition.
    static func requestCounts(_ exposition: String) -> [RouteStatus: Int] {
        var counts: [RouteStatus: Int] = [:]
        for line in exposition.split(separator: "\n") where line.hasPrefix("warta_http_requests_total{") {
            guard let close = line.lastIndex(of: "}"), let value = Int(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
            else { continue }
            var labels: [String: String] = [:]
            let inside = line[line.index(after: line.firstIndex(of: "{")!)..<close]
            for pair in inside.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            if let route = labels["route"], let status = labels["status"].flatMap({ Int($0) }) {
                counts[RouteStatus(route: route, status: status), default: 0] += value
            }
        }
        return counts
    }

    /// Waits for nginx's clock to pass a `max-age=1` copy's expiry.
    static func waitForExpiry() {
        Thread.sleep(forTimeInterval: 2)
    }

    /// Asks until `condition` holds, for at most `seconds`: for what nginx does after it
    /// answered (a background refresh). Returns whether it came to hold.
    static func eventually(_ seconds: Double = 3, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if try condition() { return true }
            usleep(20_000)
        } while Date() < deadline
        return false
    }

    /// `count` GETs of `target` in flight at once: every connection is open and every request
    /// sent before the first response is read.
    static func concurrentRequests(port: Int, _ target: String, count: Int) throws -> [TestResponse] {
        let clients = try (0..<count).map { _ in try TestClient(port: port, receiveTimeout: 15) }
        let request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
        for client in clients { try client.send(request) }
        return try clients.map { try $0.readResponse() }
    }

    @Test func pagesStayServedMarkedStaleWhileWartaIsDownAndFreshAgainWhenItReturns() throws {
        let tier = try Tier()
        let first = try tier.viaNginx("/")
        #expect(first.status == 200)
        #expect(first.header("X-Cache-Status") == "MISS")
        let cached = try tier.viaNginx("/")
        #expect(cached.header("X-Cache-Status") == "HIT")
        #expect(cached.body == first.body)

        tier.killWarta()
        Self.waitForExpiry()
        for _ in 0..<2 {
            // Every request while Warta is down tries it again in the background and fails.
            let stale = try tier.viaNginx("/")
            #expect(stale.status == 200)
            #expect(stale.header("X-Cache-Status") == "STALE")
            #expect(stale.body == first.body)
        }
        // A page nginx holds no copy of has nothing to fall back on.
        let neverAsked = try tier.viaNginx("/history")
        #expect(neverAsked.status == 502)
        #expect(neverAsked.header("X-Cache-Status") == "MISS")

        try tier.restartWarta()
        let created = try tier.api("POST", "/v1/pages/\(tier.pageID())/incidents",
                                   form: ["incident[name]=Paspor online lambat", "incident[body]=Kami sedang memeriksa."])
        #expect(created.status == 201)
        // The first request after the return is still the copy; it refreshes it.
        let refreshing = try tier.viaNginx("/")
        #expect(refreshing.header("X-Cache-Status") == "STALE")
        #expect(refreshing.body == first.body)
        var fresh: TestResponse?
        let refreshed = try Self.eventually {
            fresh = try tier.viaNginx("/")
            return fresh?.header("X-Cache-Status") == "HIT"
        }
        #expect(refreshed, "last answer: \(fresh?.header("X-Cache-Status") ?? "none")")
        #expect(fresh?.status == 200)
        #expect(fresh?.text.contains("Paspor online lambat") == true)
        #expect(try tier.viaNginx("/history").status == 200)
    }

    @Test func anExpiredCopyIsRevalidatedWithIfNoneMatchAndWartaAnswers304() throws {
        let tier = try Tier()
        let first = try tier.viaNginx("/")
        #expect(first.header("X-Cache-Status") == "MISS")
        let etag = try #require(first.header("ETag"))
        let before = try tier.requestsReachingWarta()
        #expect(before[RouteStatus(route: "/", status: 200)] == 1)
        #expect(before[RouteStatus(route: "/", status: 304)] == nil)

        // A reader's own If-None-Match is answered by nginx from its copy.
        let notModified = try tier.viaNginx("/", fields: ["If-None-Match": etag])
        #expect(notModified.status == 304)
        #expect(notModified.header("ETag") == etag)

        Self.waitForExpiry()
        let stale = try tier.viaNginx("/")
        #expect(stale.header("X-Cache-Status") == "STALE")
        #expect(stale.body == first.body)
        var after: [RouteStatus: Int] = [:]
        let revalidated = try Self.eventually {
            after = try tier.requestsReachingWarta()
            return after[RouteStatus(route: "/", status: 304)] != nil
        }
        #expect(revalidated, "what reached Warta: \(after)")
        #expect(after[RouteStatus(route: "/", status: 304)] == 1)
        #expect(after[RouteStatus(route: "/", status: 200)] == 1)
        #expect(after.filter { $0.key.route == "/" }.count == 2)

        let renewed = try tier.viaNginx("/")
        #expect(renewed.header("X-Cache-Status") == "HIT")
        #expect(renewed.header("ETag") == etag)
        #expect(renewed.body == first.body)
    }

    @Test func aThousandConcurrentRequestsForOnePageReachWartaAsOne() throws {
        let tier = try Tier()
        let count = 1000

        // No copy yet: proxy_cache_lock holds the others until the first answer is stored.
        let first = try Self.concurrentRequests(port: tier.nginx.port, "/history", count: count)
        #expect(first.count == count)
        #expect(first.filter { $0.status == 200 }.count == count)
        #expect(Set(first.map(\.body)).count == 1)
        #expect(first.filter { $0.header("X-Cache-Status") == "MISS" }.count == 1)
        #expect(first.filter { $0.header("X-Cache-Status") == "HIT" }.count == count - 1)
        #expect(try tier.requestsReachingWarta(route: "/history") == 1)

        // An expired copy: the first request refreshes it in the background, the others get
        // the copy meanwhile.
        Self.waitForExpiry()
        let started = Date()
        let second = try Self.concurrentRequests(port: tier.nginx.port, "/history", count: count)
        let seconds = Date().timeIntervalSince(started)
        #expect(second.filter { $0.status == 200 }.count == count)
        let statuses = Dictionary(grouping: second, by: { $0.header("X-Cache-Status") ?? "none" }).mapValues(\.count)
        #expect(statuses["STALE"] == 1, "in \(seconds) s: \(statuses)")
        #expect(Set(statuses.keys).subtracting(["STALE", "UPDATING", "HIT"]).isEmpty, "\(statuses)")
        var reached = 0
        #expect(try Self.eventually {
            reached = try tier.requestsReachingWarta(route: "/history")
            return reached == 2
        })
        #expect(reached == 2, "in \(seconds) s: \(statuses)")
        #expect(try tier.requestsReachingWarta()[RouteStatus(route: "/history", status: 304)] == 1)
    }

    @Test func metricsAreNotExposedAndTheManagementAPIIsNeverCached() throws {
        let tier = try Tier()
        let before = try tier.requestsReachingWarta()
        for target in ["/metrics", "/metrics?name=warta_http_requests_total", "//metrics", "/%6Detrics"] {
            let answer = try tier.viaNginx(target)
            #expect(answer.status == 404, "\(target)")
            #expect(!answer.text.contains("warta_"), "\(target)")
        }
        // The only request /metrics answered since is the one that read `before`.
        let after = try tier.requestsReachingWarta()
        #expect(after[RouteStatus(route: "/metrics", status: 200)] == (before[RouteStatus(route: "/metrics", status: 200)] ?? 0) + 1)

        let page = try tier.pageID()
        let empty = try tier.api("GET", "/v1/pages/\(page)/components")
        #expect(empty.status == 200)
        #expect((empty.json as? [Any])?.count == 0)
        let created = try tier.api("POST", "/v1/pages/\(page)/components", form: ["component[name]=Autogate T3"])
        #expect(created.status == 201)
        let listed = try tier.api("GET", "/v1/pages/\(page)/components")
        #expect(listed.status == 200)
        #expect((listed.json as? [[String: Any]])?.map { $0["name"] as? String } == ["Autogate T3"])
        let routes = try tier.requestsReachingWarta()
        #expect(routes[RouteStatus(route: "/v1/pages/{page_id}/components", status: 200)] == 2, "\(routes)")
        #expect(routes[RouteStatus(route: "/v1/pages/{page_id}/components", status: 201)] == 1, "\(routes)")

        // SIGTERM stops nginx: no SIGKILL was needed.
        #expect(tier.nginx.stop() == 0)
    }

    @Test func requestsWithCredentialsHeartbeatsPostsAndSubscriptionPagesAreNeverCached() throws {
        // A relay that is never reached: the sign-up pages are shown when there is one.
        let tier = try Tier(["--smtp-url", "smtp://127.0.0.1:9", "--mail-from", "status@example.go.id",
                             "--base-url", "https://status.example.go.id"])
        let authorization = ["Authorization": "Bearer \(tier.token)"]

        // Neither stored nor answered from a copy.
        let withToken = try tier.viaNginx("/", fields: authorization)
        #expect(withToken.status == 200)
        #expect(withToken.header("X-Cache-Status") == "BYPASS")
        #expect(try tier.viaNginx("/").header("X-Cache-Status") == "MISS")
        #expect(try tier.viaNginx("/").header("X-Cache-Status") == "HIT")
        #expect(try tier.viaNginx("/", fields: authorization).header("X-Cache-Status") == "BYPASS")
        #expect(try tier.requestsReachingWarta(route: "/") == 3)

        // Warta marks them no-store; nginx keeps no copy.
        for _ in 0..<2 {
            let subscribe = try tier.viaNginx("/subscribe")
            #expect(subscribe.status == 200)
            #expect(subscribe.header("Cache-Control") == "no-store")
            #expect(subscribe.header("X-Cache-Status") == "MISS")
        }
        #expect(try tier.requestsReachingWarta()[RouteStatus(route: "/subscribe", status: 200)] == 2)

        // Every call of a heartbeat URL, GET or POST, is a beat Warta counts.
        let page = try tier.pageID()
        let component = try tier.api("POST", "/v1/pages/\(page)/components", form: ["component[name]=Pembayaran"])
        let componentID = try #require(component.object["id"] as? String)
        let check = try tier.api("POST", "/v1/pages/\(page)/checks",
                                 form: ["check[name]=Rekonsiliasi malam", "check[component_id]=\(componentID)", "check[type]=heartbeat"])
        #expect(check.status == 201, "\(check.body)")
        let url = try #require(check.object["heartbeat_url"] as? String)
        let beatPath = try #require(url.range(of: "/heartbeat/").map { String(url[$0.lowerBound...]) })
        for method in ["GET", "GET", "POST", "POST"] {
            let beat = try tier.viaNginx(beatPath, method: method, fields: method == "POST" ? ["Content-Length": "0"] : [:])
            #expect(beat.status == 200, "\(method) \(beat.text)")
            #expect(beat.text.contains("\"state\""))
        }
        let beats = try tier.requestsReachingWarta()[RouteStatus(route: "/heartbeat/{secret}", status: 200)]
        #expect(beats == 4)
    }
}
