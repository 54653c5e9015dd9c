import Foundation
@testable import StatusCore
import Testing

@Suite struct IncidentListTests {
    /// Three incidents and four maintenances, created a minute apart in this order.
    static func makeHistory(_ store: Store) throws {
        var minute = 0.0
        func next() -> Date {
            minute += 1
            return Fixture.at(minutes: minute)
        }
        let resolved = try store.createIncident(IncidentDraft(name: "Old outage"), by: Fixture.ops, now: next())
        _ = try store.updateIncident(id: resolved.id, IncidentPatch(status: .resolved), by: Fixture.ops, now: next())
        _ = try store.createIncident(IncidentDraft(name: "Disk 100% full"), by: Fixture.ops, now: next())
        _ = try store.createIncident(IncidentDraft(name: "Disk 1000 GB added", status: .monitoring), by: Fixture.ops,
                                     now: next())
        func window(_ status: IncidentStatus, _ name: String) throws {
            _ = try store.createIncident(
                IncidentDraft(name: name, status: status, scheduledFor: Fixture.at(days: 1),
                              scheduledUntil: Fixture.at(days: 2)),
                by: Fixture.ops, now: next())
        }
        try window(.scheduled, "Upgrade_db")
        try window(.inProgress, "Network work")
        try window(.verifying, "Router swap")
        try window(.completed, "Done work")
    }

    @Test func filtersNewestFirst() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try Self.makeHistory(store)
        #expect(try store.incidents().map(\.name) == [
            "Done work", "Router swap", "Network work", "Upgrade_db", "Disk 1000 GB added", "Disk 100% full", "Old outage",
        ])
        #expect(try store.incidents(.unresolved).map(\.name) == ["Disk 1000 GB added", "Disk 100% full"])
        #expect(try store.incidents(.upcoming).map(\.name) == ["Upgrade_db"])
        #expect(try store.incidents(.activeMaintenance).map(\.name) == ["Router swap", "Network work"])
        #expect(try store.incidents(.scheduled).map(\.name) == ["Router swap", "Network work", "Upgrade_db"])
        // Each listed incident comes with its updates.
        #expect(try store.incidents(query: "Old").first?.updates.map(\.status) == [.resolved, .investigating])
    }

    @Test func queryMatchesSubstringsWithWildcardsTakenLiterally() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try Self.makeHistory(store)
        #expect(try store.incidents(query: "disk").map(\.name) == ["Disk 1000 GB added", "Disk 100% full"])
        #expect(try store.incidents(query: "100%").map(\.name) == ["Disk 100% full"])
        #expect(try store.incidents(query: "e_d").map(\.name) == ["Upgrade_db"])
        #expect(try store.incidents(query: "%").map(\.name) == ["Disk 100% full"])
        #expect(try store.incidents(query: "").count == 7)
        #expect(try store.incidents(.upcoming, query: "network").isEmpty)
        #expect(try store.incidents(.activeMaintenance, query: "network").map(\.name) == ["Network work"])
    }

    @Test func pagination() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try Self.makeHistory(store)
        #expect(try store.incidents(limit: 3, page: 1).map(\.name) == ["Done work", "Router swap", "Network work"])
        #expect(try store.incidents(limit: 3, page: 2).map(\.name) == ["Upgrade_db", "Disk 1000 GB added", "Disk 100% full"])
        #expect(try store.incidents(limit: 3, page: 3).map(\.name) == ["Old outage"])
        #expect(try store.incidents(limit: 3, page: 4).isEmpty)
        // Out of range: clamped, as Statuspage does.
        #expect(try store.incidents(limit: 0).map(\.name) == ["Done work"])
        #expect(try store.incidents(limit: 1, page: 0).map(\.name) == ["Done work"])
        #expect(try store.incidents(limit: 1000).count == 7)
        #expect(try store.auditLog(limit: 2, page: 2).map(\.action) == ["incident.create", "incident.create"])
    }

    @Test func limitIsAtMostOneHundred() throws {
        let fixture = try TemporaryStore()
        try fixture.sql { database in
            for index in 0..<120 {
                let at = Timestamp.format(Fixture.at(minutes: Double(index)))
                try database.execute("""
                    INSERT INTO incidents (id, name, status, impact, started_at, created_at, updated_at)
                    VALUES (?, ?, 'resolved', 'none', ?, ?, ?)
                    """, [Identifier.make(), "Incident \(index)", at, at, at])
            }
        }
        let first = try fixture.store.incidents(limit: 500)
        #expect(first.count == 100)
        #expect(first.first?.name == "Incident 119")
        #expect(try fixture.store.incidents(page: 2).map(\.name) == (0..<20).reversed().map { "Incident \($0)" })
    }
}
