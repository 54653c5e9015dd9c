import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// The write path and the clock path over a real database, with a clock the test moves: no
/// sleeps, no timers.
@Suite struct PublisherTests {
    struct Setup {
        let folder: TemporaryFolder
        let store: Store
        let clock: ManualClock
        let publisher: Publisher

        init() throws {
            folder = try TemporaryFolder("publisher")
            store = try Store(path: folder.file("warta.db"))
            clock = ManualClock(instant("2026-11-29T05:00:00.000Z"))
            publisher = try Publisher(store: store, clock: clock, maxAge: 10)
        }

        func close() {
            store.close()
            folder.remove()
        }

        func json(_ endpoint: V2Endpoint) throws -> [String: Any] {
            let request = HTTPRequest(method: .get, target: endpoint.path, path: endpoint.path)
            let response = try #require(publisher.snapshots.current.response(for: endpoint.path, request: request, now: clock.now()))
            return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        }

        func cacheControl(_ endpoint: V2Endpoint) throws -> String {
            let request = HTTPRequest(method: .get, target: endpoint.path, path: endpoint.path)
            return try #require(publisher.snapshots.current.response(for: endpoint.path, request: request, now: clock.now())?.headers[.cacheControl])
        }
    }

    static let actor = Actor(tokenName: "test", clientAddress: "127.0.0.1")

    @Test func aWriteIsInTheSnapshotBeforeWriteReturns() throws {
        let setup = try Setup()
        defer { setup.close() }
        #expect((try setup.json(.unresolvedIncidents)["incidents"] as? [Any])?.isEmpty == true)
        let incident = try setup.publisher.write { store, now in
            try store.createIncident(IncidentDraft(name: "Autogates down"), by: Self.actor, now: now)
        }
        let unresolved = try #require(try setup.json(.unresolvedIncidents)["incidents"] as? [[String: Any]])
        #expect(unresolved.map { $0["id"] as? String } == [incident.id])
    }

    @Test func maintenanceStartsAndEndsWhenTheClockSaysSo() throws {
        let setup = try Setup()
        defer { setup.close() }
        let start = setup.clock.now().addingTimeInterval(5 * 60), end = start.addingTimeInterval(60 * 60)
        let maintenance = try setup.publisher.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: "e-Visa"), by: Self.actor, now: now)
            return try store.createIncident(IncidentDraft(
                name: "e-Visa upgrade", status: .scheduled, componentIDs: [component.id],
                scheduledFor: start, scheduledUntil: end, scheduledAutoInProgress: true, scheduledAutoCompleted: true,
                autoTransitionToMaintenanceState: true, autoTransitionToOperationalState: true), by: Self.actor, now: now)
        }
        #expect(setup.publisher.snapshots.current.nextChange == start)
        #expect(try setup.cacheControl(.summary).hasPrefix("public, max-age=10,"))
        #expect((try setup.json(.upcomingMaintenances)["scheduled_maintenances"] as? [[String: Any]])?.map { $0["id"] as? String } == [maintenance.id])

        // Four minutes 55 seconds in: max-age shrinks so no cache keeps the page past the start.
        setup.clock.advance(by: 295)
        #expect(try setup.cacheControl(.summary).hasPrefix("public, max-age=5,"))

        setup.clock.advance(by: 5)
        try setup.publisher.tick()
        let active = try #require(try setup.json(.activeMaintenances)["scheduled_maintenances"] as? [[String: Any]])
        #expect(active.map { $0["status"] as? String } == ["in_progress"])
        #expect((try setup.json(.components)["components"] as? [[String: Any]])?.first?["status"] as? String == "under_maintenance")
        #expect((try setup.json(.status)["status"] as? [String: Any])?["indicator"] as? String == "maintenance")
        #expect(setup.publisher.snapshots.current.nextChange == end)

        setup.clock.advance(by: 3600)
        try setup.publisher.tick()
        #expect((try setup.json(.activeMaintenances)["scheduled_maintenances"] as? [Any])?.isEmpty == true)
        #expect((try setup.json(.components)["components"] as? [[String: Any]])?.first?["status"] as? String == "operational")
        #expect((try setup.json(.status)["status"] as? [String: Any])?["indicator"] as? String == "none")
    }

    @Test func aPromisedUpdateBecomesOverdueAtItsTime() throws {
        let setup = try Setup()
        defer { setup.close() }
        let promise = setup.clock.now().addingTimeInterval(30 * 60)
        _ = try setup.publisher.write { store, now in
            try store.createIncident(IncidentDraft(name: "Data centre down", body: "Investigating.", nextUpdateAt: promise),
                                     by: Self.actor, now: now)
        }
        var incident = try #require((try setup.json(.unresolvedIncidents)["incidents"] as? [[String: Any]])?.first)
        #expect(incident["update_overdue"] as? Bool == false)
        #expect(incident["next_update_at"] as? String == "2026-11-29T12:30:00.000+07:00")
        let next = try #require(setup.publisher.snapshots.current.nextChange)
        #expect(next > promise && next <= promise.addingTimeInterval(1))

        setup.clock.advance(by: 30 * 60 + 1)
        try setup.publisher.tick()
        incident = try #require((try setup.json(.unresolvedIncidents)["incidents"] as? [[String: Any]])?.first)
        #expect(incident["update_overdue"] as? Bool == true)
    }

    @Test func uptimeIsReusedUntilAComponentChangesOrAMinutePasses() throws {
        let setup = try Setup()
        defer { setup.close() }
        let component = try setup.publisher.write { store, now in
            try store.createComponent(ComponentDraft(name: "M-Paspor"), by: Self.actor, now: now)
        }
        let first = setup.publisher.snapshots.current.uptimeSource
        setup.clock.advance(by: 10)
        _ = try setup.publisher.write { store, now in
            try store.createIncident(IncidentDraft(name: "No component"), by: Self.actor, now: now)
        }
        #expect(setup.publisher.snapshots.current.uptimeSource == first)

        setup.clock.advance(by: 10)
        _ = try setup.publisher.write { store, now in
            try store.updateComponent(id: component.id, ComponentPatch(status: .majorOutage), by: Self.actor, now: now)
        }
        let afterChange = setup.publisher.snapshots.current.uptimeSource
        #expect(afterChange.history != first.history)
        #expect(afterChange.builtAt == setup.clock.now())

        setup.clock.advance(by: 61)
        try setup.publisher.tick()
        #expect(setup.publisher.snapshots.current.uptimeSource.builtAt == setup.clock.now())
    }

    @Test func nextDayIsLocalMidnight() throws {
        let next = try #require(Publisher.nextDay(after: instant("2026-11-29T05:00:00.000Z"), in: "Asia/Jakarta"))
        #expect(next == instant("2026-11-29T17:00:00.000Z"))
    }
}
