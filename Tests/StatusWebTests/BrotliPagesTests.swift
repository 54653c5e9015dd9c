import HTTPServer
import TestSupport
import Testing
@testable import StatusWeb

/// What a browser asking for `br` gets over a real socket: Brotli bytes that decode to exactly
/// the identity body, with their own validator, for GET, HEAD and revalidation alike.
@Suite struct BrotliPagesTests {
    typealias PageServer = PublicPagesTests.PageServer

    static let browser = "gzip, deflate, br, zstd"

    @Test(arguments: ["/", "/?lang=en", "/api/v2/summary.json", "/api/v2/incidents.json", "/history", "/style.css", "/history.atom"])
    func browsersGetBrotliThatDecodesToTheIdentityBody(_ target: String) throws {
        let site = try PageServer.make()
        defer { site.close() }
        _ = try StaticSiteTests.populate(site)

        let identity = try site.get(target)
        let gzip = try site.get(target, ["Accept-Encoding": "gzip"])
        let brotli = try site.get(target, ["Accept-Encoding": Self.browser])
        #expect(identity.status == 200 && gzip.status == 200 && brotli.status == 200)
        #expect(identity.header("Content-Encoding") == nil)
        #expect(gzip.header("Content-Encoding") == "gzip")
        #expect(brotli.header("Content-Encoding") == "br")
        #expect(brotli.header("Content-Length") == String(brotli.body.count))
        #expect(brotli.header("Vary")?.contains("Accept-Encoding") == true)
        #expect(brotli.header("Content-Type") == identity.header("Content-Type"))
        #expect(Brotli.decompress(brotli.body) == identity.body)
        #expect(brotli.body.count < gzip.body.count)
        let brotliTag = try #require(brotli.header("ETag"))
        #expect(Set([brotliTag, identity.header("ETag"), gzip.header("ETag")]).count == 3)

        // Revalidation with the Brotli tag: 304 for a client that still takes br, the whole
        // 200 for one that no longer does.
        let revalidated = try site.get(target, ["Accept-Encoding": Self.browser, "If-None-Match": brotliTag])
        #expect(revalidated.status == 304)
        #expect(revalidated.body.isEmpty)
        #expect(revalidated.header("ETag") == brotliTag)
        let changedMind = try site.get(target, ["Accept-Encoding": "gzip", "If-None-Match": brotliTag])
        #expect(changedMind.status == 200)
        #expect(changedMind.body == gzip.body)

        // HEAD as GET: the same fields, no content.
        let head = try TestClient.fetch(port: site.server.port, target, method: "HEAD", fields: ["Accept-Encoding": Self.browser])
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Encoding") == "br")
        #expect(head.header("Content-Length") == String(brotli.body.count))
        #expect(head.header("ETag") == brotliTag)

        // `br;q=0` excludes Brotli; gzip is what remains.
        let refused = try site.get(target, ["Accept-Encoding": "br;q=0, gzip"])
        #expect(refused.header("Content-Encoding") == "gzip")
        #expect(refused.body == gzip.body)
    }
}
