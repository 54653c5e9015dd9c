import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// What automatic checks measured, on the public page and in the feeds, beside what staff
/// declared: a real server on port 0, a real SQLite file, results recorded through the store
/// at instants a manual clock sets, pages read over a socket.
@Suite struct CheckPagesTests {
    typealias Site = PublicPagesTests.PageServer

    static let actor = PublicPagesTests.actor
    static let locations = ["jakarta-2", "singapore-1", "surabaya-1"]
    /// Two of the three locations fail.
    static let twoFailing: Set<String> = ["jakarta-2", "surabaya-1"]

    /// 12:00 WIB, the page's zone; the failure begins at 12:17 WIB.
    static let start = PublicPagesTests.start
    static let failureStart = start + 17 * .minute
    static let failureTime = #"<time datetime="2031-03-10T12:17:00.000+07:00">"#

    /// A component and an http check on it, made at the clock's now.
    static func makeCheck(_ site: Site, component name: String = "Aplikasi M-Paspor", check checkName: String = "M-Paspor API",
                          interval: Int = 3600) throws -> (component: Component, check: Check) {
        try site.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: name), by: actor, now: now)
            var draft = CheckDraft(name: checkName, componentID: component.id, kind: .http, url: "https://m-paspor.example/health")
            draft.interval = interval
            return (component, try store.createCheck(draft, by: actor, now: now).check)
        }
    }

    /// One result from each location at the clock's now; those in `failing` fail.
    static func report(_ site: Site, _ check: Check, failing: Set<String> = [], from locations: [String] = locations,
                       latency: Int = 120) throws {
        _ = try site.write { store, now in
            try store.recordCheckResults(locations.map { location in
                let failed = failing.contains(location)
                return CheckResult(checkID: check.id, location: location, report: ProbeReport(
                    outcome: failed ? .failure : .success, at: now, latencyMilliseconds: latency,
                    detail: failed ? "HTTP 503 secret-detail" : "HTTP 200"))
            }, now: now)
        }
    }

    /// `rounds` rounds of results ten seconds apart, starting at `instant`: three failures
    /// from `failing` make the check fail from `instant` (its thresholds are 3 and 2).
    static func report(_ site: Site, _ check: Check, at instant: Date, rounds: Int = 3, failing: Set<String>,
                       from locations: [String] = locations) throws {
        site.clock.set(instant)
        for round in 0..<rounds {
            if round > 0 { site.clock.advance(by: 10) }
            try report(site, check, failing: failing, from: locations)
        }
    }

    /// Moves the clock to `instant`, a round of results every `step` on the way (so no
    /// location falls silent), then runs the clock path as the timer would.
    static func advance(_ site: Site, to instant: Date, reporting check: Check, failing: Set<String>,
                        every step: TimeInterval = 600) throws {
        while site.clock.now() + step < instant {
            site.clock.advance(by: step)
            try report(site, check, failing: failing)
        }
        site.clock.set(instant)
        try site.publisher.tick()
    }

    /// A check on "Aplikasi M-Paspor" that is up at 12:00 and fails from 12:17 at two of
    /// its three locations.
    static func failingSince1217(_ site: Site, interval: Int = 3600) throws -> (component: Component, check: Check) {
        let made = try makeCheck(site, interval: interval)
        try report(site, made.check, at: start, rounds: 2, failing: [])
        try report(site, made.check, at: failureStart, failing: twoFailing)
        return made
    }

    // MARK: Silence counted

    @Test func thePagesOwnPromiseSaysWhoseItIsOnThePagesAndInTheFeeds() throws {
        let site = try Site.make()
        defer { site.close() }
        let incident = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "Autogates down", body: "Passports are checked by hand."),
                                     by: Self.actor, now: now)
        }
        let due = #"<time datetime="2031-03-10T13:00:00.000+07:00">"#
        #expect(try site.get("/?lang=en").text.contains(#"<p class="next">Next update by \#(due)13:00 WIB</time> at the latest "#
            + "(this page promises one at least every 60 min)</p>"))
        #expect(try site.get("/incidents/\(incident.id)?lang=id").text.contains(
            #"<p class="next">Pembaruan berikutnya paling lambat \#(due)13.00 WIB</time> "#
            + "(halaman ini menjanjikan pembaruan setidaknya setiap 60 menit)</p>"))
        let feedPromise = "<p><strong>Next update by Mar 10, 2031, 13:00 WIB at the latest "
            + "(this page promises one at least every 60 min)</strong></p>"
        #expect(try Self.feedContent(site, "/history.rss", "description").hasPrefix(feedPromise))
        #expect(try Self.feedContent(site, "/history.atom", "content").hasPrefix(feedPromise))

        // Overdue: the promise passed 1 ms ago (the clock path rebuilds then).
        site.clock.set(Self.start + .hour + 0.001)
        try site.publisher.tick()
        let overdue = #"<p class="overdue" role="status"><span class="icon" aria-hidden="true">!</span> <strong>"#
        #expect(try site.get("/?lang=en").text.contains(overdue
            + "No update for 1 h 0 min; this page promises one at least every 60 min.</strong></p>"))
        #expect(try site.get("/?lang=id").text.contains(overdue
            + "Tidak ada pembaruan selama 1 j 0 mnt; halaman ini menjanjikan pembaruan setidaknya setiap 60 menit.</strong></p>"))
        #expect(try Self.feedContent(site, "/history.rss", "description").hasPrefix(
            "<p><strong>No update for 1 h 0 min; this page promises one at least every 60 min.</strong></p>"))

        site.clock.set(Self.start + 26 * .hour + 3 * .minute)
        try site.publisher.tick()
        #expect(try site.get("/incidents/\(incident.id)?lang=en").text.contains(overdue
            + "No update for 26 h 3 min; this page promises one at least every 60 min.</strong></p>"))
        #expect(try site.get("/incidents/\(incident.id)?lang=id").text.contains("Tidak ada pembaruan selama 26 j 3 mnt;"))
        #expect(try Self.feedContent(site, "/history.atom", "content").hasPrefix(
            "<p><strong>No update for 26 h 3 min; this page promises one at least every 60 min.</strong></p>"))

        // Staff promise: today's wording, which names no page rule.
        _ = try site.write { store, now in
            try store.updateIncident(id: incident.id, IncidentPatch(body: "Counters open.", nextUpdateAt: now + 30 * .minute),
                                     by: Self.actor, now: now)
        }
        let english = try site.get("/?lang=en").text
        #expect(english.contains(#"<p class="next">Next update by <time datetime="2031-03-11T14:33:00.000+07:00">14:33 WIB</time></p>"#))
        #expect(!english.contains("this page promises"))
        #expect(try Self.feedContent(site, "/history.rss", "description").hasPrefix(
            "<p><strong>Next update by Mar 11, 2031, 14:33 WIB</strong></p>"))
    }

    /// The HTML of the feed entry that carries the promise (the only open incident's).
    static func feedContent(_ site: Site, _ path: String, _ element: String) throws -> String {
        let feed = try site.get(path)
        #expect(feed.status == 200)
        let xml = PublicPagesTests.XMLTexts.parse(feed.body)
        #expect(xml.error == nil, "\(path): \(xml.error ?? "")")
        return try #require(xml.texts[element]?.first { $0.contains("Passports are checked by hand.") }, "\(path)")
    }
}
