import Foundation
import SQLite
@testable import StatusCore
import Testing

@Suite struct StateTests {
    @Test func snapshotInputs() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store, now: Fixture.at(days: -100))
        let open = try store.createIncident(
            IncidentDraft(name: "API slow", components: [page.api.id: .degradedPerformance]), by: Fixture.ops,
            now: Fixture.at(days: -10))
        _ = try store.updateIncident(id: open.id, IncidentPatch(components: [page.api.id: .operational]),
                                     by: Fixture.ops, now: Fixture.at(days: -9))
        _ = try store.updateIncident(id: open.id, IncidentPatch(components: [page.api.id: .majorOutage]),
                                     by: Fixture.ops, now: Fixture.at(days: -95))  // a clock set back: still ordered by time
        let state = try store.state(now: Fixture.t0)

        #expect(state.page == (try store.page()))
        #expect(state.groups.map(\.name) == ["Backend"])
        #expect(state.groups[0].componentIDs == [page.api.id, page.database.id])
        #expect(state.components.map(\.name) == ["Website", "API", "Database"])
        #expect(state.components.map(\.status) == [.operational, .majorOutage, .operational])
        #expect(state.incidents.map(\.id) == [open.id])
        #expect(state.incidents[0].updates.count == 1)
        // The window is 91 days: the last change before it gives the status at its start.
        #expect(state.statusChanges[page.api.id] == [
            StatusChange(status: .majorOutage, at: Fixture.at(days: -95)),
            StatusChange(status: .degradedPerformance, at: Fixture.at(days: -10)),
            StatusChange(status: .operational, at: Fixture.at(days: -9)),
        ])
        #expect(state.statusChanges[page.website.id] == [StatusChange(status: .operational, at: Fixture.at(days: -100))])
        #expect(Set(state.statusChanges.keys) == Set([page.website.id, page.api.id, page.database.id]))
    }

    @Test func recentIncidentsAndMaintenancesPlusEveryOpenOne() throws {
        let fixture = try TemporaryStore()
        var openIDs: [String] = []
        try fixture.sql { database in
            func insert(_ name: String, _ status: IncidentStatus, maintenance: Bool, minute: Int) throws -> String {
                let id = Identifier.make()
                let at = Timestamp.format(Fixture.at(minutes: Double(minute)))
                try database.execute("""
                    INSERT INTO incidents (id, name, status, impact, is_maintenance, scheduled_for, scheduled_until,
                        started_at, created_at, updated_at)
                    VALUES (?, ?, ?, 'none', ?, ?, ?, ?, ?, ?)
                    """, [id, name, status.rawValue, maintenance, maintenance ? at : nil,
                          maintenance ? Timestamp.format(Fixture.at(minutes: Double(minute + 60))) : nil, at, at, at])
                return id
            }
            // The oldest rows are open, so only the "open" rule brings them in.
            openIDs.append(try insert("Old open incident", .identified, maintenance: false, minute: 0))
            openIDs.append(try insert("Old upcoming maintenance", .scheduled, maintenance: true, minute: 1))
            for index in 0..<60 {
                _ = try insert("Incident \(index)", .resolved, maintenance: false, minute: 10 + index * 2)
                _ = try insert("Maintenance \(index)", .completed, maintenance: true, minute: 11 + index * 2)
            }
        }
        let state = try fixture.store.state(now: Fixture.at(days: 1))
        #expect(state.incidents.count == 102)
        #expect(state.incidents.filter { !$0.isMaintenance }.count == 51)
        #expect(state.incidents.filter(\.isMaintenance).count == 51)
        #expect(state.incidents.first?.name == "Maintenance 59")
        #expect(Array(state.incidents.suffix(2).map(\.id)) == openIDs.reversed())
        #expect(state.incidents.map(\.createdAt) == state.incidents.map(\.createdAt).sorted(by: >))
        #expect(!state.incidents.contains { $0.name == "Incident 9" })
        #expect(state.incidents.contains { $0.name == "Incident 10" })
    }

    /// ~15 components with 90 days of history and ~200 incidents with 5 updates each: the
    /// size of a busy page. Checks what `state()` returns and prints how long it takes
    /// (benchmarks are run by hand; nothing here fails on time). `typical` changes a
    /// component's status every few days; `stress` every 1 to 11 hours, for a year.
    @Test(arguments: [("typical", 1440.0 * 2, 1440.0 * 4), ("stress", 60.0, 660.0)])
    func stateOfABusyPage(_ label: String, _ minimumGap: Double, _ maximumGap: Double) throws {
        let fixture = try TemporaryStore()
        let componentIDs = (0..<15).map { _ in Identifier.make() }
        var generator = SeededGenerator(seed: 42)
        try fixture.sql { database in
            let created = Timestamp.format(Fixture.at(days: -400))
            for (index, id) in componentIDs.enumerated() {
                try database.execute("""
                    INSERT INTO components (id, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                    """, [id, "Component \(index)", index + 1, created, created])
                try database.execute(
                    "INSERT INTO component_status_changes (component_id, status, changed_at) VALUES (?, 'operational', ?)",
                    [id, created])
                // A year of changes, so the 91-day window has to cut.
                var minute = -400.0 * 1440
                while minute < 0 {
                    minute += minimumGap + Double(generator.next() % UInt64(maximumGap - minimumGap))
                    let status = ComponentStatus.allCases[Int(generator.next() % 5)]
                    try database.execute(
                        "INSERT INTO component_status_changes (component_id, status, changed_at) VALUES (?, ?, ?)",
                        [id, status.rawValue, Timestamp.format(Fixture.at(minutes: minute))])
                }
            }
            for index in 0..<200 {
                let id = Identifier.make()
                let at = Fixture.at(minutes: Double(-90 * 1440 + index * 640))
                let maintenance = index % 4 == 0
                let status = index >= 197 ? (maintenance ? "in_progress" : "identified") : (maintenance ? "completed" : "resolved")
                try database.execute("""
                    INSERT INTO incidents (id, name, status, impact, is_maintenance, scheduled_for, scheduled_until,
                        started_at, created_at, updated_at)
                    VALUES (?, ?, ?, 'minor', ?, ?, ?, ?, ?, ?)
                    """, [id, "Incident \(index)", status, maintenance, maintenance ? Timestamp.format(at) : nil,
                          maintenance ? Timestamp.format(at.addingTimeInterval(3600)) : nil,
                          Timestamp.format(at), Timestamp.format(at), Timestamp.format(at)])
                try database.execute(
                    "INSERT INTO incident_components (incident_id, component_id, position) VALUES (?, ?, 1)",
                    [id, componentIDs[index % 15]])
                for update in 0..<5 {
                    let updateID = Identifier.make()
                    let updateAt = Timestamp.format(at.addingTimeInterval(Double(update) * 600))
                    try database.execute("""
                        INSERT INTO incident_updates (id, incident_id, status, body, display_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, [updateID, id, status, String(repeating: "Update text. ", count: 20), updateAt, updateAt, updateAt])
                    try database.execute("""
                        INSERT INTO incident_update_components (update_id, component_id, name, old_status, new_status, position)
                        VALUES (?, ?, 'Component', 'operational', 'partial_outage', 1)
                        """, [updateID, componentIDs[index % 15]])
                }
            }
        }

        var state = try fixture.store.state(now: Fixture.t0)  // warms the statement cache
        let runs = 20
        let elapsed = try ContinuousClock().measure {
            for _ in 0..<runs {
                state = try fixture.store.state(now: Fixture.t0)
            }
        }
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        let changeCount = state.statusChanges.values.map(\.count).reduce(0, +)
        print("state() \(label): 15 components, \(changeCount) status changes in the window, "
              + "\(state.incidents.count) incidents × 5 updates: "
              + String(format: "%.2f ms", milliseconds / Double(runs)) + " per call")

        #expect(state.components.count == 15)
        #expect(state.incidents.count == 100)  // 50 incidents + 50 maintenances; the open ones are among them
        #expect(state.incidents.allSatisfy { $0.updates.count == 5 && $0.componentIDs.count == 1 })
        #expect(state.incidents.allSatisfy { $0.updates[0].affectedComponents.count == 1 })
        let windowStart = Fixture.at(days: -91)
        for id in componentIDs {
            let changes = try #require(state.statusChanges[id])
            #expect(changes.count > 91 * 1440 / Int(maximumGap))
            #expect(changes[0].at < windowStart)
            #expect(changes[1].at >= windowStart)
            #expect(changes.map(\.at) == changes.map(\.at).sorted())
        }
    }
}

/// A small deterministic generator (SplitMix64), so the fixture is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

extension StateTests {
    /// The status history is kept between reads, and read again the moment it grows or the
    /// components change, even within the same minute.
    @Test func statusHistoryIsReadAgainWhenItChangesWithinTheMinute() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let start = Fixture.t0
        let gates = try store.createComponent(ComponentDraft(name: "Autogate"), by: Fixture.ops, now: start)
        let office = try store.createComponent(ComponentDraft(name: "Kantor"), by: Fixture.ops, now: start)
        #expect(try store.state(now: start + 1).statusChanges[gates.id]?.map(\.status) == [.operational])

        _ = try store.updateComponent(id: gates.id, ComponentPatch(status: .majorOutage), by: Fixture.ops, now: start + 2)
        let changed = try store.state(now: start + 3).statusChanges[gates.id]
        #expect(changed?.map(\.status) == [.operational, .majorOutage])
        #expect(changed?.last?.at == start + 2)

        try store.deleteComponent(id: office.id, by: Fixture.ops, now: start + 4)
        let afterDelete = try store.state(now: start + 5).statusChanges
        #expect(afterDelete[office.id] == nil)
        #expect(afterDelete[gates.id]?.count == 2)

        // Nothing changed: the same history, a minute later too.
        #expect(try store.state(now: start + 90).statusChanges == afterDelete)
    }
}
