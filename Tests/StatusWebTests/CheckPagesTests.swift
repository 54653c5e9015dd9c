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

    // MARK: The line under each component

    @Test func aFailingCheckHasItsOwnLineInBothLanguagesAndNeverTheComponentsStatus() throws {
        let site = try Site.make()
        defer { site.close() }
        let (_, check) = try Self.makeCheck(site)
        try Self.report(site, check, at: Self.start, rounds: 2, failing: [])

        var english = try site.get("/?lang=en")
        #expect(english.text.contains(#"<ul class="checks"><li class="k-up">Automatic check «M-Paspor API»: up, 120 ms</li></ul>"#))
        #expect(try site.get("/?lang=id").text.contains(
            #"<li class="k-up">Pemeriksaan otomatis «M-Paspor API»: berfungsi, 120 ms</li>"#))
        #expect(!english.text.contains("k-failing"))

        try Self.report(site, check, at: Self.failureStart, failing: Self.twoFailing)
        english = try site.get("/?lang=en")
        #expect(english.status == 200)
        #expect(english.text.contains(#"<li class="k-failing"><span class="icon" aria-hidden="true">!</span>"#
            + "Automatic check «M-Paspor API»: failing since \(Self.failureTime)12:17 WIB</time> (2 of 3 locations), "
            + "not yet confirmed by staff</li>"))
        let indonesian = try site.get("/?lang=id")
        #expect(indonesian.text.contains(#"<li class="k-failing"><span class="icon" aria-hidden="true">!</span>"#
            + "Pemeriksaan otomatis «M-Paspor API»: gagal sejak \(Self.failureTime)12.17 WIB</time> (2 dari 3 lokasi), "
            + "belum dikonfirmasi petugas</li>"))

        // What staff declared is untouched: the component and the page are still operational.
        #expect(english.text.contains(#"<span class="st c-operational"><span class="icon" aria-hidden="true"></span>Operational</span>"#))
        #expect(english.text.contains("All systems operational</h1>"))
        #expect(try site.get("/api/v2/status.json").text.contains(#""indicator":"none""#))
        // What a location saw is for staff only.
        #expect(!english.text.contains("secret-detail") && !indonesian.text.contains("secret-detail"))
        // Within the grace there is no banner yet.
        #expect(!english.text.contains("h-unconfirmed"))
    }

    @Test func oneLocationIsNotCounted() throws {
        let site = try Site.make()
        defer { site.close() }
        let (_, check) = try Self.makeCheck(site)
        try Self.report(site, check, at: Self.failureStart, failing: ["local"], from: ["local"])
        let english = try site.get("/?lang=en")
        #expect(english.text.contains("«M-Paspor API»: failing since \(Self.failureTime)12:17 WIB</time>, not yet confirmed by staff</li>"))
        #expect(!english.text.contains("of 1 locations"))
        #expect(try site.get("/?lang=id").text.contains(
            "«M-Paspor API»: gagal sejak \(Self.failureTime)12.17 WIB</time>, belum dikonfirmasi petugas</li>"))
    }

    /// A group folded because every member is operational opens for a failing check, and a
    /// member shown only when degraded is shown: the banner names it, so its line is there.
    @Test func aFailingCheckUnfoldsItsGroupAndShowsAHiddenComponent() throws {
        let site = try Site.make()
        defer { site.close() }
        let check = try site.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: "Autogate T3", onlyShowIfDegraded: true),
                                                      by: Self.actor, now: now)
            let shown = try store.createComponent(ComponentDraft(name: "Autogate T2"), by: Self.actor, now: now)
            _ = try store.createComponentGroup(ComponentGroupDraft(name: "Autogates", componentIDs: [component.id, shown.id]),
                                               by: Self.actor, now: now)
            return try store.createCheck(CheckDraft(name: "T3 gateway", componentID: component.id, kind: .http,
                                                    url: "https://t3.example/"), by: Self.actor, now: now).check
        }
        var page = try site.get("/?lang=en")
        #expect(page.text.contains(#"<li class="group"><details><summary><span class="name">Autogates</span>"#))
        #expect(!page.text.contains("Autogate T3"))

        try Self.report(site, check, at: Self.failureStart, failing: Self.twoFailing)
        page = try site.get("/?lang=en")
        #expect(page.text.contains(#"<li class="group"><details open><summary><span class="name">Autogates</span>"#))
        #expect(page.text.contains(#"<span class="name">Autogate T3</span>"#))
        #expect(page.text.contains("Automatic check «T3 gateway»: failing since"))
    }

    // MARK: The banner

    @Test func theBannerAppearsAfterTheGraceCountsAndGoesWhenAnIncidentListsTheComponent() throws {
        let site = try Site.make()
        defer { site.close() }
        let (component, check) = try Self.failingSince1217(site, interval: 300)

        site.clock.set(Self.failureStart + 15 * .minute - 1)
        try site.publisher.tick()
        #expect(!(try site.get("/?lang=en")).text.contains("h-unconfirmed"))

        site.clock.set(Self.failureStart + 15 * .minute)
        try site.publisher.tick()
        let heading = #"<section class="unconfirmed" role="alert" aria-labelledby="h-unconfirmed"><h2 id="h-unconfirmed">"#
            + #"<span class="icon" aria-hidden="true">!</span>"#
        let named = "<li><a href=\"#component-\(component.id)\">Aplikasi M-Paspor</a>: "
        var english = try site.get("/?lang=en")
        #expect(english.text.contains(heading + "Automatic checks: failure not yet confirmed by staff</h2>"))
        #expect(english.text.contains(named + "Automatic checks found a failure at \(Self.failureTime)12:17 WIB</time>. "
            + "No statement from staff yet (15 min).</li>"))
        // The banner links to the component's line.
        #expect(english.text.contains(#"<li class="component" id="component-\#(component.id)">"#))

        try Self.advance(site, to: Self.failureStart + 2 * .hour + 10 * .minute, reporting: check, failing: Self.twoFailing)
        english = try site.get("/?lang=en")
        #expect(english.text.contains(named + "Automatic checks found a failure at \(Self.failureTime)12:17 WIB</time>. "
            + "No statement from staff yet (2 h 10 min).</li>"))
        let indonesian = try site.get("/?lang=id")
        #expect(indonesian.text.contains(heading + "Pemeriksaan otomatis: gangguan belum dikonfirmasi petugas</h2>"))
        #expect(indonesian.text.contains(named + "Pemeriksaan otomatis menemukan gangguan pukul \(Self.failureTime)12.17 WIB</time>. "
            + "Belum ada pernyataan dari petugas (2 j 10 mnt).</li>"))

        // Staff speak: an incident lists the component. The banner goes; the line says so.
        let incident = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "M-Paspor down", components: [component.id: .majorOutage]),
                                     by: Self.actor, now: now)
        }
        english = try site.get("/?lang=en")
        #expect(!english.text.contains("h-unconfirmed"))
        #expect(english.text.contains("«M-Paspor API»: failing since \(Self.failureTime)12:17 WIB</time> (2 of 3 locations), "
            + #"<a href="/incidents/\#(incident.id)?lang=en">staff are on it</a></li>"#))
        let indonesianAcknowledged = try site.get("/?lang=id")
        #expect(!indonesianAcknowledged.text.contains("h-unconfirmed"))
        #expect(indonesianAcknowledged.text.contains("«M-Paspor API»: gagal sejak \(Self.failureTime)12.17 WIB</time> (2 dari 3 lokasi), "
            + #"<a href="/incidents/\#(incident.id)?lang=id">petugas sedang menanganinya</a></li>"#))
        #expect(!english.text.contains("not yet confirmed by staff"))

        // Resolved while the check still fails: the banner is back.
        _ = try site.write { store, now in
            try store.updateIncident(id: incident.id, IncidentPatch(status: .resolved), by: Self.actor, now: now)
        }
        #expect(try site.get("/?lang=en").text.contains(named + "Automatic checks found a failure at "))
    }

    @Test func theBannerGoesWhenTheCheckIsUpAgain() throws {
        let site = try Site.make()
        defer { site.close() }
        let (_, check) = try Self.failingSince1217(site)
        try Self.advance(site, to: Self.failureStart + 59 * .minute, reporting: check, failing: Self.twoFailing)
        #expect(try site.get("/?lang=en").text.contains("No statement from staff yet (59 min)."))
        #expect(try site.get("/?lang=id").text.contains("Belum ada pernyataan dari petugas (59 mnt)."))

        try Self.report(site, check, at: site.clock.now(), rounds: 2, failing: [])
        let english = try site.get("/?lang=en")
        #expect(!english.text.contains("h-unconfirmed"))
        #expect(!english.text.contains("k-failing"))
        #expect(english.text.contains(#"<li class="k-up">Automatic check «M-Paspor API»: up, 120 ms</li>"#))
    }

    /// Several components failing in the same minute share a sentence; another minute has its own.
    @Test func failuresOfTheSameMinuteShareOneSentence() throws {
        let site = try Site.make()
        defer { site.close() }
        let first = try Self.makeCheck(site, component: "e-Visa", check: "e-Visa site")
        let second = try Self.makeCheck(site, component: "Izin Tinggal", check: "Stay permits")
        let third = try Self.makeCheck(site, component: "Deklarasi", check: "Arrival card")
        try Self.report(site, first.check, at: Self.failureStart, failing: Self.twoFailing)
        try Self.report(site, second.check, at: Self.failureStart + 30, failing: Self.twoFailing)
        try Self.report(site, third.check, at: Self.failureStart + 3 * .minute, failing: Self.twoFailing)
        site.clock.set(Self.failureStart + 20 * .minute)
        try site.publisher.tick()
        let english = try site.get("/?lang=en").text
        #expect(english.contains("<li><a href=\"#component-\(first.component.id)\">e-Visa</a>, "
            + "<a href=\"#component-\(second.component.id)\">Izin Tinggal</a>: Automatic checks found a failure at "
            + "\(Self.failureTime)12:17 WIB</time>. No statement from staff yet (20 min).</li>"))
        #expect(english.contains("<li><a href=\"#component-\(third.component.id)\">Deklarasi</a>: Automatic checks found a failure at "
            + #"<time datetime="2031-03-10T12:20:00.000+07:00">12:20 WIB</time>. No statement from staff yet (17 min).</li>"#))
    }

    // MARK: Private checks

    @Test func checksPublicFalseHidesEveryTraceOfChecksButNotTheSilence() throws {
        let site = try Site.make()
        defer { site.close() }
        let (component, check) = try Self.failingSince1217(site)
        try Self.advance(site, to: Self.failureStart + 20 * .minute, reporting: check, failing: Self.twoFailing)
        let incident = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "M-Paspor down", components: [component.id: .majorOutage]),
                                     by: Self.actor, now: now)
        }
        // A second failing component that no incident lists, for the banner.
        let other = try Self.makeCheck(site, component: "Call centre", check: "Complaints site")
        try Self.report(site, other.check, at: Self.failureStart + 21 * .minute, failing: Self.twoFailing)
        site.clock.set(Self.failureStart + 40 * .minute)
        try site.publisher.tick()

        let traces = ["Automatic check", "Pemeriksaan otomatis", "M-Paspor API", "Complaints site", "k-failing", "k-up",
                      "h-unconfirmed", "measured", "terukur", "Declared by staff", "Dinyatakan petugas",
                      "Time to first statement", "Waktu hingga pernyataan pertama"]
        let paths = ["/?lang=en", "/?lang=id", "/incidents/\(incident.id)?lang=en", "/incidents/\(incident.id)?lang=id",
                     "/history.rss", "/history.atom"]
        let present = { (path: String) throws -> [String] in
            let page = try site.get(path)
            return traces.filter { page.text.contains($0) }
        }
        // Public: they are there (so this test can fail).
        #expect(try present("/?lang=en").contains("Complaints site"))
        #expect(try present("/?lang=en").contains("h-unconfirmed"))
        #expect(try present("/?lang=id").contains("terukur"))
        #expect(try present("/incidents/\(incident.id)?lang=en").contains("Time to first statement"))

        _ = try site.write { store, now in
            var patch = PagePatch()
            patch.checksPublic = false
            return try store.updatePage(patch, by: Self.actor, now: now)
        }
        for path in paths {
            let page = try site.get(path)
            #expect(page.status == 200, "\(path)")
            let shown = try present(path)
            #expect(shown.isEmpty, "\(path) shows \(shown)")
        }
        // The silence texts are about staff, not checks: they stay.
        #expect(try site.get("/?lang=en").text.contains("(this page promises one at least every 60 min)"))
        #expect(try site.get("/history.rss").text.contains("this page promises one at least every 60 min"))
    }

    // MARK: Escaping

    @Test func namesAreEscapedInEveryCheckText() throws {
        let site = try Site.make()
        defer { site.close() }
        let (component, check) = try Self.makeCheck(site, component: #"Autogate <T3> & "Q""#, check: #"<b>"M&P"</b>"#)
        try Self.report(site, check, at: Self.failureStart, failing: Self.twoFailing)
        site.clock.set(Self.failureStart + 16 * .minute)
        try site.publisher.tick()
        for language in ["en", "id"] {
            let page = try site.get("/?lang=\(language)").text
            #expect(page.contains("«&lt;b&gt;&quot;M&amp;P&quot;&lt;/b&gt;»: "), "\(language)")
            #expect(page.contains("<a href=\"#component-\(component.id)\">Autogate &lt;T3&gt; &amp; &quot;Q&quot;</a>: "),
                    "\(language)")
            #expect(page.contains("«&lt;b&gt;&quot;M&amp;P&quot;&lt;/b&gt;»: 33"), "\(language): the measured summary")
            #expect(!page.contains("<b>\"M&P\"</b>") && !page.contains("<T3>"), "\(language)")
        }
    }

    // MARK: Time to first statement

    @Test func anIncidentPageGivesTheTimeToFirstStatement() throws {
        let site = try Site.make()
        defer { site.close() }
        let (component, check) = try Self.failingSince1217(site, interval: 3600)
        try Self.advance(site, to: Self.failureStart + 10 * .hour + 44 * .minute, reporting: check, failing: Self.twoFailing,
                         every: .hour)
        let (late, unwatched) = try site.write { store, now in
            let other = try store.createComponent(ComponentDraft(name: "Website"), by: Self.actor, now: now)
            return (try store.createIncident(IncidentDraft(name: "M-Paspor down", components: [component.id: .majorOutage]),
                                             by: Self.actor, now: now),
                    try store.createIncident(IncidentDraft(name: "Website slow", components: [other.id: .degradedPerformance]),
                                             by: Self.actor, now: now))
        }
        let english = try site.get("/incidents/\(late.id)?lang=en")
        #expect(english.status == 200)
        #expect(english.text.contains("<dt>Time to first statement</dt><dd>10 h 44 min (automatic checks first saw the failure at "
            + "\(Self.failureTime)Mar 10, 2031, 12:17 WIB</time>)</dd>"))
        let indonesian = try site.get("/incidents/\(late.id)?lang=id")
        #expect(indonesian.text.contains("<dt>Waktu hingga pernyataan pertama</dt><dd>10 j 44 mnt (pemeriksaan otomatis pertama kali "
            + "mendeteksi gangguan pukul \(Self.failureTime)10 Mar 2031, 12.17 WIB</time>)</dd>"))
        // No check saw the other one first.
        #expect(!(try site.get("/incidents/\(unwatched.id)?lang=en")).text.contains("Time to first statement"))
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

    // MARK: Measured uptime

    @Test func measuredUptimeStandsBesideTheDeclaredAndSaysSo() throws {
        // 12:00 WIB on 8 March; the check's results: three of four succeed that day, none
        // on the 9th, all on the 10th.
        let site = try Site.make(start: instant("2031-03-08T05:00:00.000Z"))
        defer { site.close() }
        let (_, check) = try Self.makeCheck(site, interval: 3600)
        for outcome in [ProbeOutcome.success, .success, .success, .failure] {
            _ = try site.write { store, now in
                try store.recordCheckResults([CheckResult(checkID: check.id, location: "local",
                                                          report: ProbeReport(outcome: outcome, at: now))], now: now)
            }
            site.clock.advance(by: 10 * .minute)
        }
        site.clock.set(Self.start)
        try Self.report(site, check, from: ["local"])
        site.clock.advance(by: 10)
        try Self.report(site, check, from: ["local"])

        let english = try site.get("/?lang=en").text
        #expect(english.contains("<summary>Declared by staff: 100% uptime over 90 days</summary>"))
        #expect(english.contains(#"<div class="uptime measured"><span class="bar" aria-hidden="true">"#))
        #expect(english.contains("<summary>Measured by automatic check «M-Paspor API»: 83.33% of results successful over 90 days</summary>"))
        #expect(english.contains("<li>Dec 11, 2030 – Mar 7, 2031: no data yet</li><li>Mar 8, 2031: 75.00% measured, 1 of 4 results failed</li>"
            + "<li>Mar 9, 2031: no data yet</li><li>Mar 10, 2031: 100% measured, every result successful</li>"))
        #expect(english.contains(#"<i class="u4" title="Mar 8, 2031: 75.00% measured, 1 of 4 results failed"></i><i class="u0"></i><i></i></span>"#))

        let indonesian = try site.get("/?lang=id").text
        #expect(indonesian.contains("<summary>Dinyatakan petugas: 100% waktu aktif dalam 90 hari</summary>"))
        #expect(indonesian.contains("<summary>Terukur oleh pemeriksaan otomatis «M-Paspor API»: 83,33% berhasil dalam 90 hari</summary>"))
        #expect(indonesian.contains("<li>8 Mar 2031: 75,00% terukur, 1 dari 4 hasil gagal</li>"))
        #expect(indonesian.contains("<li>10 Mar 2031: 100% terukur, semua hasil berhasil</li>"))
    }

    /// Past three checks on a component, the failing ones keep their lines, the rest are
    /// counted in one, and one measured bar sums every result: a page with hundreds of checks
    /// stays readable and small.
    @Test func manyChecksOnAComponentAreSummedUp() throws {
        let site = try Site.make()
        defer { site.close() }
        let component = try site.write { store, now in
            try store.createComponent(ComponentDraft(name: "Layanan paspor"), by: Self.actor, now: now)
        }
        let checks = try (0..<5).map { index in
            try site.write { store, now in
                var draft = CheckDraft(name: "Kantor \(index)", componentID: component.id, kind: .http,
                                       url: "https://kantor\(index).example/health")
                draft.interval = 3600
                return try store.createCheck(draft, by: Self.actor, now: now).check
            }
        }
        // Kantor 0 fails at every location, Kantor 1 to 3 are up, Kantor 4 has no result.
        for round in 0..<3 {
            if round > 0 { site.clock.advance(by: 10) }
            for (index, check) in checks.prefix(4).enumerated() {
                try Self.report(site, check, failing: index == 0 ? Set(Self.locations) : [])
            }
        }
        let english = try site.get("/?lang=en").text
        #expect(english.contains("Automatic check «Kantor 0»: failing since"))
        #expect(!english.contains("«Kantor 1»"))
        #expect(english.contains("<li class=\"k-up\">4 other automatic checks: 3 up, 1 without a current result</li>"))
        #expect(english.contains("<summary>Measured by 5 automatic checks: 75.00% of results successful over 90 days</summary>"))
        #expect(english.components(separatedBy: #"<div class="uptime measured">"#).count == 2)
        let indonesian = try site.get("/?lang=id").text
        #expect(indonesian.contains("4 pemeriksaan otomatis lain: 3 berfungsi, 1 tanpa hasil terkini"))
        #expect(indonesian.contains("<summary>Terukur oleh 5 pemeriksaan otomatis: 75,00% berhasil dalam 90 hari</summary>"))
    }

    /// A component without checks keeps its declared bar as it was: no label, no second bar.
    @Test func withoutChecksTheDeclaredBarIsUnlabelled() throws {
        let site = try Site.make()
        defer { site.close() }
        _ = try site.write { store, now in try store.createComponent(ComponentDraft(name: "Website"), by: Self.actor, now: now) }
        let english = try site.get("/?lang=en").text
        #expect(english.contains("<details><summary>No uptime data yet</summary>"))
        #expect(!english.contains("measured") && !english.contains("Declared"))
        #expect(!english.contains(#"<ul class="checks">"#))
    }
}
