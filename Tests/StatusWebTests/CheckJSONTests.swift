import Foundation
import HTTPServer
import TestSupport
import Testing
@testable import StatusCore
@testable import StatusWeb

/// What automatic checks measure, in the public v2 JSON: `checks.json`, summary's
/// `automated_checks` and uptime's `measured`, beside what staff declare and never mixed
/// with it, and nowhere at all while the page keeps its checks private.
@Suite struct CheckJSONTests {
    static let page = #"{"id":"pg0000000001","name":"Warta Demo","url":"https://status.example.id","#
        + #""time_zone":"Asia/Jakarta","updated_at":"2026-11-29T12:01:03.123+07:00"}"#

    /// The three checks of `StatusState.withChecks()`, in the components' order: a heartbeat
    /// that is up, an http check failing on a component the open incident lists (so
    /// acknowledged), with a silent location, and a tcp check that knows nothing yet on a
    /// component only a scheduled maintenance lists (not in force, so not acknowledged).
    static let checksArray = "["
        + #"{"id":"chk0000web01","name":"Website heartbeat","component_id":"web000000001","type":"heartbeat","#
        + #""state":"up","since":"2026-11-26T12:31:03.123+07:00","last_checked_at":"2026-11-29T12:30:03.123+07:00","#
        + #""latency_ms":null,"locations":[{"name":"local","state":"up","silent":false,"#
        + #""last_report_at":"2026-11-29T12:30:03.123+07:00"}],"acknowledged":false,"incident_id":null},"#
        + #"{"id":"chk0000crd01","name":"M-Paspor \u003cAPI\u003e \u0026 \"v2\"","component_id":"crd000000001","#
        + #""type":"http","state":"failing","since":"2026-11-29T10:51:03.123+07:00","#
        + #""last_checked_at":"2026-11-29T12:30:43.123+07:00","latency_ms":1200,"locations":["#
        + #"{"name":"jakarta-2","state":"failing","silent":false,"last_report_at":"2026-11-29T12:30:43.123+07:00"},"#
        + #"{"name":"local","state":"failing","silent":false,"last_report_at":"2026-11-29T12:30:33.123+07:00"},"#
        + #"{"name":"singapore","state":"unknown","silent":true,"last_report_at":"2026-11-29T10:31:03.123+07:00"}],"#
        + #""acknowledged":true,"incident_id":"inc000000open"},"#
        + #"{"id":"chk0000api01","name":"API port","component_id":"api000000001","type":"tcp","state":"unknown","#
        + #""since":null,"last_checked_at":null,"latency_ms":null,"locations":[],"acknowledged":false,"#
        + #""incident_id":null}"#
        + "]"

    static func body(_ endpoint: V2Endpoint, _ state: StatusState) -> String {
        String(decoding: V2Representation(state: state, now: fixtureNow).body(for: endpoint), as: UTF8.self)
    }

    @Test func checksDocumentExactly() {
        #expect(Self.body(.checks, .withChecks()) == #"{"page":"# + Self.page + #","checks":"# + Self.checksArray + "}")
    }

    /// summary.json is what it was, byte for byte, with the same checks after `components`.
    @Test func summaryCarriesTheChecksAfterComponents() {
        let without = Self.body(.summary, .make())
        let with = Self.body(.summary, .withChecks())
        #expect(without.contains(#"],"automated_checks":[],"incidents":["#))
        #expect(with == without.replacingOccurrences(of: #""automated_checks":[]"#,
                                                     with: #""automated_checks":"# + Self.checksArray))
        // Measured never changes what staff declared: Cards stays partial_outage, the page major.
        #expect(with.contains(#""status":{"indicator":"major","description":"Partial System Outage"}"#))
    }

    /// Neither what was probed (`url`) nor what a probe saw (`detail`) is public.
    @Test func noTargetOrProbeTextIsPublic() {
        for endpoint in V2Endpoint.allCases {
            let body = Self.body(endpoint, .withChecks())
            #expect(!body.contains("paspor.example.go.id") && !body.contains("s3cr3t") && !body.contains("10.0.0.5"),
                    "\(endpoint)")
            #expect(!body.contains("detail"), "\(endpoint)")
        }
    }

    @Test func privateChecksAppearNowhere() {
        let state = StatusState.withChecks(checksPublic: false)
        #expect(Self.body(.checks, state) == #"{"page":"# + Self.page + #","checks":[]}"#)
        #expect(Self.body(.summary, state) == Self.body(.summary, .make()))
        #expect(Self.body(.uptime, state) == Self.body(.uptime, .make()))
        for endpoint in V2Endpoint.allCases {
            let body = Self.body(endpoint, state)
            for text in ["chk0000", "Website heartbeat", "API port", "M-Paspor", "singapore"] {
                #expect(!body.contains(text), "\(endpoint) shows \(text)")
            }
        }
    }

    /// Each component's checks' results per local day, over the declared figures' window.
    @Test func measuredUptimeBesideTheDeclared() throws {
        let with = try OrderedJSON.parse(Self.body(.uptime, .withChecks()))
        let without = try OrderedJSON.parse(Self.body(.uptime, .make()))
        let components = with["components"]?.elements ?? []
        let declared = without["components"]?.elements ?? []
        #expect(components.count == 4 && declared.count == 4)
        for (measured, plain) in zip(components, declared) {
            #expect(measured.keys == ["id", "name", "uptime_90d", "days", "measured"])
            for key in ["id", "name", "uptime_90d", "days"] {
                #expect(String(describing: measured[key]) == String(describing: plain[key]), "\(key)")
            }
        }
        #expect(components.map { $0["measured"]?.elements.map { $0["check_id"]?.stringValue } }
            == [["chk0000web01"], [], ["chk0000crd01"], ["chk0000api01"]])

        let cards = try #require(components[2]["measured"]?.elements.first)
        #expect(cards.keys == ["check_id", "name", "days", "uptime"])
        #expect(cards["name"]?.stringValue == #"M-Paspor <API> & "v2""#)
        let days = cards["days"]?.elements ?? []
        #expect(days.count == 90)
        #expect(days.allSatisfy { $0.keys == ["date", "uptime", "successes", "failures"] })
        // The day before the window (2026-08-31) counts nowhere.
        #expect(days.first?["date"]?.stringValue == "2026-09-01")
        #expect(days.first?["uptime"]?.isNull == true)
        #expect(days.first?["successes"]?.numberText == "0" && days.first?["failures"]?.numberText == "0")
        #expect(days[88]["date"]?.stringValue == "2026-11-28")
        #expect(days[88]["uptime"]?.numberText == "100" && days[88]["successes"]?.numberText == "144")
        #expect(days[89]["date"]?.stringValue == "2026-11-29")
        #expect(days[89]["uptime"]?.numberText == "90" && days[89]["failures"]?.numberText == "10")
        // 234 of 244 results in the window; three decimals as the declared figures.
        #expect(cards["uptime"]?.numberText == "95.902")
        let api = try #require(components[3]["measured"]?.elements.first)
        #expect(api["uptime"]?.isNull == true)
        #expect(api["days"]?.elements.allSatisfy { $0["uptime"]?.isNull == true } == true)
    }

    /// Checks change the documents without a write staff make: their newest instant is in
    /// `Last-Modified`, so a client validating by date sees the change.
    @Test func lastModifiedFollowsThePublicChecks() throws {
        let shown = Snapshot.build(from: .withChecks(), now: fixtureNow, nextChange: nil, maxAge: 10)
        let lastReport = Int((fixtureNow - 20).timeIntervalSince1970.rounded(.down))
        #expect(try #require(shown.entry(for: V2Endpoint.checks.path)).lastModified == lastReport)
        let hidden = Snapshot.build(from: .withChecks(checksPublic: false), now: fixtureNow, nextChange: nil, maxAge: 10)
        // The open incident's promise, overdue since five minutes ago, is the newest instant then.
        let declared = Int((fixtureNow - 5 * .minute).timeIntervalSince1970.rounded(.down))
        #expect(try #require(hidden.entry(for: V2Endpoint.checks.path)).lastModified == declared)
    }

    /// Through a real server and store: results recorded, the check in `checks.json` (also
    /// without `.json`), acknowledged once an incident lists its component, gone from every
    /// document once the page makes its checks private; never in the feeds.
    @Test func servedFromTheStore() throws {
        let site = try PublicPagesTests.PageServer.make()
        defer { site.close() }
        let actor = PublicPagesTests.actor
        let (component, check) = try site.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: "M-Paspor"), by: actor, now: now)
            let check = try store.createCheck(
                CheckDraft(name: "M-Paspor API", componentID: component.id, kind: .http,
                           url: "https://paspor.example.go.id/health"),
                by: actor, now: now).check
            return (component, check)
        }
        site.clock.advance(by: 3 * .minute)  // 12:03 WIB
        _ = try site.write { store, now in
            try store.recordCheckResults([120.0, 60, 0].map {
                CheckResult(checkID: check.id, location: "jakarta-2",
                            report: ProbeReport(outcome: .failure, at: now - $0, latencyMilliseconds: 41, detail: "HTTP 503"))
            }, now: now)
        }
        func checkJSON(acknowledgedBy incidentID: String?) -> String {
            #"{"id":"\#(check.id)","name":"M-Paspor API","component_id":"\#(component.id)","type":"http","#
                + #""state":"failing","since":"2031-03-10T12:01:00.000+07:00","#
                + #""last_checked_at":"2031-03-10T12:03:00.000+07:00","latency_ms":41,"locations":[{"name":"jakarta-2","#
                + #""state":"failing","silent":false,"last_report_at":"2031-03-10T12:03:00.000+07:00"}],"#
                + #""acknowledged":\#(incidentID != nil),"incident_id":\#(incidentID.map { "\"\($0)\"" } ?? "null")}"#
        }
        for path in ["/api/v2/checks.json", "/api/v2/checks"] {
            let response = try site.get(path)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
            #expect(response.text.hasPrefix(#"{"page":{"id":"\#(try site.store.page().id)","#))
            #expect(response.text.hasSuffix(#","checks":["# + checkJSON(acknowledgedBy: nil) + "]}"), "\(response.text)")
        }
        let summary = try site.get("/api/v2/summary.json").text
        #expect(summary.contains(#""automated_checks":["# + checkJSON(acknowledgedBy: nil) + "]"))
        // What staff declared is untouched by what the check measured.
        #expect(summary.contains(#""status":"operational""#) && !summary.contains(#""status":"major_outage""#))
        #expect(summary.hasSuffix(#""status":{"indicator":"none","description":"All Systems Operational"}}"#))
        for feed in ["/history.rss", "/history.atom"] {
            let text = try site.get(feed).text
            #expect(!text.contains("M-Paspor API") && !text.contains(check.id), "\(feed)")
        }

        let incident = try site.write { store, now in
            try store.createIncident(IncidentDraft(name: "Paspor", componentIDs: [component.id]), by: actor, now: now)
        }
        #expect(try site.get("/api/v2/checks.json").text.hasSuffix(checkJSON(acknowledgedBy: incident.id) + "]}"))

        try site.write { store, now in
            var patch = PagePatch()
            patch.checksPublic = false
            _ = try store.updatePage(patch, by: actor, now: now)
        }
        #expect(try site.get("/api/v2/checks.json").text.hasSuffix(#","checks":[]}"#))
        for path in ["/api/v2/summary.json", "/api/v2/uptime.json", "/api/v2/components.json", "/api/v2/incidents.json"] {
            let text = try site.get(path).text
            #expect(!text.contains("M-Paspor API") && !text.contains(check.id), "\(path)")
        }
        #expect(try site.get("/api/v2/summary.json").text.contains(#""automated_checks":[],"#))
    }
}

extension StatusState {
    /// `make()` with three checks (see `CheckJSONTests.checksArray`) and their days.
    static func withChecks(checksPublic: Bool = true) -> StatusState {
        let now = fixtureNow
        let created = now - 10 * .day
        var state = StatusState.make()
        state.page.checksPublic = checksPublic
        func location(_ name: String, _ state: CheckState, _ at: Date, silent: Bool = false) -> CheckVerdict.Location {
            CheckVerdict.Location(name: name, state: state, lastReportAt: at, silent: silent)
        }
        state.checks = [
            CheckStatus(
                check: Check(id: "chk0000web01", name: "Website heartbeat", componentID: "web000000001", kind: .heartbeat,
                             createdAt: created, updatedAt: created),
                state: .up, since: now - 3 * .day, lastCheckedAt: now - .minute, latencyMilliseconds: nil,
                locations: [location("local", .up, now - .minute)], voters: 1, failingVoters: 0),
            CheckStatus(
                check: Check(id: "chk0000crd01", name: #"M-Paspor <API> & "v2""#, componentID: "crd000000001", kind: .http,
                             url: "https://paspor.example.go.id/internal/health?token=s3cr3t",
                             createdAt: created, updatedAt: created),
                state: .failing, since: now - 100 * .minute, lastCheckedAt: now - 20, latencyMilliseconds: 1200,
                locations: [location("jakarta-2", .failing, now - 20), location("local", .failing, now - 30),
                            location("singapore", .unknown, now - 2 * .hour, silent: true)],
                voters: 2, failingVoters: 2,
                days: [CheckDay(day: "2026-08-31", successes: 5, failures: 5),
                       CheckDay(day: "2026-11-28", successes: 144, failures: 0),
                       CheckDay(day: "2026-11-29", successes: 90, failures: 10)]),
            CheckStatus(
                check: Check(id: "chk0000api01", name: "API port", componentID: "api000000001", kind: .tcp,
                             url: "tcp://10.0.0.5:5432", createdAt: created, updatedAt: created),
                state: .unknown, since: nil, lastCheckedAt: nil, latencyMilliseconds: nil, locations: [],
                voters: 0, failingVoters: 0),
        ]
        return state
    }
}
