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
        site.publisher.completeBrotli()

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

    /// A write is answered once its snapshot has identity and gzip forms; Brotli follows off
    /// the write path, and the swap keeps every other form's bytes and validators, so no
    /// client's copy turns stale because of it.
    @Test func aWriteIsAnsweredBeforeItsBrotliFormsAreMade() throws {
        let site = try PageServer.make()
        defer { site.close() }
        _ = try StaticSiteTests.populate(site)
        #expect(site.publisher.snapshots.current.lacksBrotli)

        let identity = try site.get("/")
        let gzip = try site.get("/", ["Accept-Encoding": "gzip"])
        let early = try site.get("/", ["Accept-Encoding": Self.browser])
        #expect(early.status == 200)
        #expect(early.header("Content-Encoding") == "gzip")
        #expect(early.body == gzip.body)
        #expect(early.header("ETag") == gzip.header("ETag"))

        site.publisher.completeBrotli()
        #expect(!site.publisher.snapshots.current.lacksBrotli)
        #expect(site.publisher.statistics.brotliCompletions == 1)
        let later = try site.get("/", ["Accept-Encoding": Self.browser])
        #expect(later.header("Content-Encoding") == "br")
        #expect(Brotli.decompress(later.body) == identity.body)
        let gzipTag = try #require(gzip.header("ETag"))
        let revalidated = try site.get("/", ["Accept-Encoding": "gzip", "If-None-Match": gzipTag])
        #expect(revalidated.status == 304)
        let identityTag = try #require(identity.header("ETag"))
        #expect(try site.get("/", ["If-None-Match": identityTag]).status == 304)
        for path in ["/api/v2/summary.json", "/api/v2/incidents.json"] {
            let json = try site.get(path, ["Accept-Encoding": Self.browser])
            #expect(json.header("Content-Encoding") == "br", "\(path)")
        }

        // Nothing is left to make: asking again changes nothing.
        site.publisher.completeBrotli()
        #expect(site.publisher.statistics.brotliCompletions == 1)
    }

    /// A completion that finishes after a newer snapshot was published is dropped: the
    /// newer content stays.
    @Test func aLateCompletionNeverReplacesANewerSnapshot() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let older = site.publisher.snapshots.current
        _ = try StaticSiteTests.populate(site)
        let newer = site.publisher.snapshots.current
        #expect(newer !== older)
        #expect(!site.publisher.snapshots.replace(older, with: older.withBrotli()))
        #expect(site.publisher.snapshots.current === newer)
        #expect(site.publisher.snapshots.replace(newer, with: newer.withBrotli()))
        #expect(site.publisher.snapshots.current !== newer)
    }
}
