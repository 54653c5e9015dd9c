import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// `/embed`: the one-line banner other sites frame, with its own `frame-ancestors` while
/// every other page keeps the pages' own.
@Suite struct EmbedTests {
    typealias PageServer = PublicPagesTests.PageServer
    static let actor = PublicPagesTests.actor

    static func frameAncestors(_ response: TestResponse) -> String? {
        response.header("Content-Security-Policy").flatMap { PublicPagesTests.directives($0)["frame-ancestors"] }
    }

    @Test func anySiteMayFrameTheBannerButNotThePagesByDefault() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let embed = try site.get("/embed")
        #expect(embed.status == 200)
        #expect(embed.header("Content-Type") == "text/html; charset=utf-8")
        #expect(Self.frameAncestors(embed) == "*")
        #expect(embed.header("X-Frame-Options") == nil)
        let policy = try #require(embed.header("Content-Security-Policy"))
        #expect(PublicPagesTests.directives(policy)["script-src"] == "'self'")
        #expect(PublicPagesTests.directives(policy)["default-src"] == "'none'")
        for path in ["/", "/history", "/no-such-page"] {
            #expect(Self.frameAncestors(try site.get(path)) == "'none'", "\(path)")
        }
    }

    @Test func embedAncestorsAndFrameAncestorsAreSeparate() throws {
        var options = PageOptions.standard
        options = try PageOptions(templates: options.templates, frameAncestors: "'self'",
                                  embedAncestors: "https://www.imigrasi.example  https://*.kemenkumham.example")
        let site = try PageServer.make(options: options)
        defer { site.close() }
        let incident = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "Autogate mati"), by: Self.actor, now: now)
        }
        #expect(Self.frameAncestors(try site.get("/embed?lang=en"))
            == "https://www.imigrasi.example https://*.kemenkumham.example")
        for path in ["/", "/?lang=en", "/incidents/\(incident.id)", "/history"] {
            #expect(Self.frameAncestors(try site.get(path)) == "'self'", "\(path)")
        }
    }

    @Test func sourcesThatWouldEndTheDirectiveAreRefused() throws {
        let templates = PageOptions.standard.templates
        #expect(throws: PageOptionsError.self) {
            try PageOptions(templates: templates, embedAncestors: "*; script-src *")
        }
        do {
            _ = try PageOptions(templates: templates, embedAncestors: "'unsafe-inline'")
            Issue.record("'unsafe-inline' was accepted as a frame ancestor")
        } catch {
            #expect(error.message.hasPrefix("embed-ancestors \"'unsafe-inline'\" is not a list of sources"))
        }
        #expect(throws: PageOptionsError.self) { try PageOptions(templates: templates, embedAncestors: "") }
    }

    @Test func allClearBannerInEachLanguage() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let english = try site.get("/embed?lang=en")
        #expect(english.header("Content-Language") == "en")
        #expect(Self.banner(english.text) == #"<p class="banner o-none"><span class="icon" aria-hidden="true"></span>"#
            + #"<a class="state" href="/?lang=en" target="_top" title="Open the status page">All systems operational</a></p>"#)
        let indonesian = try site.get("/embed", ["Accept-Language": "id"])
        #expect(indonesian.header("Content-Language") == "id")
        #expect(Self.banner(indonesian.text)?.contains(
            #"<a class="state" href="/?lang=id" target="_top" title="Buka halaman status">Semua layanan berjalan normal</a></p>"#)
            == true)
        #expect(indonesian.header("Vary") == "Accept-Language, Accept-Encoding")
        // No script, no form: a banner that works wherever it is framed.
        for page in [english, indonesian] {
            #expect(!page.text.contains("<script"))
            #expect(!page.text.contains("<form"))
            #expect(page.text.contains(#"<meta http-equiv="refresh" content="60">"#))
        }
    }

    @Test func bannerNamesTheNewestIncidentCountsTheOthersAndGivesThePromise() throws {
        let site = try PageServer.make()
        defer { site.close() }
        _ = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "Pembayaran gagal", nameTranslations: ["en": "Payments failing"],
                                                   nextUpdateAt: now + 45 * .minute), by: Self.actor, now: now)
        }
        site.clock.advance(by: .minute)
        let newest = try site.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: "Autogate"), by: Self.actor, now: now)
            return try store.createIncident(IncidentDraft(
                name: #"Autogate <mati> & "lambat""#, components: [component.id: .majorOutage],
                nextUpdateAt: now + 20 * .minute), by: Self.actor, now: now)
        }
        let english = try site.get("/embed?lang=en")
        #expect(english.status == 200)
        // The name has no English version: it is marked as Indonesian, and escaped.
        #expect(Self.banner(english.text) == #"<p class="banner o-critical"><span class="icon" aria-hidden="true"></span>"#
            + #"<a class="state" href="/?lang=en" target="_top" title="Open the status page">Major system outage</a>"#
            + #" · <a href="/incidents/\#(newest.id)?lang=en" target="_top" lang="id">Autogate &lt;mati&gt; &amp; &quot;lambat&quot;</a>"#
            + #" <span class="more">+1 more</span> · <span class="next">Next update by 12:21 WIB</span></p>"#)

        let etag = try #require(english.header("ETag"))
        let again = try site.get("/embed?lang=en", ["If-None-Match": etag])
        #expect(again.status == 304)
        #expect(again.header("ETag") == etag)

        site.clock.advance(by: 25 * .minute)
        try site.publisher.tick()
        #expect(try site.get("/embed?lang=id").text.contains(
            #"<span class="more">+1 lainnya</span> · <span class="next">Pembaruan terlambat sejak 12.21 WIB</span></p>"#))
    }

    /// The `<p class="banner">` line of a banner page.
    static func banner(_ page: String) -> String? {
        page.split(separator: "\n").first { $0.hasPrefix(#"<p class="banner"#) }.map(String.init)
    }
}
