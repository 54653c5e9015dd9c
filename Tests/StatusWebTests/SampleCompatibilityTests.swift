import Foundation
import Testing
import StatusCore
@testable import StatusWeb

/// Key order and key presence of every object kind against the real captured payloads
/// (copies of reference/samples/ in Tests/StatusWebTests/Samples, read at test time). JSONSerialization loses member order, so both
/// the samples and Warta's output are read with `OrderedJSON`.
@Suite struct SampleCompatibilityTests {
    /// Warta's keys after the standard ones (DESIGN.md, "next update by"; whose promise it is).
    static let incidentExtras = ["next_update_at", "update_overdue", "next_update_promised_by"]

    /// Object kinds and the key orders found for each, per document.
    struct KeyOrders {
        var topLevel: [[String]] = []
        var page: [[String]] = []
        var component: [[String]] = []
        var group: [[String]] = []
        var incident: [[String]] = []
        var maintenance: [[String]] = []
        var update: [[String]] = []
        var affected: [[String]] = []
        var status: [[String]] = []

        mutating func collect(_ document: OrderedJSON) {
            topLevel.append(document.keys)
            if let page = document["page"] { self.page.append(page.keys) }
            if let status = document["status"] { self.status.append(status.keys) }
            for component in document["components"]?.elements ?? [] { addComponent(component) }
            for incident in document["incidents"]?.elements ?? [] {
                self.incident.append(incident.keys)
                addIncidentContents(incident)
            }
            for maintenance in document["scheduled_maintenances"]?.elements ?? [] {
                self.maintenance.append(maintenance.keys)
                addIncidentContents(maintenance)
            }
        }

        private mutating func addComponent(_ component: OrderedJSON) {
            if component["group"]?.boolValue == true { group.append(component.keys) } else { self.component.append(component.keys) }
        }

        private mutating func addIncidentContents(_ incident: OrderedJSON) {
            for component in incident["components"]?.elements ?? [] { addComponent(component) }
            for update in incident["incident_updates"]?.elements ?? [] {
                self.update.append(update.keys)
                for affected in update["affected_components"]?.elements ?? [] { self.affected.append(affected.keys) }
            }
        }
    }

    static let samplesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Samples")
        .standardizedFileURL

    /// The samples' key orders; fails the test with a clear message when the samples are
    /// not where the repository layout puts them.
    static func sampleKeyOrders() throws -> (orders: KeyOrders, files: [String]) {
        let directory = samplesDirectory.path
        let names = try? FileManager.default.contentsOfDirectory(atPath: directory)
        let files = try #require(names?.filter { $0.hasSuffix(".json") }.sorted(),
                                 "Statuspage samples not found at \(directory) (expected Tests/StatusWebTests/Samples)")
        try #require(files.count >= 3, "expected the 3 reference samples in \(directory), found \(files)")
        var orders = KeyOrders()
        for file in files {
            let data = try Data(contentsOf: samplesDirectory.appendingPathComponent(file))
            orders.collect(try OrderedJSON.parse([UInt8](data)))
        }
        return (orders, files)
    }

    /// The most complete order among `samples` (the newest capture has the most keys), after
    /// checking that every other sample's order agrees with it.
    static func canonical(_ samples: [[String]], kind: String) throws -> [String] {
        let longest = try #require(samples.max { $0.count < $1.count }, "no \(kind) object in the samples")
        for sample in samples {
            #expect(isSubsequence(sample, of: longest), "\(kind) orders disagree between samples: \(sample) vs \(longest)")
        }
        return longest
    }

    static func isSubsequence(_ small: [String], of large: [String]) -> Bool {
        var iterator = large.makeIterator()
        return small.allSatisfy { key in
            while let next = iterator.next() { if next == key { return true } }
            return false
        }
    }

    static func ours() throws -> KeyOrders {
        let representation = V2Representation(state: .make(), now: fixtureNow)
        var orders = KeyOrders()
        for endpoint in V2Endpoint.allCases where endpoint != .uptime {
            orders.collect(try OrderedJSON.parse(representation.body(for: endpoint)))
        }
        return orders
    }

    @Test func samplesAreFoundAndRead() throws {
        let (orders, files) = try Self.sampleKeyOrders()
        #expect(files == ["components_githubstatus_2024-09-17_trimmed.json", "incidents_githubstatus_2024-09-17_trimmed.json",
                          "summary_githubstatus_2022-11-25.json"])
        #expect(orders.component.count >= 2 + 11 + 4)
        #expect(orders.incident.count == 3)
        #expect(orders.affected.count > 0)
    }

    @Test func pageAndStatusKeyOrder() throws {
        let samples = try Self.sampleKeyOrders().orders
        let ours = try Self.ours()
        let page = try Self.canonical(samples.page, kind: "page")
        #expect(page == ["id", "name", "url", "time_zone", "updated_at"])
        #expect(ours.page.allSatisfy { $0 == page })
        let status = try Self.canonical(samples.status, kind: "status")
        #expect(!ours.status.isEmpty && ours.status.allSatisfy { $0 == status })
    }

    @Test func topLevelKeyOrderMatchesEachSample() throws {
        let representation = V2Representation(state: .make(), now: fixtureNow)
        let pairs: [(String, V2Endpoint)] = [
            ("components_githubstatus_2024-09-17_trimmed.json", .components),
            ("incidents_githubstatus_2024-09-17_trimmed.json", .incidents),
            ("summary_githubstatus_2022-11-25.json", .summary),
        ]
        _ = try Self.sampleKeyOrders()
        for (file, endpoint) in pairs {
            let data = try Data(contentsOf: Self.samplesDirectory.appendingPathComponent(file))
            let sample = try OrderedJSON.parse([UInt8](data))
            // The sample's keys in its order; summary adds Warta's measured checks beside the
            // declared components.
            var expected = sample.keys
            if endpoint == .summary, let components = expected.firstIndex(of: "components") {
                expected.insert("automated_checks", at: components + 1)
            }
            #expect(try OrderedJSON.parse(representation.body(for: endpoint)).keys == expected, "\(file)")
        }
    }

    @Test func componentKeyOrder() throws {
        let samples = try Self.sampleKeyOrders().orders
        let ours = try Self.ours()
        let component = try Self.canonical(samples.component, kind: "component")
        #expect(component.count == 13)
        #expect(!ours.component.isEmpty)
        for keys in ours.component { #expect(keys == component) }
        // Group rows: the same keys, then the child ids (reference §1.1).
        #expect(!ours.group.isEmpty)
        for keys in ours.group { #expect(keys == component + ["components"]) }
    }

    @Test func incidentKeyOrder() throws {
        let samples = try Self.sampleKeyOrders().orders
        let ours = try Self.ours()
        let incident = try Self.canonical(samples.incident, kind: "incident")
        // The 2024 capture: reminder_intervals after components.
        #expect(incident.last == "reminder_intervals")
        #expect(!ours.incident.isEmpty)
        for keys in ours.incident { #expect(keys == incident + Self.incidentExtras) }
        // Every key of every sample incident is in ours.
        for sample in samples.incident { #expect(Set(sample).isSubset(of: Set(ours.incident[0]))) }
    }

    @Test func maintenanceKeyOrder() throws {
        let samples = try Self.sampleKeyOrders().orders
        let ours = try Self.ours()
        let incident = try Self.canonical(samples.incident, kind: "incident")
        #expect(!ours.maintenance.isEmpty)
        for keys in ours.maintenance {
            #expect(keys == incident + ["scheduled_for", "scheduled_until"] + Self.incidentExtras)
        }
    }

    @Test func updateAndAffectedComponentKeyOrder() throws {
        let samples = try Self.sampleKeyOrders().orders
        let ours = try Self.ours()
        let update = try Self.canonical(samples.update, kind: "incident_update")
        #expect(update.count == 11)
        #expect(!ours.update.isEmpty)
        for keys in ours.update { #expect(keys == update) }
        let affected = try Self.canonical(samples.affected, kind: "affected_component")
        #expect(affected == ["code", "name", "old_status", "new_status"])
        #expect(!ours.affected.isEmpty)
        for keys in ours.affected { #expect(keys == affected) }
    }
}
