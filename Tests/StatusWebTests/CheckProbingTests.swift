import Foundation
import HTTPServer
import Outbound
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// The server's own prober wired as `warta serve` wires it, against a real service on
/// 127.0.0.1 that the test stops and starts, with the clock moved by hand: what the public
/// page and JSON say at each step, and that the staff's word never moves.
@Suite(.serialized) struct CheckProbingTests {
    typealias PageServer = PublicPagesTests.PageServer

    /// A service to watch: answers `200 ok` to everything until stopped.
    final class Service {
        struct Responder: HTTPResponder {
            func respond(to request: HTTPRequest) -> HTTPReply {
                .response(HTTPResponse(status: .ok, contentType: "text/plain", body: "ok"))
            }
        }

        private(set) var server: HTTPServer
        let port: Int

        init(port: Int = 0) throws {
            var configuration = Configuration()
            configuration.host = "127.0.0.1"
            configuration.port = port
            configuration.eventLoops = 1
            configuration.accessLog = false
            server = HTTPServer(configuration: configuration, responder: Responder())
            try server.start()
            self.port = server.port
        }

        func stop() {
            server.shutdown()
            server.wait()
        }
    }

    /// The page server, one component with an http check on the service, and the prober.
    final class Site {
        let pages: PageServer
        let component: Component
        let check: Check
        let scheduler: ProbeScheduler

        init(url: String, control: String? = nil) throws {
            pages = try PageServer.make()
            let publisher = pages.publisher
            component = try pages.write { store, now in
                try store.createComponent(ComponentDraft(name: "M-Paspor API"), by: PublicPagesTests.actor, now: now)
            }
            var draft = CheckDraft(name: "M-Paspor health", componentID: component.id, kind: .http, url: url)
            draft.interval = 10
            draft.timeout = 2
            check = try pages.write { store, now in try store.createCheck(draft, by: PublicPagesTests.actor, now: now).check }
            let store = pages.store
            scheduler = ProbeScheduler(
                location: Store.localLocation, prober: Prober(controlTarget: control, clock: pages.clock),
                clock: pages.clock, checks: { try store.checks() },
                deliver: { results in _ = try? publisher.recordCheckResults(results) })
        }

        deinit { pages.close() }

        /// One probe round every 10 s, `rounds` times; then the clock path runs.
        func probe(rounds: Int) throws {
            for _ in 0..<rounds {
                pages.clock.advance(by: 10)
                _ = scheduler.runDue()
            }
            try pages.publisher.tick()
        }

        func summary() throws -> [String: Any] {
            let response = try pages.get("/api/v2/summary.json")
            return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        }

        func automatedCheck() throws -> [String: Any] {
            let checks = try #require(try summary()["automated_checks"] as? [[String: Any]])
            return try #require(checks.first)
        }

        func page(_ language: String) throws -> String {
            try pages.get("/", ["Accept-Language": language]).text
        }
    }

    @Test func aStoppedServiceIsShownBesideTheStaffsWordUntilStaffSpeak() throws {
        let service = try Service()
        let site = try Site(url: "http://127.0.0.1:\(service.port)/health")

        try site.probe(rounds: 2)
        #expect(try site.automatedCheck()["state"] as? String == "up")

        service.stop()
        try site.probe(rounds: 3)
        let failing = try site.automatedCheck()
        #expect(failing["state"] as? String == "failing")
        #expect(failing["acknowledged"] as? Bool == false)
        // The staff's word has not moved: the component and the page say what staff said.
        let summary = try site.summary()
        #expect((summary["components"] as? [[String: Any]])?.first?["status"] as? String == "operational")
        #expect((summary["status"] as? [String: Any])?["indicator"] as? String == "none")
        let english = try site.page("en")
        #expect(english.contains("Automatic check «M-Paspor health»"))
        #expect(english.contains("not yet confirmed by staff"))
        #expect(!english.contains("No statement from staff yet"))
        #expect(try site.page("id").contains("Pemeriksaan otomatis «M-Paspor health»"))

        // Past the statement grace (15 min) with no incident: the banner, in both languages.
        try site.probe(rounds: 90)
        #expect(try site.page("en").contains("No statement from staff yet"))
        #expect(try site.page("id").contains("Belum ada pernyataan dari petugas"))

        // Staff open an incident listing the component: the banner goes, the line says so.
        let componentID = site.component.id
        _ = try site.pages.write { store, now in
            try store.createIncident(IncidentDraft(name: "M-Paspor unreachable", body: "Investigating.",
                                                   componentIDs: [componentID]), by: PublicPagesTests.actor, now: now)
        }
        let acknowledged = try site.page("en")
        #expect(!acknowledged.contains("No statement from staff yet"))
        #expect(acknowledged.contains("staff are on it"))
        #expect(try site.automatedCheck()["acknowledged"] as? Bool == true)

        // The service comes back on the same port: up after two good probes.
        let restarted = try Service(port: service.port)
        defer { restarted.stop() }
        try site.probe(rounds: 2)
        #expect(try site.automatedCheck()["state"] as? String == "up")
        #expect(!(try site.page("en")).contains("failing since"))
    }

    @Test func aProberThatLostItsOwnNetworkReportsNothingAsDown() throws {
        // The control target is a closed port, as if the prober's own network were gone.
        let closed = try Service()
        closed.stop()
        let site = try Site(url: "http://127.0.0.1:\(closed.port)/health",
                            control: "tcp://127.0.0.1:\(closed.port)")
        try site.probe(rounds: 5)
        #expect(try site.automatedCheck()["state"] as? String == "unknown")
        let reports = try site.pages.store.checkLocations(id: site.check.id)
        #expect(reports.map(\.detail) == ["control target unreachable"])
    }
}
