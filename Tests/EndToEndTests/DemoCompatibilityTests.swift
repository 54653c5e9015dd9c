import Foundation
import Testing

/// The v2 documents of `warta serve --demo` against the real captured Statuspage samples:
/// every key the samples' objects have, legal enum values, well-formed timestamps.
@Suite(.serialized)
struct DemoCompatibilityTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../StatusWebTests/Samples").standardizedFileURL

    static func load(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func sample(_ name: String) throws -> [String: Any] {
        try load(try Data(contentsOf: samples.appendingPathComponent(name)))
    }

    static func keys(_ objects: [[String: Any]]) -> Set<String> {
        objects.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
    }

    static let timestamp = try! NSRegularExpression(pattern: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$"#)

    static func isTimestamp(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return timestamp.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test func demoDocumentsHaveEverySampleKeyAndLegalValues() throws {
        let warta = try WartaProcess(["--demo"])
        defer { warta.stop() }
        func fetch(_ path: String) throws -> [String: Any] {
            try Self.load(Data(try curl([warta.baseURL + path]).utf8))
        }
        let summary = try fetch("/api/v2/summary.json")
        let incidents = try fetch("/api/v2/incidents.json")
        let maintenances = try fetch("/api/v2/scheduled-maintenances.json")
        let sampleSummary = try Self.sample("summary_githubstatus_2022-11-25.json")
        let sampleIncidents = try Self.sample("incidents_githubstatus_2024-09-17_trimmed.json")
        let sampleComponents = try Self.sample("components_githubstatus_2024-09-17_trimmed.json")

        #expect(Set(summary.keys).isSuperset(of: sampleSummary.keys))
        let page = try #require(summary["page"] as? [String: Any])
        #expect(Set(page.keys).isSuperset(of: (sampleSummary["page"] as? [String: Any] ?? [:]).keys))
        #expect(Self.isTimestamp(page["updated_at"]))

        let components = try #require(summary["components"] as? [[String: Any]])
        #expect(components.count == 15)  // 12 components in 3 groups
        let sampleComponentKeys = Self.keys(sampleComponents["components"] as? [[String: Any]] ?? [])
        #expect(!sampleComponentKeys.isEmpty)
        let componentStatuses: Set<String> = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]
        for component in components {
            #expect(Set(component.keys).isSuperset(of: sampleComponentKeys), "\(component["name"] ?? "")")
            #expect(componentStatuses.contains(component["status"] as? String ?? ""))
            #expect(Self.isTimestamp(component["created_at"]) && Self.isTimestamp(component["updated_at"]))
        }
        #expect(components.filter { $0["group"] as? Bool == true }.count == 3)

        let allIncidents = try #require(incidents["incidents"] as? [[String: Any]])
        #expect(allIncidents.count == 5)
        let sampleIncidentKeys = Self.keys(sampleIncidents["incidents"] as? [[String: Any]] ?? [])
        let sampleUpdateKeys = Self.keys((sampleIncidents["incidents"] as? [[String: Any]] ?? [])
            .flatMap { $0["incident_updates"] as? [[String: Any]] ?? [] })
        let incidentStatuses: Set<String> = ["investigating", "identified", "monitoring", "resolved", "postmortem"]
        let impacts: Set<String> = ["none", "minor", "major", "critical", "maintenance"]
        for incident in allIncidents {
            #expect(Set(incident.keys).isSuperset(of: sampleIncidentKeys))
            #expect(incidentStatuses.contains(incident["status"] as? String ?? ""))
            #expect(impacts.contains(incident["impact"] as? String ?? ""))
            for key in ["created_at", "updated_at", "started_at"] { #expect(Self.isTimestamp(incident[key]), "\(key)") }
            for update in incident["incident_updates"] as? [[String: Any]] ?? [] {
                #expect(Set(update.keys).isSuperset(of: sampleUpdateKeys))
                #expect(incidentStatuses.contains(update["status"] as? String ?? ""))
                #expect(Self.isTimestamp(update["display_at"]))
            }
        }
        let open = try #require(allIncidents.first { $0["status"] as? String == "identified" })
        #expect(Self.isTimestamp(open["next_update_at"]))
        #expect(open["update_overdue"] as? Bool == false)

        let maintenanceStatuses: Set<String> = ["scheduled", "in_progress", "verifying", "completed"]
        let windows = try #require(maintenances["scheduled_maintenances"] as? [[String: Any]])
        #expect(windows.map { $0["status"] as? String ?? "" }.sorted() == ["completed", "scheduled"])
        for maintenance in windows {
            #expect(Set(maintenance.keys).isSuperset(of: sampleIncidentKeys.union(["scheduled_for", "scheduled_until"])))
            #expect(maintenanceStatuses.contains(maintenance["status"] as? String ?? ""))
            #expect(Self.isTimestamp(maintenance["scheduled_for"]) && Self.isTimestamp(maintenance["scheduled_until"]))
        }
        let status = try #require(summary["status"] as? [String: Any])
        #expect(status["indicator"] as? String == "critical")
        #expect(status["description"] as? String == "Major System Outage")
    }

    /// The demo's first update names the minute the outage began, one minute before it was
    /// posted, in WIB as the page shows it, whatever time the demo was started.
    @Test func demoWordsAgreeWithItsTimes() throws {
        let warta = try WartaProcess(["--demo"])
        defer { warta.stop() }
        let document = try Self.load(Data(try curl([warta.baseURL + "/api/v2/incidents/unresolved.json"]).utf8))
        let incident = try #require((document["incidents"] as? [[String: Any]])?.first)
        let updates = try #require(incident["incident_updates"] as? [[String: Any]])
        let first = try #require(updates.last)
        #expect(first["status"] as? String == "investigating")
        let posted = try #require(Self.date(first["created_at"]))
        var jakarta = Calendar(identifier: .gregorian)
        jakarta.timeZone = try #require(TimeZone(identifier: "Asia/Jakarta"))
        let began = jakarta.dateComponents([.hour, .minute], from: posted.addingTimeInterval(-60))
        let hour = String(format: "%02d", began.hour ?? -1), minute = String(format: "%02d", began.minute ?? -1)
        let body = try #require(first["body"] as? String)
        #expect(body.hasPrefix("Sejak pukul \(hour).\(minute) WIB "), "\(body)")

        let english = try curl([warta.baseURL + "/?lang=en"])
        #expect(english.contains("Since \(hour):\(minute) WIB "))
        #expect(!english.contains("Since 14:59 WIB") || (hour == "14" && minute == "59"))
    }

    static func date(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
