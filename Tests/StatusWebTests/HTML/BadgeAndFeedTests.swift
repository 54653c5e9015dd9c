import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

@Suite struct BadgeAndFeedTests {
    @Test func badgeEscapesAndSizesItsText() throws {
        let svg = String(decoding: Badge.svg(label: "<API> & \"co\"", message: "Operational", color: "#1a7f37"), as: UTF8.self)
        #expect(svg.contains("&lt;API&gt; &amp; &quot;co&quot;"))
        #expect(!svg.contains("<API>"))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(Badge.textWidth("Major outage") > Badge.textWidth("ok"))
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    @Test(arguments: [
        ("Asia/Jakarta", "2026-11-29T07:59:05Z", "Sun, 29 Nov 2026 14:59:05 +0700"),
        ("UTC", "2026-02-09T16:57:00Z", "Mon, 09 Feb 2026 16:57:00 +0000"),
        ("America/New_York", "2026-01-01T04:30:00Z", "Wed, 31 Dec 2025 23:30:00 -0500"),
        ("Asia/Kolkata", "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 05:30:00 +0530"),
    ])
    func rfc822InThePageZone(_ zone: String, _ utc: String, _ expected: String) {
        #expect(HistoryFeed.rfc822(instant(utc), zone: ZonedTimestamp(timeZoneIdentifier: zone)) == expected)
    }

    @Test func contentIsStatuspageMarkupNewestFirstWithEveryLanguage() {
        let state = StatusState.make(timeZone: "UTC")
        let feed = HistoryFeed(state: state, baseURL: "https://status.example.id", now: fixtureNow)
        let incident = Incident.make(id: "inc000000777", name: "Autogates", status: .resolved, createdAt: instant("2026-02-09T16:00:00Z"),
                                     resolvedAt: instant("2026-02-09T16:57:00Z"))
        var resolved = incident
        resolved.updates = [
            IncidentUpdate(id: "u2", incidentID: incident.id, status: .resolved, body: "Pulih & <normal>",
                           bodyTranslations: ["en": "Recovered"], displayAt: instant("2026-02-09T16:57:00Z"),
                           createdAt: instant("2026-02-09T16:57:00Z"), updatedAt: instant("2026-02-09T16:57:00Z")),
            IncidentUpdate(id: "u1", incidentID: incident.id, status: .resolved, body: "Sudah pulih",
                           displayAt: instant("2026-02-09T16:50:00Z"),
                           createdAt: instant("2026-02-09T16:50:00Z"), updatedAt: instant("2026-02-09T16:50:00Z")),
        ]
        let html = feed.contentHTML(resolved)
        #expect(html == "<p><small>Feb <var data-var='date'> 9</var>, <var data-var='time'>16:57</var> UTC</small><br>"
            + "<strong>Update</strong> - Pulih &amp; &lt;normal&gt;</p><p lang=\"en\">Recovered</p>"
            + "<p><small>Feb <var data-var='date'> 9</var>, <var data-var='time'>16:50</var> UTC</small><br>"
            + "<strong>Resolved</strong> - Sudah pulih</p>")
    }

    @Test func bothFeedsAreWellFormedWithAbsoluteLinks() throws {
        let state = StatusState.make()
        let feed = HistoryFeed(state: state, baseURL: "https://status.example.id", now: fixtureNow)
        for document in [feed.rss(), feed.atom()] {
            let parser = XMLParser(data: Data(document))
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
            let text = String(decoding: document, as: UTF8.self)
            #expect(text.contains("https://status.example.id/incidents/"))
            #expect(!text.contains("href=\"/"))
        }
        #expect(feed.entries.count == min(HistoryFeed.entryLimit, state.incidents.count))
        #expect(feed.entries.map(\.date) == feed.entries.map(\.date).sorted(by: >))
    }
}
