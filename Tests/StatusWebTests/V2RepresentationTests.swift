import Foundation
import HTTPServer
import TestSupport
import Testing
@testable import StatusCore
@testable import StatusWeb

/// The v2 documents against the reference (reference/statuspage-v2.md §1) and the real
/// captured payloads in reference/samples/.
@Suite struct V2RepresentationTests {
    static let representation = V2Representation(state: .make(), now: fixtureNow)

    static func document(_ endpoint: V2Endpoint, _ representation: V2Representation = representation) throws -> OrderedJSON {
        try OrderedJSON.parse(representation.body(for: endpoint))
    }

    static func ids(_ values: OrderedJSON?) -> [String] {
        (values?.elements ?? []).map { $0["id"]?.stringValue ?? "?" }
    }

    // MARK: - Validity

    @Test(arguments: V2Endpoint.allCases)
    func everyBodyIsValidJSONWithThePageFirst(_ endpoint: V2Endpoint) throws {
        let body = Self.representation.body(for: endpoint)
        let parsed = try JSONSerialization.jsonObject(with: Data(body))
        let object = try #require(parsed as? [String: Any])
        let page = try #require(object["page"] as? [String: Any])
        #expect(page["id"] as? String == "pg0000000001")
        #expect(try Self.document(endpoint).keys.first == "page")
    }

    @Test func topLevelKeys() throws {
        #expect(try Self.document(.summary).keys
            == ["page", "components", "automated_checks", "incidents", "scheduled_maintenances", "status"])
        #expect(try Self.document(.status).keys == ["page", "status"])
        #expect(try Self.document(.components).keys == ["page", "components"])
        #expect(try Self.document(.incidents).keys == ["page", "incidents"])
        #expect(try Self.document(.unresolvedIncidents).keys == ["page", "incidents"])
        for endpoint in [V2Endpoint.scheduledMaintenances, .upcomingMaintenances, .activeMaintenances] {
            #expect(try Self.document(endpoint).keys == ["page", "scheduled_maintenances"])
        }
        #expect(try Self.document(.uptime).keys == ["page", "components"])
        #expect(try Self.document(.checks).keys == ["page", "checks"])
    }

    /// The whole of status.json, byte for byte: page `updated_at` is the newest change (the
    /// open incident's last update, 30 minutes before now), in Jakarta time.
    @Test func statusBodyExactly() {
        let body = String(decoding: Self.representation.body(for: .status), as: UTF8.self)
        #expect(body == #"{"page":{"id":"pg0000000001","name":"Warta Demo","url":"https://status.example.id","#
            + #""time_zone":"Asia/Jakarta","updated_at":"2026-11-29T12:01:03.123+07:00"},"#
            + #""status":{"indicator":"major","description":"Partial System Outage"}}"#)
    }

    // MARK: - Components

    @Test func componentsInTreeOrderWithGroupRows() throws {
        let components = try Self.document(.components)["components"]
        #expect(Self.ids(components) == ["web000000001", "grp000000001", "trf000000001", "crd000000001",
                                         "api000000001", "grp000000002"])
        let rows = components?.elements ?? []
        let payments = rows[1]
        #expect(payments["group"]?.boolValue == true)
        #expect(payments["group_id"]?.isNull == true)
        #expect(payments["components"]?.elements.compactMap(\.stringValue) == ["trf000000001", "crd000000001"])
        // The worst of degraded_performance and partial_outage.
        #expect(payments["status"]?.stringValue == "partial_outage")
        #expect(payments["position"]?.numberText == "2")
        #expect(payments["description"]?.stringValue == "Card and bank payments")

        let regions = rows[5]
        #expect(regions["status"]?.stringValue == "operational")
        #expect(regions["components"]?.elements.isEmpty == true)

        let cards = rows[3]
        #expect(cards["group_id"]?.stringValue == "grp000000001")
        #expect(cards["components"] == nil)
        #expect(cards["page_id"]?.stringValue == "pg0000000001")
        #expect(cards["position"]?.numberText == "2")

        let website = rows[0]
        #expect(website["start_date"]?.stringValue == "2026-01-10")
        #expect(website["group_id"]?.isNull == true)
        #expect(rows[4]["description"]?.isNull == true)
    }

    @Test func componentObjectExactly() {
        var writer = JSONWriter(timestampFormat: ZonedTimestamp(timeZoneIdentifier: "Etc/UTC"))
        let component = Component(id: "8l4ygp009s5s", name: "Git Operations",
                                  description: "Performance of git clones, pulls, pushes, and associated operations",
                                  position: 1, showcase: false,
                                  createdAt: instant("2017-01-31T20:05:05.370Z"),
                                  updatedAt: instant("2024-08-27T23:26:32.478Z"))
        V2Representation.writeComponentRow(.component(component), pageID: "kctbh9vrtdwd", into: &writer)
        // The first component of the real components.json sample, byte for byte.
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"id":"8l4ygp009s5s","name":"Git Operations","#
            + #""status":"operational","created_at":"2017-01-31T20:05:05.370Z","updated_at":"2024-08-27T23:26:32.478Z","#
            + #""position":1,"description":"Performance of git clones, pulls, pushes, and associated operations","#
            + #""showcase":false,"start_date":null,"group_id":null,"page_id":"kctbh9vrtdwd","group":false,"#
            + #""only_show_if_degraded":false}"#)
    }

    // MARK: - Lists

    @Test func listMembershipAndOrder() throws {
        #expect(Self.ids(try Self.document(.incidents)["incidents"]) == ["inc000000open", "inc00resolved"])
        #expect(Self.ids(try Self.document(.unresolvedIncidents)["incidents"]) == ["inc000000open"])
        #expect(Self.ids(try Self.document(.scheduledMaintenances)["scheduled_maintenances"])
            == ["mnt0scheduled", "mnt00progress", "mnt0verifying", "mnt0completed"])
        #expect(Self.ids(try Self.document(.upcomingMaintenances)["scheduled_maintenances"]) == ["mnt0scheduled"])
        #expect(Self.ids(try Self.document(.activeMaintenances)["scheduled_maintenances"])
            == ["mnt00progress", "mnt0verifying"])
        let summary = try Self.document(.summary)
        #expect(Self.ids(summary["incidents"]) == ["inc000000open"])
        #expect(Self.ids(summary["scheduled_maintenances"]) == ["mnt0scheduled", "mnt00progress", "mnt0verifying"])
        #expect(Self.ids(summary["components"]).count == 6)
        #expect(summary["status"]?["indicator"]?.stringValue == "major")
    }

    /// 50 most recent only; an open incident older than those is still in unresolved and summary.
    @Test func recentListsStopAtFifty() throws {
        let now = fixtureNow
        var extra: [Incident] = []
        for index in 0..<60 {
            extra.append(.make(id: String(format: "bulk%08d", index), status: .resolved,
                               createdAt: now - Double(index + 10) * .day, resolvedAt: now - Double(index + 10) * .day))
        }
        for index in 0..<55 {
            extra.append(.make(id: String(format: "mbul%08d", index), status: .completed, isMaintenance: true,
                               scheduledFor: now - Double(index + 20) * .day,
                               scheduledUntil: now - Double(index + 20) * .day + .hour,
                               createdAt: now - Double(index + 30) * .day))
        }
        extra.append(.make(id: "oldopen00001", status: .monitoring, createdAt: now - 400 * .day))
        let representation = V2Representation(state: .make(extraIncidents: extra), now: now)

        let incidents = Self.ids(try Self.document(.incidents, representation)["incidents"])
        #expect(incidents.count == 50)
        #expect(Array(incidents.prefix(4)) == ["inc000000open", "inc00resolved", "bulk00000000", "bulk00000001"])
        #expect(incidents.last == "bulk00000047")
        #expect(!incidents.contains("oldopen00001"))
        #expect(Self.ids(try Self.document(.unresolvedIncidents, representation)["incidents"])
            == ["inc000000open", "oldopen00001"])
        #expect(Self.ids(try Self.document(.summary, representation)["incidents"]) == ["inc000000open", "oldopen00001"])

        let maintenances = Self.ids(try Self.document(.scheduledMaintenances, representation)["scheduled_maintenances"])
        #expect(maintenances.count == 50)
        #expect(Array(maintenances.prefix(5)) == ["mnt0scheduled", "mnt00progress", "mnt0verifying", "mnt0completed",
                                                  "mbul00000000"])
        #expect(maintenances.last == "mbul00000045")
    }

    // MARK: - Incidents

    @Test func openIncidentObject() throws {
        let incident = try #require(try Self.document(.incidents)["incidents"]?.elements.first)
        // The primary text, escaped on the wire and intact once parsed.
        #expect(incident["name"]?.stringValue == #"Kartu <ditolak> & "lambat""#)
        #expect(incident["status"]?.stringValue == "identified")
        #expect(incident["impact"]?.stringValue == "major")
        #expect(incident["shortlink"]?.stringValue == "https://status.example.id/incidents/inc000000open")
        #expect(incident["created_at"]?.stringValue == "2026-11-29T10:31:03.123+07:00")
        #expect(incident["started_at"]?.stringValue == "2026-11-29T10:26:03.123+07:00")
        #expect(incident["monitoring_at"]?.isNull == true)
        #expect(incident["resolved_at"]?.isNull == true)
        #expect(incident["reminder_intervals"]?.isNull == true)
        #expect(incident["next_update_at"]?.stringValue == "2026-11-29T12:26:03.123+07:00")
        #expect(incident["update_overdue"]?.boolValue == true)
        // Components in the page's order (Transfers, position 1, before Cards), full objects.
        #expect(Self.ids(incident["components"]) == ["trf000000001", "crd000000001"])
        #expect(incident["components"]?.elements.first?["group_id"]?.stringValue == "grp000000001")

        let updates = incident["incident_updates"]?.elements ?? []
        #expect(updates.map { $0["id"]?.stringValue } == ["upd000000002", "upd000000001"])
        #expect(updates[0]["body"]?.stringValue == "Penyebab ditemukan.\nPerbaikan berjalan.")
        #expect(updates[0]["affected_components"]?.isNull == true)
        #expect(updates[0]["deliver_notifications"]?.boolValue == false)
        #expect(updates[0]["custom_tweet"]?.isNull == true)
        #expect(updates[0]["tweet_id"]?.isNull == true)
        #expect(updates[0]["incident_id"]?.stringValue == "inc000000open")
        let affected = updates[1]["affected_components"]?.elements ?? []
        #expect(affected.map { $0["code"]?.stringValue } == ["crd000000001", "trf000000001"])
        #expect(affected.first?["name"]?.stringValue == "Payments - Cards")
        #expect(affected.first?["old_status"]?.stringValue == "operational")
        #expect(affected.first?["new_status"]?.stringValue == "partial_outage")
    }

    /// Whose promise `next_update_at` is: staff's, or the page's own after an update that
    /// promised nothing (`Silence`, `max_silence` 60 minutes); null with no promise.
    @Test func nextUpdatePromisedBySaysWhosePromiseItIs() throws {
        let silent = Incident.make(id: "inc0000silent", status: .investigating, createdAt: fixtureNow - 90 * .minute)
        var state = StatusState.make(extraIncidents: [silent])
        state.incidents = Silence.applyPagePromise(to: state.incidents, maxSilence: 60)
        let incidents = try Self.document(.incidents, V2Representation(state: state, now: fixtureNow))["incidents"]
        let byID = Dictionary(uniqueKeysWithValues: (incidents?.elements ?? []).map { ($0["id"]?.stringValue ?? "", $0) })
        #expect(byID["inc000000open"]?["next_update_promised_by"]?.stringValue == "staff")
        let page = try #require(byID["inc0000silent"])
        #expect(page["next_update_at"]?.stringValue == "2026-11-29T12:01:03.123+07:00")
        #expect(page["update_overdue"]?.boolValue == true)
        #expect(page["next_update_promised_by"]?.stringValue == "page")
        #expect(page.keys.suffix(3) == ["next_update_at", "update_overdue", "next_update_promised_by"])
        #expect(byID["inc00resolved"]?["next_update_promised_by"]?.isNull == true)
        // A maintenance promises nothing of its own accord.
        let maintenance = try #require(try Self.document(.upcomingMaintenances)["scheduled_maintenances"]?.elements.first)
        #expect(maintenance["next_update_promised_by"]?.isNull == true)
    }

    @Test func closedIncidentHasNoPromiseAndIsNotOverdue() throws {
        let incidents = try Self.document(.incidents)["incidents"]?.elements ?? []
        let resolved = try #require(incidents.last)
        #expect(resolved["id"]?.stringValue == "inc00resolved")
        #expect(resolved["monitoring_at"]?.stringValue == "2026-11-26T13:01:03.123+07:00")
        #expect(resolved["resolved_at"]?.stringValue == "2026-11-26T13:31:03.123+07:00")
        #expect(resolved["next_update_at"]?.isNull == true)
        #expect(resolved["update_overdue"]?.boolValue == false)
        #expect(resolved["components"]?.elements.isEmpty == true)
    }

    @Test func overdueIsComputedAgainstNow() throws {
        // Ten minutes earlier the promised update (due now - 5 min) was not yet late.
        let early = V2Representation(state: .make(), now: fixtureNow - 10 * .minute)
        let incident = try #require(try Self.document(.unresolvedIncidents, early)["incidents"]?.elements.first)
        #expect(incident["update_overdue"]?.boolValue == false)
    }

    @Test func maintenanceObject() throws {
        let maintenance = try #require(try Self.document(.upcomingMaintenances)["scheduled_maintenances"]?.elements.first)
        #expect(maintenance["scheduled_for"]?.stringValue == "2026-12-01T12:31:03.123+07:00")
        #expect(maintenance["scheduled_until"]?.stringValue == "2026-12-01T14:31:03.123+07:00")
        #expect(maintenance["impact"]?.stringValue == "maintenance")
        #expect(Self.ids(maintenance["components"]) == ["api000000001"])
    }

    @Test func shortlinkWithoutPageURLIsAPath() throws {
        let representation = V2Representation(state: .make(url: ""), now: fixtureNow)
        let incident = try #require(try Self.document(.incidents, representation)["incidents"]?.elements.first)
        #expect(incident["shortlink"]?.stringValue == "/incidents/inc000000open")
        #expect(V2Representation.shortlink(pageURL: "https://x.example/", incidentID: "abc") == "https://x.example/incidents/abc")
    }

    @Test func utcPageWritesZ() throws {
        let representation = V2Representation(state: .make(timeZone: "Etc/UTC"), now: fixtureNow)
        let document = try Self.document(.summary, representation)
        #expect(document["page"]?["updated_at"]?.stringValue == "2026-11-29T05:01:03.123Z")
        #expect(document["page"]?["time_zone"]?.stringValue == "Etc/UTC")
    }

    // MARK: - Formats

    /// Every enum value is one Statuspage's strict clients accept, and every timestamp has
    /// the exact form, in every endpoint.
    @Test(arguments: V2Endpoint.allCases.filter { $0 != .uptime })
    func enumsAndTimestampsAreLegal(_ endpoint: V2Endpoint) throws {
        let document = try Self.document(endpoint)
        let componentStatuses: Set<String> = ["operational", "degraded_performance", "partial_outage", "major_outage",
                                              "under_maintenance"]
        let incidentStatuses: Set<String> = ["investigating", "identified", "monitoring", "resolved", "postmortem"]
        let maintenanceStatuses: Set<String> = ["scheduled", "in_progress", "verifying", "completed"]
        let impacts: Set<String> = ["none", "minor", "major", "critical", "maintenance"]
        let pattern = try Regex(#"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$"#)
        let timestampKeys: Set<String> = ["updated_at", "created_at", "monitoring_at", "resolved_at", "started_at",
                                          "display_at", "scheduled_for", "scheduled_until", "next_update_at"]
        var timestampsSeen = 0

        func visit(_ value: OrderedJSON) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if timestampKeys.contains(key), let text = member.stringValue {
                        timestampsSeen += 1
                        #expect(text.wholeMatch(of: pattern) != nil, "\(key): \(text)")
                        #expect(text.hasSuffix("+07:00"), "\(key): \(text)")
                    } else if timestampKeys.contains(key) {
                        #expect(member.isNull, "\(key) is neither a timestamp nor null")
                    }
                    visit(member)
                }
            case .array(let elements): elements.forEach(visit)
            default: break
            }
        }
        visit(document)
        #expect(timestampsSeen > 0)

        for component in Self.allComponents(document) {
            #expect(componentStatuses.contains(component["status"]?.stringValue ?? ""))
        }
        for incident in document["incidents"]?.elements ?? [] {
            #expect(incidentStatuses.contains(incident["status"]?.stringValue ?? ""))
            #expect(impacts.contains(incident["impact"]?.stringValue ?? ""))
        }
        for maintenance in document["scheduled_maintenances"]?.elements ?? [] {
            #expect(maintenanceStatuses.contains(maintenance["status"]?.stringValue ?? ""))
            #expect(impacts.contains(maintenance["impact"]?.stringValue ?? ""))
        }
        for incident in (document["incidents"]?.elements ?? []) + (document["scheduled_maintenances"]?.elements ?? []) {
            for update in incident["incident_updates"]?.elements ?? [] {
                #expect(incidentStatuses.union(maintenanceStatuses).contains(update["status"]?.stringValue ?? ""))
                for affected in update["affected_components"]?.elements ?? [] {
                    #expect(componentStatuses.contains(affected["old_status"]?.stringValue ?? ""))
                    #expect(componentStatuses.contains(affected["new_status"]?.stringValue ?? ""))
                }
            }
        }
        if let status = document["status"] {
            #expect(impacts.contains(status["indicator"]?.stringValue ?? ""))
        }
    }

    static func allComponents(_ document: OrderedJSON) -> [OrderedJSON] {
        var result = document["components"]?.elements ?? []
        for incident in (document["incidents"]?.elements ?? []) + (document["scheduled_maintenances"]?.elements ?? []) {
            result += incident["components"]?.elements ?? []
        }
        return result
    }

    // MARK: - Uptime extension

    @Test func uptimeDocument() throws {
        let components = try Self.document(.uptime)["components"]?.elements ?? []
        // Groups are not components here; tree order otherwise.
        #expect(components.map { $0["id"]?.stringValue } == ["web000000001", "trf000000001", "crd000000001",
                                                              "api000000001"])
        #expect(components.map(\.keys).allSatisfy { $0 == ["id", "name", "uptime_90d", "days", "measured"] })
        // The fixture has no checks: nothing measured, and the declared figures unchanged.
        #expect(components.allSatisfy { $0["measured"]?.elements.isEmpty == true })
        let cards = components[2]
        let days = cards["days"]?.elements ?? []
        #expect(days.count == 90)
        #expect(days.first?["date"]?.stringValue == "2026-09-01")
        #expect(days.last?.keys == ["date", "uptime", "major_outage_minutes", "partial_outage_minutes"])
        #expect(days.last?["date"]?.stringValue == "2026-11-29")
        // Two hours partial (×0.3) of the 12:31:03.123 elapsed today.
        #expect(days.last?["uptime"]?.numberText == "95.207")
        #expect(days.last?["partial_outage_minutes"]?.numberText == "120")
        #expect(days.last?["major_outage_minutes"]?.numberText == "0")
        #expect(cards["uptime_90d"]?.numberText == "99.972")
        // Degraded performance is not downtime.
        #expect(components[1]["uptime_90d"]?.numberText == "100")
        // No start date and no history: no data at all.
        #expect(components[3]["uptime_90d"]?.isNull == true)
        #expect(components[3]["days"]?.elements.allSatisfy { $0["uptime"]?.isNull == true } == true)
    }
}
