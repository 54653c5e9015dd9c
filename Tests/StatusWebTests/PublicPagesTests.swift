import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPServer
import SQLite
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// The public pages, feeds and badges as a reader gets them: a real `HTTPServer` on port 0
/// answering from `StatusRoutes`, a real SQLite file in a temporary folder, a `Publisher` on a
/// clock the test moves, and a raw socket client so every request byte is the test's own
/// (no `Accept-Language` or cache added behind its back).
@Suite struct PublicPagesTests {
    static let actor = Actor(tokenName: "pages-test", clientAddress: "127.0.0.1")

    /// 12:00 WIB on a Monday. The routes read only the publisher's manual clock, so the
    /// instant need not be anywhere near the machine's.
    static let start = instant("2031-03-10T05:00:00.000Z")

    static let cacheControl10 = "public, max-age=10, stale-while-revalidate=30, stale-if-error=86400"

    // MARK: The promised update

    @Test func overdueBannerReplacesThePromiseOncePassed() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let promise = site.clock.now() + 30 * .minute
        let incident = try site.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: "Autogate Terminal 3"), by: Self.actor, now: now)
            return try store.createIncident(IncidentDraft(
                name: "Autogates down", body: "Passports are checked by hand.",
                components: [component.id: .majorOutage], nextUpdateAt: promise), by: Self.actor, now: now)
        }

        var page = try site.get("/?lang=en")
        #expect(page.status == 200)
        #expect(page.text.contains(
            #"<p class="next">Next update by <time datetime="2031-03-10T12:30:00.000+07:00">12:30 WIB</time></p>"#))
        #expect(!page.text.contains(#"class="overdue""#))
        #expect(!page.text.contains("Update overdue"))
        #expect(page.header("Cache-Control") == Self.cacheControl10)

        // Five seconds before the promise no cache may keep the page past it.
        site.clock.advance(by: 30 * .minute - 5)
        try site.publisher.tick()
        page = try site.get("/?lang=en")
        #expect(page.header("Cache-Control") == "public, max-age=5, stale-while-revalidate=30, stale-if-error=86400")
        #expect(page.text.contains("Next update by"))

        site.clock.advance(by: 5 + 47 * .minute)
        try site.publisher.tick()
        let lastUpdate = #"<time datetime="2031-03-10T12:00:00.000+07:00">12:00 WIB</time>"#
        page = try site.get("/?lang=en")
        #expect(page.status == 200)
        #expect(page.text.contains(#"<p class="overdue" role="status"><span class="icon" aria-hidden="true">!</span> "#
            + "<strong>Update overdue by 47 min — last update \(lastUpdate)</strong></p>"))
        #expect(!page.text.contains("Next update by"))

        let indonesian = try site.get("/?lang=id")
        // Indonesian writes the time of day with a full stop.
        let lastUpdateIndonesian = #"<time datetime="2031-03-10T12:00:00.000+07:00">12.00 WIB</time>"#
        #expect(indonesian.text.contains("<strong>Pembaruan terlambat 47 menit — pembaruan terakhir \(lastUpdateIndonesian)</strong>"))
        #expect(!indonesian.text.contains("Pembaruan berikutnya paling lambat"))

        let incidentPage = try site.get("/incidents/\(incident.id)?lang=en")
        #expect(incidentPage.status == 200)
        #expect(incidentPage.text.contains("<strong>Update overdue by 47 min — last update \(lastUpdate)</strong>"))
    }

    /// The clock moves 29 min 55 s with no rebuild, so the promise made "30 minutes ahead"
    /// is 5 s away: the cap the server applies per request (not only when a snapshot is
    /// built) must bring `max-age` down to 5.
    @Test func maxAgeIsCutPerRequestAsThePromiseNears() throws {
        let site = try PageServer.make()
        defer { site.close() }
        _ = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "Autogates down", nextUpdateAt: now + 30 * .minute),
                                     by: Self.actor, now: now)
        }
        #expect(try site.get("/").maxAge == 10)
        site.clock.advance(by: 30 * .minute - 5)
        let page = try site.get("/")
        #expect(page.header("Cache-Control") == "public, max-age=5, stale-while-revalidate=30, stale-if-error=86400")
        #expect(try site.get("/api/v2/summary.json").maxAge == 5)
    }

    /// The page changed (the banner appeared) without a write: a client revalidating with
    /// `If-Modified-Since` alone must get the new page, not 304.
    @Test func revalidationSeesTheBannerAppear() throws {
        let site = try PageServer.make()
        defer { site.close() }
        _ = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "Autogates down", nextUpdateAt: now + 30 * .minute),
                                     by: Self.actor, now: now)
        }
        let before = try site.get("/")
        let etag = try #require(before.header("ETag"))
        let lastModified = try #require(before.header("Last-Modified"))

        site.clock.advance(by: 31 * .minute)
        try site.publisher.tick()
        let byTag = try site.get("/", ["If-None-Match": etag])
        #expect(byTag.status == 200)
        #expect(byTag.text.contains("Pembaruan terlambat 1 menit"))
        let byDate = try site.get("/", ["If-Modified-Since": lastModified])
        #expect(byDate.status == 200, "Last-Modified stayed \(byDate.header("Last-Modified") ?? "none") though the page changed")
        #expect(byDate.text.contains("Pembaruan terlambat 1 menit"))
    }

    // MARK: Languages

    @Test func languageComesFromQueryThenAcceptLanguageThenThePage() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let cases: [(target: String, acceptLanguage: String?, expected: String)] = [
            ("/", nil, "id"),
            ("/", "en-GB,en;q=0.9", "en"),
            ("/", "fr, en;q=0.5", "en"),
            ("/", "en;q=0, id", "id"),
            ("/", "fr", "id"),
            ("/?lang=en", "id", "en"),
            ("/?lang=id", "en", "id"),
            ("/?lang=xx", "en", "en"),
            ("/?lang=xx", nil, "id"),
        ]
        for (target, acceptLanguage, expected) in cases {
            let page = try site.get(target, acceptLanguage.map { ["Accept-Language": $0] } ?? [:])
            let label = "\(target) Accept-Language: \(acceptLanguage ?? "none")"
            #expect(page.status == 200, "\(label)")
            #expect(page.text.contains("<html lang=\"\(expected)\">"), "\(label)")
            #expect(page.header("Content-Language") == expected, "\(label)")
            let heading = expected == "en" ? "Components" : "Komponen"
            #expect(page.text.contains("<h2 id=\"h-components\">\(heading)</h2>"), "\(label)")
        }

        // The fallback is the page's language, not a constant.
        _ = try site.write { store, now in
            try store.updatePage(PagePatch(defaultLanguage: "en"), by: Self.actor, now: now)
        }
        let english = try site.get("/")
        #expect(english.text.contains("<html lang=\"en\">"))
        #expect(english.header("Content-Language") == "en")
    }

    @Test func languageDependentPagesSayTheyVaryByAcceptLanguage() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let incident = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "Autogates down"), by: Self.actor, now: now)
        }
        for path in ["/", "/incidents/\(incident.id)", "/history", "/no-such-page"] {
            let page = try site.get(path)
            let vary = (page.header("Vary") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(vary.contains("Accept-Language"), "\(path): Vary: \(page.header("Vary") ?? "none")")
        }
    }

    @Test func anUpdateShowsTheChosenLanguageAndTheOtherInDetails() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let incident = try site.write { store, now in
            let created = try store.createIncident(IncidentDraft(
                name: "Autogate mati", nameTranslations: ["en": "Autogates down"],
                body: "Kami sedang menyelidiki.", bodyTranslations: ["en": "We are investigating."]), by: Self.actor, now: now)
            return try store.updateIncident(id: created.id, IncidentPatch(status: .identified, body: "Penyebab ditemukan."),
                                            by: Self.actor, now: now + 60)
        }

        let english = try site.get("/incidents/\(incident.id)", ["Accept-Language": "en"])
        #expect(english.status == 200)
        #expect(english.text.contains("<h1>Autogates down</h1>"))
        #expect(english.text.contains(#"<div class="body"><p>We are investigating.</p></div>"#
            + "\n" + #"<details class="other"><summary>Indonesian version</summary><div lang="id"><p>Kami sedang menyelidiki.</p></div></details>"#))
        // Without a translation the primary text is shown, marked as Indonesian.
        #expect(english.text.contains(#"<div class="body" lang="id"><p>Penyebab ditemukan.</p></div>"#))

        let indonesian = try site.get("/incidents/\(incident.id)")
        #expect(indonesian.text.contains("<h1>Autogate mati</h1>"))
        #expect(indonesian.text.contains(#"<div class="body"><p>Kami sedang menyelidiki.</p></div>"#
            + "\n" + #"<details class="other"><summary>Versi bahasa Inggris</summary><div lang="en"><p>We are investigating.</p></div></details>"#))
        #expect(indonesian.text.contains(#"<div class="body"><p>Penyebab ditemukan.</p></div>"#))
    }

    // MARK: Escaping

    static let hostileComponent = #"<script>alert(1)</script> & "Q" 'S'"#
    static let hostileIncident = "<img src=x onerror=alert(2)>"
    static let hostileBody = #"<b>bold</b> & https://example.com/a?b=1&c=2 "quoted""#

    static let escapedComponent = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot; &#39;S&#39;"
    static let escapedIncident = "&lt;img src=x onerror=alert(2)&gt;"
    /// The body as HTML: its markup is text, its URL a link with `&` escaped in `href`.
    static let bodyHTML = "&lt;b&gt;bold&lt;/b&gt; &amp; "
        + #"<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener">https://example.com/a?b=1&amp;c=2</a>"#
        + " &quot;quoted&quot;"

    static func rawMarkupIsAbsent(_ text: String, _ surface: String) {
        for raw in ["<script>", "alert(1)</script>", "<img src=x", "<b>bold"] {
            #expect(!text.contains(raw), "\(surface) contains \(raw)")
        }
    }

    @Test func staffTextIsEscapedOnEverySurface() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let (component, incident) = try site.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: Self.hostileComponent), by: Self.actor, now: now)
            let incident = try store.createIncident(IncidentDraft(
                name: Self.hostileIncident, body: Self.hostileBody, components: [component.id: .majorOutage]),
                by: Self.actor, now: now)
            return (component, incident)
        }

        let html: [(path: String, expected: [String])] = [
            ("/", [Self.escapedComponent, Self.escapedIncident, "<p>\(Self.bodyHTML)</p>"]),
            ("/?lang=en", [Self.escapedComponent, Self.escapedIncident, "<p>\(Self.bodyHTML)</p>"]),
            ("/incidents/\(incident.id)", [
                "<title>\(Self.escapedIncident) · Status</title>", "<h1>\(Self.escapedIncident)</h1>",
                "<dd>\(Self.escapedComponent)</dd>", "<p>\(Self.bodyHTML)</p>",
            ]),
            ("/history", [">\(Self.escapedIncident)</a>"]),
        ]
        for (path, expected) in html {
            let page = try site.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(page.header("Content-Type") == "text/html; charset=utf-8", "\(path)")
            Self.rawMarkupIsAbsent(page.text, path)
            for fragment in expected {
                #expect(page.text.contains(fragment), "\(path) lacks \(fragment)")
            }
        }

        // Feeds carry the trail as HTML inside XML text: the body's markup is escaped once
        // as HTML, then the whole HTML once more as XML.
        let feeds: [(path: String, type: String, contentElement: String)] = [
            ("/history.rss", "application/rss+xml; charset=utf-8", "description"),
            ("/history.atom", "application/atom+xml; charset=utf-8", "content"),
        ]
        for (path, type, contentElement) in feeds {
            let feed = try site.get(path)
            #expect(feed.status == 200, "\(path)")
            #expect(feed.header("Content-Type") == type, "\(path)")
            Self.rawMarkupIsAbsent(feed.text, path)
            #expect(feed.text.contains("<title>\(Self.escapedIncident)</title>"), "\(path)")
            #expect(feed.text.contains("&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &amp;amp; "), "\(path)")
            let xml = XMLTexts.parse(feed.body)
            #expect(xml.error == nil, "\(path): \(xml.error ?? "")")
            #expect(xml.texts["title"]?.contains(Self.hostileIncident) == true, "\(path)")
            let content = try #require(xml.texts[contentElement]?.first { $0.contains("bold") }, "\(path)")
            #expect(content.contains("<strong>Investigating</strong> - \(Self.bodyHTML)</p>"), "\(path): \(content)")
        }

        let badges: [(path: String, title: String)] = [
            ("/badge.svg", "status: Gangguan besar pada layanan"),
            ("/components/\(component.id)/badge.svg", "\(Self.hostileComponent): Gangguan total"),
        ]
        for (path, title) in badges {
            let badge = try site.get(path)
            #expect(badge.status == 200, "\(path)")
            #expect(badge.header("Content-Type") == "image/svg+xml; charset=utf-8", "\(path)")
            Self.rawMarkupIsAbsent(badge.text, path)
            let xml = XMLTexts.parse(badge.body)
            #expect(xml.error == nil, "\(path): \(xml.error ?? "")")
            #expect(xml.texts["title"] == [title], "\(path)")
        }
        let componentBadge = try site.get("/components/\(component.id)/badge.svg")
        #expect(componentBadge.text.contains("<title>\(Self.escapedComponent): Gangguan total</title>"))
    }

    /// The store accepts U+FFFE and U+FFFF in names and bodies (they are not control
    /// characters), but XML 1.0 (§2.2, `Char`) does not allow them: a feed or badge that
    /// passes them through is not XML, and feed readers drop the whole feed.
    @Test func feedsAndBadgesStayXMLWhateverTheTextHolds() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let component = try site.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: "Autogate \u{FFFE}"), by: Self.actor, now: now)
            _ = try store.createIncident(IncidentDraft(
                name: "Autogates \u{FFFF} down", body: "Checked \u{FFFE} by hand.", components: [component.id: .majorOutage]),
                by: Self.actor, now: now)
            return component
        }
        for path in ["/history.rss", "/history.atom", "/components/\(component.id)/badge.svg"] {
            let document = try site.get(path)
            #expect(document.status == 200, "\(path)")
            let xml = XMLTexts.parse(document.body)
            #expect(xml.error == nil, "\(path): \(xml.error ?? "")")
        }
    }

    // MARK: Not found

    @Test func missingThingsAreReal404s() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let htmlCases: [(target: String, headers: [String: String], title: String)] = [
            ("/incidents/zzzzzzzzzzzz", [:], "Halaman tidak ditemukan"),
            ("/incidents/not-an-id", [:], "Halaman tidak ditemukan"),
            ("/no-such-page", [:], "Halaman tidak ditemukan"),
            ("/no-such-page", ["Accept-Language": "en"], "Page not found"),
            ("/incidents/zzzzzzzzzzzz?lang=en", [:], "Page not found"),
            ("/components/zzzzzzzzzzzz/badge.svg", [:], "Halaman tidak ditemukan"),
            ("/history?page=0", [:], "Halaman tidak ditemukan"),
            ("/history?page=abc", [:], "Halaman tidak ditemukan"),
            ("/history?page=1001", [:], "Halaman tidak ditemukan"),
        ]
        for (target, headers, title) in htmlCases {
            let page = try site.get(target, headers)
            #expect(page.status == 404, "\(target)")
            #expect(page.header("Content-Type") == "text/html; charset=utf-8", "\(target)")
            #expect(page.text.contains("<title>\(title) · Status</title>"), "\(target)")
            #expect(page.text.contains("<h1>\(title)</h1>"), "\(target)")
        }

        let api = try site.get("/api/v2/nope.json")
        #expect(api.status == 404)
        #expect(api.header("Content-Type") == "application/problem+json")
        #expect(api.text.contains(#""status":404"#))
    }

    @Test func anIncidentOlderThanTheSnapshotStillHasItsPage() throws {
        let site = try PageServer.make()
        defer { site.close() }
        var ids: [String] = []
        for number in 1...60 {
            let incident = try site.store.createIncident(
                IncidentDraft(name: "Resolved incident \(number)", status: .resolved, body: "Fixed."),
                by: Self.actor, now: site.clock.now())
            ids.append(incident.id)
            site.clock.advance(by: 60)
        }
        try site.publisher.tick()
        let held = Set(site.publisher.snapshots.current.html.pages.state.incidents.map(\.id))
        #expect(held.count == Store.recentIncidentCount)
        #expect(!held.contains(ids[0]), "the snapshot should not hold the oldest incident")

        let page = try site.get("/incidents/\(ids[0])")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.contains("<h1>Resolved incident 1</h1>"))
        #expect(page.header("ETag") != nil)
        let again = try site.get("/incidents/\(ids[0])")
        #expect(again.body == page.body)
    }

    // MARK: History

    @Test func historyPagesThreeMonthsAtATimeWithLinksBothWays() throws {
        let site = try PageServer.make()
        defer { site.close() }
        _ = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "March outage", status: .resolved), by: Self.actor, now: now)
        }
        site.clock.advance(by: 122 * .day)  // 2031-07-10
        _ = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "July outage", status: .resolved), by: Self.actor, now: now)
        }

        let first = try site.get("/history?lang=en")
        #expect(first.status == 200)
        #expect(first.text.contains("<h2>July 2031</h2>"))
        #expect(first.text.contains("<h2>May 2031</h2>"))
        #expect(!first.text.contains("<h2>April 2031</h2>"))
        #expect(first.text.contains(">July outage</a>"))
        #expect(!first.text.contains("March outage"))
        // Links between pages may carry the reader's language choice (`&lang=en`).
        #expect(first.text.contains(try Regex(#"<a href="/history\?page=2(&amp;lang=en)?" rel="next">Older →</a>"#)))
        #expect(!first.text.contains(#"rel="prev""#))

        let second = try site.get("/history?page=2&lang=en")
        #expect(second.status == 200)
        #expect(second.text.contains("<h2>April 2031</h2>"))
        #expect(second.text.contains("<h2>February 2031</h2>"))
        #expect(second.text.contains(">March outage</a>"))
        #expect(!second.text.contains("July outage"))
        #expect(second.text.contains(try Regex(#"<a href="/history(\?lang=en)?" rel="prev">← Newer</a>"#)))
        #expect(!second.text.contains(#"rel="next""#))
    }

    // MARK: Headers

    @Test func htmlPagesCarryASecurityPolicyAndRevalidate() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let incident = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "Autogates down"), by: Self.actor, now: now)
        }
        for path in ["/", "/incidents/\(incident.id)", "/history", "/no-such-page"] {
            let page = try site.get(path)
            let policy = try #require(page.header("Content-Security-Policy"), "\(path)")
            let directives = Self.directives(policy)
            #expect(directives["default-src"] == "'none'", "\(path): \(policy)")
            #expect(directives["script-src"] == "'self'", "\(path): \(policy)")
            #expect(directives["frame-ancestors"] == "'none'", "\(path): \(policy)")
            #expect(!policy.contains("unsafe-inline"), "\(path): \(policy)")
            #expect(page.header("X-Content-Type-Options") == "nosniff", "\(path)")
            #expect(page.header("Referrer-Policy") == "strict-origin-when-cross-origin", "\(path)")
        }

        for path in ["/", "/incidents/\(incident.id)", "/history"] {
            let page = try site.get(path)
            #expect(page.status == 200, "\(path)")
            let etag = try #require(page.header("ETag"), "\(path)")
            let revalidated = try site.get(path, ["If-None-Match": etag])
            #expect(revalidated.status == 304, "\(path)")
            #expect(revalidated.body.isEmpty, "\(path)")
            #expect(revalidated.header("ETag") == etag, "\(path)")
            // The English page is another representation: the Indonesian tag does not match it.
            let english = try site.get(path + "?lang=en", ["If-None-Match": etag])
            #expect(english.status == 200, "\(path)")
            #expect(english.header("ETag") != etag, "\(path)")
        }
    }

    /// `default-src 'none'; script-src 'self'` as a dictionary of directive to sources.
    static func directives(_ policy: String) -> [String: String] {
        var result: [String: String] = [:]
        for directive in policy.split(separator: ";") {
            let parts = directive.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard let name = parts.first else { continue }
            result[String(name)] = parts.count > 1 ? String(parts[1]) : ""
        }
        return result
    }

    // MARK: Branding

    @Test func brandingShowsOnThePageAndWidensThePolicyOnlyForItsOrigins() throws {
        let site = try PageServer.make()
        defer { site.close() }
        _ = try site.write { store, now in
            try store.updatePage(PagePatch(
                name: "Imigrasi", logoURL: .set("https://cdn.example.id/brand/logo.png"), accentColor: .set("#0A7D45"),
                headerLinks: [Page.HeaderLink(label: "Help & FAQ", url: "https://help.example.id/faq?a=1&b=2")],
                stylesheetURL: .set("https://assets.example.id/brand.css")), by: Self.actor, now: now)
        }
        let page = try site.get("/")
        #expect(page.text.contains(#"<img src="https://cdn.example.id/brand/logo.png" alt="" height="32"><span>Imigrasi</span></a>"#))
        #expect(page.text.contains(#"<nav><a href="https://help.example.id/faq?a=1&amp;b=2">Help &amp; FAQ</a> "#))
        #expect(page.text.contains(#"<link rel="stylesheet" href="/theme.css">"# + "\n"
            + #"<link rel="stylesheet" href="https://assets.example.id/brand.css">"#))
        let directives = Self.directives(try #require(page.header("Content-Security-Policy")))
        #expect(directives["img-src"] == "'self' data: https://cdn.example.id")
        #expect(directives["style-src"] == "'self' https://assets.example.id")
        #expect(directives["default-src"] == "'none'")

        let theme = try site.get("/theme.css")
        #expect(theme.status == 200)
        #expect(theme.header("Content-Type") == "text/css; charset=utf-8")
        #expect(theme.text == ":root{--accent:#0a7d45;--accent-fg:#ffffff}\n")

        // The store refuses a script URL, and changes nothing.
        let refusal = try #require(throws: ValidationError.self) {
            try site.write { store, now in
                try store.updatePage(PagePatch(logoURL: .set("javascript:alert(3)")), by: Self.actor, now: now)
            }
        }
        #expect(refusal.field == .page(.logoURL))
        #expect(try site.store.page().logoURL == "https://cdn.example.id/brand/logo.png")

        // One that reached the database some other way (an older version, a hand edit) is
        // still not rendered, nor let into the policy.
        try site.store.withDatabase { database in
            try database.execute("UPDATE page SET logo_url = ?, stylesheet_url = ?",
                                 ["javascript:alert(3)", "javascript:alert(4)"])
        }
        try site.publisher.tick()
        let after = try site.get("/")
        #expect(after.status == 200)
        #expect(!after.text.contains("javascript:"))
        #expect(!after.text.contains("<img src="))
        #expect(!after.text.contains(#"<link rel="stylesheet" href="javascript"#))
        let policy = try #require(after.header("Content-Security-Policy"))
        #expect(Self.directives(policy)["img-src"] == "'self' data:")
        #expect(Self.directives(policy)["style-src"] == "'self'")
    }
}

// MARK: - Fixtures

extension PublicPagesTests {
    /// A started server answering from `StatusRoutes` over a publisher on a manual clock and a fresh
    /// database.
    struct PageServer {
        let folder: TemporaryFolder
        let store: Store
        let clock: ManualClock
        let publisher: Publisher
        let server: HTTPServer

        /// Brotli forms are made when a test calls `publisher.completeBrotli()`, never by a
        /// background queue racing the test's reads.
        static func make(start: Date = PublicPagesTests.start, options: PageOptions = .standard,
                         trustedProxies: [String] = []) throws -> PageServer {
            let folder = try TemporaryFolder("pages")
            let store = try Store(path: folder.file("warta.db"))
            let clock = ManualClock(start)
            let publisher = try Publisher(store: store, clock: clock, maxAge: 10, options: options, brotli: .whenAsked)
            var configuration = Configuration()
            configuration.port = 0
            configuration.eventLoops = 1
            configuration.accessLog = false
            configuration.shutdownGracePeriod = 2 * nanosecondsPerSecond
            let server = HTTPServer(configuration: configuration, responder: StatusRoutes(
                publisher: publisher, assets: try Assets(), trustedProxies: trustedProxies))
            try server.start()
            return PageServer(folder: folder, store: store, clock: clock, publisher: publisher, server: server)
        }

        func write<T>(_ body: (Store, Date) throws -> T) throws -> T {
            try publisher.write(body)
        }

        func get(_ target: String, _ headers: [String: String] = [:]) throws -> TestResponse {
            try TestClient.fetch(port: server.port, target, fields: headers)
        }

        /// A request with a method and a body (a form, unless `headers` says otherwise).
        func send(_ method: String, _ target: String, _ headers: [String: String] = [:], body: String) throws -> TestResponse {
            var headers = headers
            headers["Content-Type"] = headers["Content-Type"] ?? "application/x-www-form-urlencoded"
            headers["Content-Length"] = String(body.utf8.count)
            return try TestClient.fetch(port: server.port, target, method: method, fields: headers, body: body)
        }

        func close() {
            server.shutdown()
            server.wait()
            store.close()
            folder.remove()
        }
    }

    /// A document parsed by Foundation's `XMLParser`: its error, if any, and the text of each
    /// element by name, in document order (entities and character references resolved).
    final class XMLTexts: NSObject, XMLParserDelegate {
        private(set) var texts: [String: [String]] = [:]
        private var current = ""

        static func parse(_ bytes: [UInt8]) -> (error: String?, texts: [String: [String]]) {
            let collector = XMLTexts()
            let parser = XMLParser(data: Data(bytes))
            parser.delegate = collector
            let parsed = parser.parse()
            let error = parsed ? nil : "\(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber)"
            return (error, collector.texts)
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            current = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            current += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?) {
            texts[elementName, default: []].append(current)
            current = ""
        }
    }
}

extension TestResponse {
    /// `max-age` of `Cache-Control`.
    var maxAge: Int? {
        header("Cache-Control")?.split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("max-age=") }
            .flatMap { Int($0.dropFirst(8)) }
    }
}
