import Foundation
import HTTPServer
import SQLite
import StatusCore
@testable import StatusWeb
import Testing

/// A write the database refuses for want of space: 507 with a detail that says so, nothing
/// written, a count in `/metrics`, and `/healthz` reporting it until a write succeeds. And a
/// database that does not answer: 503 from `/healthz`, with no SQLite text in the body.
@Suite struct StorageFailureTests {
    @Test func onlySQLiteFullIsADiskFull() {
        #expect(DiskFullState.isDiskFull(SQLiteError(extendedCode: 13, message: "database or disk is full")))
        #expect(!DiskFullState.isDiskFull(SQLiteError(extendedCode: 10, message: "disk I/O error")))
        #expect(!DiskFullState.isDiskFull(SQLiteError(extendedCode: 2067, message: "UNIQUE constraint failed")))
        #expect(!DiskFullState.isDiskFull(CocoaError(.fileWriteOutOfSpace)))
    }

    @Test func diskFullProblemDocument() {
        let response = APIError.diskFull.response
        #expect(response.status.code == 507)
        #expect(response.headers[.contentType] == "application/problem+json")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"type":"about:blank","title":"Insufficient Storage","status":507,"#
            + #""detail":"The server's disk is full; nothing was written. Try again once space is freed."}"#)
    }

    /// SQLite's page limit stands in for a full filesystem: past it a write fails with
    /// SQLITE_FULL, as on a full disk (<https://www.sqlite.org/pragma.html#pragma_max_page_count>).
    /// The end-to-end suite does the same on a real full tmpfs.
    @Test func writePastTheLimitIs507AndHealthzSaysDiskFull() throws {
        let site = try Site()
        #expect(site.send(.get, "/healthz").status.code == 200)
        try site.store.withDatabase { database in
            let pages = try database.queryOne("PRAGMA page_count")?.int(0) ?? 0
            try database.execute("PRAGMA max_page_count = \(pages)")
        }
        var created = 0
        var refusal: HTTPResponse?
        for number in 1...40 where refusal == nil {
            let response = site.send(.post, "/v1/pages/\(site.pageID)/incidents",
                                     form: "incident[name]=Outage+\(number)&incident[body]=" + String(repeating: "x", count: 3000))
            if response.status.code == 201 { created += 1 } else { refusal = response }
        }
        let response = try #require(refusal)
        #expect(response.status.code == 507)
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""detail":"The server's disk is full; nothing was written."#))
        #expect(try site.store.incidents(.all, limit: 100, page: 1).count == created)

        let health = site.send(.get, "/healthz")
        #expect(health.status.code == 503)
        #expect(String(decoding: health.body, as: UTF8.self)
            == #"{"status":"error","version":"\#(Version.current)","database":"disk full"}"#)
        let metrics = String(decoding: site.send(.get, "/metrics").body, as: UTF8.self)
        #expect(metrics.contains("\nwarta_disk_full_writes_total 1\n"))

        // Space again: the next write succeeds and /healthz recovers.
        try site.store.withDatabase { try $0.execute("PRAGMA max_page_count = 1073741823") }
        #expect(site.send(.post, "/v1/pages/\(site.pageID)/incidents", form: "incident[name]=Recovered").status.code == 201)
        #expect(site.send(.get, "/healthz").status.code == 200)
        #expect(String(decoding: site.send(.get, "/metrics").body, as: UTF8.self).contains("\nwarta_disk_full_writes_total 1\n"))
    }

    @Test func healthzNamesNoSQLiteTextWhenTheDatabaseIsGone() throws {
        let site = try Site()
        site.store.close()
        let health = site.send(.get, "/healthz")
        #expect(health.status.code == 503)
        #expect(health.headers[.cacheControl] == "no-store")
        #expect(String(decoding: health.body, as: UTF8.self)
            == #"{"status":"error","version":"\#(Version.current)","database":"unavailable"}"#)
    }

    /// The publisher tests' store and publisher, with routes that have `/metrics`, and a token.
    final class Site {
        let setup: PublisherTests.Setup
        let routes: StatusRoutes
        let token: String
        let pageID: String
        var store: Store { setup.store }

        init() throws {
            setup = try PublisherTests.Setup()
            token = try setup.store.createToken(name: "ops", by: Actor(tokenName: "cli:test", clientAddress: "local"), now: Date())
            pageID = try setup.store.page().id
            routes = StatusRoutes(publisher: setup.publisher, assets: try Assets(),
                                  metrics: Metrics(server: ServerMetrics(), webhooks: nil))
        }

        deinit { setup.close() }

        func send(_ method: HTTPMethod, _ path: String, form: String? = nil) -> HTTPResponse {
            var headers: HTTPHeaders = [.authorization: "Bearer \(token)", .host: "status.example.id"]
            if form != nil { headers.set(.contentType, "application/x-www-form-urlencoded") }
            let request = HTTPRequest(method: method, target: path, path: path, headers: headers,
                                      body: Array((form ?? "").utf8), remoteAddress: "127.0.0.1")
            switch routes.respond(to: request) {
            case .response(let response): return response
            case .blocking(let work): return work()
            }
        }
    }
}
