import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// Cross-origin reads as a browser on another origin makes them (`fetch` from the
/// organisation's own site): the public read documents allow any origin, on 200 and 304,
/// and answer preflights; the management API and the HTML pages carry no CORS field at all.
@Suite struct CORSTests {
    typealias PageServer = PublicPagesTests.PageServer
    static let origin = ["Origin": "https://www.imigrasi.example"]

    /// Every public read document, with a component badge.
    static func readDocuments(_ site: PageServer) throws -> [String] {
        let component = try site.write { store, now in
            try store.createComponent(ComponentDraft(name: "Autogate"), by: PublicPagesTests.actor, now: now)
        }
        return V2Endpoint.allCases.map(\.path) + [
            "/api/v2/summary", "/history.rss", "/history.atom", "/badge.svg",
            "/components/\(component.id)/badge.svg", "/status.txt", "/status.txt?lang=en",
        ]
    }

    @Test func readDocumentsAllowAnyOriginOn200And304() throws {
        let site = try PageServer.make()
        defer { site.close() }
        for path in try Self.readDocuments(site) {
            let response = try site.get(path, Self.origin)
            #expect(response.status == 200, "\(path)")
            #expect(response.header("Access-Control-Allow-Origin") == "*", "\(path)")
            #expect(response.count("Access-Control-Allow-Origin") == 1, "\(path)")
            #expect(response.header("Access-Control-Expose-Headers") == "ETag", "\(path)")
            #expect(response.header("Access-Control-Allow-Credentials") == nil, "\(path)")
            let etag = try #require(response.header("ETag"), "\(path)")

            var conditional = Self.origin
            conditional["If-None-Match"] = etag
            let notModified = try site.get(path, conditional)
            #expect(notModified.status == 304, "\(path)")
            #expect(notModified.header("Access-Control-Allow-Origin") == "*", "\(path)")
            #expect(notModified.header("ETag") == etag, "\(path)")
        }
        // Without Origin the bytes are the same: one copy in a cache serves every origin.
        let plain = try site.get("/api/v2/summary.json")
        #expect(plain.header("Access-Control-Allow-Origin") == "*")
        #expect(plain.header("Vary") == "Accept-Encoding")
    }

    @Test func preflightGrantsReadsAndOnlyHarmlessHeaders() throws {
        let site = try PageServer.make()
        defer { site.close() }
        for path in try Self.readDocuments(site) {
            var headers = Self.origin
            headers["Access-Control-Request-Method"] = "GET"
            headers["Access-Control-Request-Headers"] = "If-None-Match, authorization, X-Custom"
            let response = try site.get(path, headers, method: "OPTIONS")
            #expect(response.status == 204, "\(path)")
            #expect(response.body.isEmpty, "\(path)")
            #expect(response.header("Access-Control-Allow-Origin") == "*", "\(path)")
            #expect(response.header("Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS", "\(path)")
            #expect(response.header("Access-Control-Allow-Headers") == "if-none-match", "\(path)")
            #expect(response.header("Access-Control-Max-Age") == "86400", "\(path)")
        }
        var bare = Self.origin
        bare["Access-Control-Request-Method"] = "GET"
        let withoutHeaders = try site.get("/api/v2/status.json", bare, method: "OPTIONS")
        #expect(withoutHeaders.status == 204)
        #expect(withoutHeaders.header("Access-Control-Allow-Headers") == nil)

        // A plain OPTIONS (no preflight) is the router's answer, still readable cross-origin.
        let plain = try site.get("/api/v2/status.json", Self.origin, method: "OPTIONS")
        #expect(plain.status == 204)
        #expect(plain.header("Allow") == "GET, HEAD, OPTIONS")
        #expect(plain.header("Access-Control-Allow-Origin") == "*")
        #expect(plain.header("Access-Control-Allow-Methods") == nil)
    }

    @Test func managementAPINeverCarriesCORS() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let pageID = site.publisher.snapshots.current.html.pages.state.page.id
        for path in ["/v1/pages/\(pageID)/incidents", "/v1/pages/\(pageID)/incidents.json", "/v1/pages/\(pageID)",
                     "/v1/no-such-thing"] {
            var preflight = Self.origin
            preflight["Access-Control-Request-Method"] = "POST"
            preflight["Access-Control-Request-Headers"] = "authorization, content-type"
            let options = try site.get(path, preflight, method: "OPTIONS")
            #expect(!Self.hasCORSField(options), "\(path): \(options.headers)")
            #expect(options.status != 200, "\(path)")

            var read = Self.origin
            read["Authorization"] = "OAuth not-a-token"
            let get = try site.get(path, read)
            #expect(get.status == 401 || get.status == 404, "\(path): \(get.status)")
            #expect(!Self.hasCORSField(get), "\(path): \(get.headers)")
        }
    }

    @Test func pagesKeepToTheirOwnOrigin() throws {
        let site = try PageServer.make()
        defer { site.close() }
        for path in ["/", "/embed", "/history", "/healthz", "/style.css", "/api/openapi.json", "/no-such-page"] {
            let response = try site.get(path, Self.origin)
            #expect(!Self.hasCORSField(response), "\(path): \(response.headers)")
        }
    }

    static func hasCORSField(_ response: TestResponse) -> Bool {
        response.headers.contains { $0.name.lowercased().hasPrefix("access-control-") }
    }
}

extension PublicPagesTests.PageServer {
    /// A bodyless request with any method (`OPTIONS`, `HEAD`).
    func get(_ target: String, _ headers: [String: String], method: String) throws -> TestResponse {
        try TestClient.fetch(port: server.port, target, method: method, fields: headers)
    }
}
