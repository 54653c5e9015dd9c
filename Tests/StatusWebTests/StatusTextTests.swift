import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// `/status.txt`: the status in one SMS, as a gateway fetches it from a real server on a
/// manual clock, and the fitting of many or long incident names into 160 characters.
@Suite struct StatusTextTests {
    typealias PageServer = PublicPagesTests.PageServer
    static let actor = PublicPagesTests.actor

    @Test func allClearInEachLanguageWithTheDocumentsCaching() throws {
        let site = try PageServer.make()
        defer { site.close() }

        let indonesian = try site.get("/status.txt")
        #expect(indonesian.status == 200)
        #expect(indonesian.text == "Semua layanan berjalan normal.")
        #expect(indonesian.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(indonesian.header("Content-Language") == "id")
        #expect(indonesian.header("Vary") == "Accept-Language, Accept-Encoding")
        #expect(indonesian.header("Cache-Control") == PublicPagesTests.cacheControl10)
        #expect(indonesian.header("X-Content-Type-Options") == "nosniff")

        let english = try site.get("/status.txt?lang=en")
        #expect(english.text == "All systems operational.")
        #expect(english.header("Content-Language") == "en")
        let negotiated = try site.get("/status.txt", ["Accept-Language": "en-GB, id;q=0.5"])
        #expect(negotiated.text == "All systems operational.")
        #expect(negotiated.header("ETag") == english.header("ETag"))
        #expect(english.header("ETag") != indonesian.header("ETag"))
    }

    @Test func answers304ToACurrentCopyWithTheSnapshotsETag() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let first = try site.get("/status.txt?lang=en")
        let etag = try #require(first.header("ETag"))
        // Prepared with the snapshot: the response is the entry the snapshot holds.
        #expect(etag == site.publisher.snapshots.current.html.statusText(.english).etag)
        #expect(first.header("Last-Modified") != nil)

        let again = try site.get("/status.txt?lang=en", ["If-None-Match": etag])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(again.header("ETag") == etag)
        #expect(again.header("Cache-Control") == PublicPagesTests.cacheControl10)
        #expect(again.header("Vary") == "Accept-Language, Accept-Encoding")

        _ = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "Autogate mati"), by: Self.actor, now: now)
        }
        let changed = try site.get("/status.txt?lang=en", ["If-None-Match": etag])
        #expect(changed.status == 200)
        #expect(changed.header("ETag") != etag)
    }

    @Test func namesTheIncidentAndThePromiseThenSaysWhenItIsOverdue() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let promise = site.clock.now() + 30 * .minute
        _ = try site.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: "Autogate Terminal 3"), by: Self.actor, now: now)
            return try store.createIncident(IncidentDraft(
                name: "Autogate mati", nameTranslations: ["en": "Autogates down"], body: "Paspor diperiksa manual.",
                components: [component.id: .majorOutage], nextUpdateAt: promise), by: Self.actor, now: now)
        }
        #expect(try site.get("/status.txt?lang=en").text
            == "Major system outage. Autogates down. Next update by 12:30 WIB.")
        #expect(try site.get("/status.txt?lang=id").text
            == "Gangguan besar pada layanan. Autogate mati. Pembaruan berikutnya paling lambat 12.30 WIB.")

        site.clock.advance(by: 31 * .minute)
        try site.publisher.tick()
        #expect(try site.get("/status.txt?lang=en").text
            == "Major system outage. Autogates down. Update overdue since 12:30 WIB.")
        #expect(try site.get("/status.txt?lang=id").text
            == "Gangguan besar pada layanan. Autogate mati. Pembaruan terlambat sejak 12.30 WIB.")
    }

    /// Three long Indonesian names: each keeps an equal share of the room, cut with "…",
    /// newest first, and the whole is 160 characters, not bytes (the names hold "é" and "…").
    @Test func longNamesAreShortenedSoTheWholeStaysWithin160Characters() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let names = [
            "Gangguan pembayaran visa elektronik (e-Visa) untuk pemohon dari luar negeri melalui kartu kredit",
            "Antrean panjang di Bandara Internasional Soekarno–Hatta karena autogate Terminal 3 tidak berfungsi",
            "Layanan paspor elektronik di seluruh kantor imigrasi tertunda akibat pemeliharaan pusat data café",
        ]
        for (offset, name) in names.enumerated() {
            site.clock.advance(by: .minute)
            _ = try site.write { store, now in
                try store.createIncident(IncidentDraft(name: name, impactOverride: .critical,
                                                       nextUpdateAt: now + Double(30 + offset) * .minute),
                                         by: Self.actor, now: now)
            }
        }
        let text = try site.get("/status.txt").text
        // Head 28, promise 46, the space before the names 1: 85 for the names, of which
        // "; " twice and the closing "." take 5, so each name gets 26 or 27 characters
        // (the shortest the 26), less the space a cut leaves before "…".
        let expected = "Gangguan besar pada layanan. "
            + "Layanan paspor elektronik…; "
            + "Antrean panjang di Bandara…; "
            + "Gangguan pembayaran visa…. "
            + "Pembaruan berikutnya paling lambat 12.31 WIB."
        #expect(text == expected)
        // Characters, not bytes: each "…" is three bytes.
        #expect(text.count == 158)
        #expect(text.utf8.count == 164)
    }

    /// Twelve open incidents: the four newest keep at least twelve characters each, the
    /// other eight are counted, and the whole is exactly 160 characters.
    @Test func manyIncidentsKeepTheNewestAndCountTheRest() throws {
        let site = try PageServer.make()
        defer { site.close() }
        for number in 1...12 {
            site.clock.advance(by: .minute)
            _ = try site.write { store, now in
                try store.createIncident(IncidentDraft(name: "Kantor \(number): antrean paspor sangat panjang",
                                                       impactOverride: .minor), by: Self.actor, now: now)
            }
        }
        let text = try site.get("/status.txt?lang=id").text
        // The page's own promise: an hour after the first incident's only update, at 12:01.
        #expect(text == "Sebagian layanan terganggu ringan. Kantor 12: antr…; Kantor 11: ant…; Kantor 10: ant…; "
            + "Kantor 9: antr… +8 lainnya. Pembaruan berikutnya paling lambat 13.01 WIB.")
        #expect(text.count == 160)
    }

    // MARK: Fitting names, without a server

    @Test func fairSharesLeaveShortNamesWhole() {
        let names = [String(repeating: "a", count: 50), "short", String(repeating: "b", count: 50)]
        let fitted = PageRenderer.fittedNames(names, room: 60) { "+\($0) more" }
        #expect(fitted == String(repeating: "a", count: 24) + "…; short; " + String(repeating: "b", count: 24) + "….")
        #expect(fitted.count == 60)
        #expect(PageRenderer.fittedNames(["Autogates down", "Payments failing"], room: 60) { "+\($0) more" }
            == "Autogates down; Payments failing.")
    }

    @Test func namesGiveWayToACountBelowTwelveCharactersEach() {
        let names = (1...20).map { "Incident name number \($0) of twenty" }
        let fitted = PageRenderer.fittedNames(names, room: 80) { "+\($0) more" }
        // Five names: 80 - " +15 more." (10) - four "; " (8) = 62, shared 13, 13, 12, 12, 12
        // (the older names take the smaller shares); six would get 10 each.
        #expect(fitted == "Incident nam…; Incident nam…; Incident na…; Incident na…; Incident na… +15 more.")
        #expect(fitted.count == 80)
        #expect(PageRenderer.fittedNames(names, room: 9) { "+\($0) more" } == "+20 more.")
        #expect(PageRenderer.fittedNames(names, room: 4) { "+\($0) more" } == "")
    }

    @Test func shortenedCountsCharactersNotBytesAndNeverSplitsOne() {
        let flag = "🇮🇩"
        let text = String(repeating: flag, count: 10)
        #expect(PageRenderer.shortened(text, to: 4) == String(repeating: flag, count: 3) + "…")
        #expect(PageRenderer.shortened("Autogate mati", to: 13) == "Autogate mati")
        #expect(PageRenderer.shortened("Autogate mati", to: 10) == "Autogate…")
    }
}
