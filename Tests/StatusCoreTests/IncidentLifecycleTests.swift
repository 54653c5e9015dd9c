import Foundation
import SQLite
@testable import StatusCore
import Testing

@Suite struct IncidentLifecycleTests {
    @Test func createUpdateResolveWithComponents() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        let (t1, t2, t3, t4, t5) = (Fixture.at(minutes: 1), Fixture.at(minutes: 2), Fixture.at(minutes: 3),
                                    Fixture.at(minutes: 4), Fixture.at(minutes: 5))

        // Create: API partially down.
        var incident = try store.createIncident(
            IncidentDraft(name: "API errors", body: "Kami sedang menyelidiki.", componentIDs: [page.api.id],
                          components: [page.api.id: .partialOutage], nextUpdateAt: Fixture.at(minutes: 31)),
            by: Fixture.ops, now: t1)
        #expect(incident.status == .investigating)
        #expect(incident.impact == .major)
        #expect(incident.isMaintenance == false)
        #expect(incident.componentIDs == [page.api.id])
        #expect(incident.startedAt == t1)
        #expect(incident.createdAt == t1)
        #expect(incident.monitoringAt == nil)
        #expect(incident.resolvedAt == nil)
        #expect(incident.nextUpdateAt == Fixture.at(minutes: 31))
        #expect(incident.updates.count == 1)
        #expect(incident.updates[0].body == "Kami sedang menyelidiki.")
        #expect(incident.updates[0].status == .investigating)
        #expect(incident.updates[0].displayAt == t1)
        #expect(incident.updates[0].deliverNotifications == true)
        #expect(incident.updates[0].affectedComponents == [
            AffectedComponent(componentID: page.api.id, name: "Backend - API", oldStatus: .operational,
                              newStatus: .partialOutage),
        ])
        #expect(try store.component(id: page.api.id).status == .partialOutage)

        // Identified: API fully down, the database degraded (added through the map alone).
        incident = try store.updateIncident(
            id: incident.id,
            IncidentPatch(status: .identified, body: "Penyebab ditemukan.",
                          components: [page.database.id: .degradedPerformance, page.api.id: .majorOutage]),
            by: Fixture.ops, now: t2)
        #expect(incident.status == .identified)
        #expect(incident.impact == .critical)
        #expect(incident.componentIDs == [page.api.id, page.database.id])
        #expect(incident.nextUpdateAt == nil)
        #expect(incident.updates.map(\.status) == [.identified, .investigating])
        #expect(incident.updates[0].affectedComponents == [
            AffectedComponent(componentID: page.api.id, name: "Backend - API", oldStatus: .partialOutage,
                              newStatus: .majorOutage),
            AffectedComponent(componentID: page.database.id, name: "Backend - Database", oldStatus: .operational,
                              newStatus: .degradedPerformance),
        ])

        // Monitoring, components back up: the impact keeps the worst the incident reached.
        incident = try store.updateIncident(
            id: incident.id,
            IncidentPatch(status: .monitoring, body: "Perbaikan dipasang.",
                          components: [page.api.id: .operational, page.database.id: .operational]),
            by: Fixture.ops, now: t3)
        #expect(incident.monitoringAt == t3)
        #expect(incident.impact == .critical)
        #expect(try store.components().map(\.status) == [.operational, .operational, .operational])

        // Resolved.
        incident = try store.updateIncident(
            id: incident.id, IncidentPatch(status: .resolved, body: "Selesai."), by: Fixture.ops, now: t4)
        #expect(incident.status == .resolved)
        #expect(incident.resolvedAt == t4)
        #expect(incident.monitoringAt == t3)
        #expect(incident.updates[0].affectedComponents == [])

        // Postmortem: resolved_at stays the first resolution.
        incident = try store.updateIncident(
            id: incident.id, IncidentPatch(status: .postmortem, postmortemBody: .set("Akar masalah: disk penuh.")),
            by: Fixture.ops, now: t5)
        #expect(incident.status == .postmortem)
        #expect(incident.resolvedAt == t4)
        #expect(incident.postmortemBody == "Akar masalah: disk penuh.")
        #expect(incident.postmortemPublishedAt == t5)
        #expect(incident.updatedAt == t5)
        #expect(incident.updates.map(\.status) == [.postmortem, .resolved, .monitoring, .identified, .investigating])
        #expect(incident.updates.map(\.body) == ["", "Selesai.", "Perbaikan dipasang.", "Penyebab ditemukan.",
                                                 "Kami sedang menyelidiki."])
        #expect(try store.incident(id: incident.id) == incident)

        // The status history uptime is computed from.
        let history = try store.state(now: t5).statusChanges
        #expect(history[page.api.id] == [
            StatusChange(status: .operational, at: Fixture.t0), StatusChange(status: .partialOutage, at: t1),
            StatusChange(status: .majorOutage, at: t2), StatusChange(status: .operational, at: t3),
        ])
        #expect(history[page.database.id] == [
            StatusChange(status: .operational, at: Fixture.t0), StatusChange(status: .degradedPerformance, at: t2),
            StatusChange(status: .operational, at: t3),
        ])

        // One audit row per write, newest first.
        let audit = try store.auditLog(limit: 5)
        #expect(audit.map(\.action) == ["incident.update", "incident.update", "incident.update", "incident.update",
                                        "incident.create"])
        #expect(audit.allSatisfy { $0.tokenName == "ops" && $0.clientAddress == "203.0.113.7" })
        #expect(audit.allSatisfy { $0.targetType == "incident" && $0.targetID == incident.id })
        #expect(audit.map(\.at) == [t5, t4, t3, t2, t1])
        let identifiedUpdate = incident.updates[3].id
        // The new update promised nothing, so the promise made at creation is withdrawn.
        #expect(audit[3].detailJSON == #"{"fields":["body","component_ids","components","next_update_at","status"],"#
            + #""status":"identified","update_id":"\#(identifiedUpdate)"}"#)
        #expect(audit[0].detailJSON == #"{"fields":["postmortem_body","status"],"status":"postmortem","#
            + #""update_id":"\#(incident.updates[0].id)"}"#)
        let all = try store.auditLog()
        #expect(all.count == 9)
        #expect(all.suffix(4).map(\.action) == ["component.create", "component.create", "component_group.create",
                                                "component.create"])
    }

    @Test func patchWithoutStatusOrBodyAddsNoUpdate() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        let incident = try store.createIncident(IncidentDraft(name: "Slow pages"), by: Fixture.ops, now: Fixture.t0)
        #expect(incident.impact == .none)

        let renamed = try store.updateIncident(
            id: incident.id,
            IncidentPatch(name: "Slow website", status: .investigating, componentIDs: [page.website.id],
                          metadataJSON: #"{"ticket":"OPS-1"}"#),
            by: Fixture.ops, now: Fixture.at(minutes: 1))
        #expect(renamed.name == "Slow website")
        #expect(renamed.updates.count == 1)
        #expect(renamed.componentIDs == [page.website.id])
        #expect(renamed.metadataJSON == #"{"ticket":"OPS-1"}"#)
        #expect(renamed.impact == .none)

        // Nothing to change: nothing written, not even an audit row.
        let before = try fixture.dump()
        let same = try store.updateIncident(id: incident.id, IncidentPatch(name: "Slow website"), by: Fixture.ops,
                                            now: Fixture.at(minutes: 2))
        #expect(same == renamed)
        #expect(try fixture.dump() == before)
    }

    @Test func impactOverrideWinsAndCanBeCleared() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        var incident = try store.createIncident(
            IncidentDraft(name: "Login slow", impactOverride: .critical, components: [page.api.id: .degradedPerformance]),
            by: Fixture.ops, now: Fixture.t0)
        #expect(incident.impact == .critical)
        #expect(incident.impactOverride == .critical)
        incident = try store.updateIncident(id: incident.id, IncidentPatch(impactOverride: .clear), by: Fixture.ops,
                                            now: Fixture.at(minutes: 1))
        #expect(incident.impact == .minor)
        #expect(incident.impactOverride == nil)
    }

    @Test func translationsAndEditingAnUpdate() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let incident = try store.createIncident(
            IncidentDraft(name: "Gangguan API", nameTranslations: ["en": "API outage"], body: "Sedang diselidiki.",
                          bodyTranslations: ["en": "Investigating.", ]),
            by: Fixture.ops, now: Fixture.t0)
        #expect(incident.nameTranslations == ["en": "API outage"])
        #expect(incident.updates[0].bodyTranslations == ["en": "Investigating."])

        let edited = try store.updateIncidentUpdate(
            incidentID: incident.id, updateID: incident.updates[0].id,
            IncidentUpdatePatch(body: "Sedang kami selidiki.", displayAt: Fixture.at(minutes: -5),
                                deliverNotifications: false, bodyTranslations: ["en": "We are investigating."]),
            by: Fixture.ops, now: Fixture.at(minutes: 1))
        #expect(edited.body == "Sedang kami selidiki.")
        #expect(edited.bodyTranslations == ["en": "We are investigating."])
        #expect(edited.displayAt == Fixture.at(minutes: -5))
        #expect(edited.deliverNotifications == false)
        #expect(edited.status == .investigating)
        #expect(edited.createdAt == Fixture.t0)
        #expect(edited.updatedAt == Fixture.at(minutes: 1))
        #expect(try store.incident(id: incident.id).updatedAt == Fixture.at(minutes: 1))
        let entry = try #require(try store.auditLog(limit: 1).first)
        #expect(entry.action == "incident_update.update")
        #expect(entry.targetType == "incident_update")
        #expect(entry.targetID == incident.updates[0].id)
        #expect(entry.detailJSON == #"{"fields":["body","body_translations","deliver_notifications","display_at"]}"#)
    }

    @Test func deleteIncidentKeepsComponentStatuses() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        let incident = try store.createIncident(
            IncidentDraft(name: "Outage", components: [page.api.id: .majorOutage]), by: Fixture.ops, now: Fixture.t0)
        try store.deleteIncident(id: incident.id, by: Fixture.ops, now: Fixture.at(minutes: 1))
        Fixture.expectValidation(.notFound, .incident(.identity)) { _ = try store.incident(id: incident.id) }
        #expect(try store.component(id: page.api.id).status == .majorOutage)
        #expect(try store.incidents().isEmpty)
        let rows = try fixture.dump()
        #expect(rows["incident_updates"]?.isEmpty == true)
        #expect(rows["incident_update_components"]?.isEmpty == true)
        #expect(rows["incident_components"]?.isEmpty == true)
        #expect(try store.auditLog(limit: 1).first?.action == "incident.delete")
    }

    @Test func maintenanceStartedAndCompletedByHandWithAutoTransitions() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        // The database is really down during the window: completion must not hide that.
        var maintenance = try store.createIncident(
            IncidentDraft(name: "Upgrade", componentIDs: [page.api.id, page.database.id],
                          scheduledFor: Fixture.at(minutes: 60), scheduledUntil: Fixture.at(minutes: 120),
                          autoTransitionToMaintenanceState: true, autoTransitionToOperationalState: true),
            by: Fixture.ops, now: Fixture.t0)
        #expect(maintenance.isMaintenance)
        #expect(maintenance.status == .scheduled)
        #expect(maintenance.impact == .maintenance)
        #expect(maintenance.updates[0].affectedComponents == [])

        maintenance = try store.updateIncident(
            id: maintenance.id, IncidentPatch(status: .inProgress), by: Fixture.ops, now: Fixture.at(minutes: 60))
        #expect(maintenance.updates[0].affectedComponents.map(\.newStatus) == [.underMaintenance, .underMaintenance])
        #expect(try store.components().map(\.status) == [.operational, .underMaintenance, .underMaintenance])

        _ = try store.updateComponent(id: page.database.id, ComponentPatch(status: .majorOutage), by: Fixture.ops,
                                      now: Fixture.at(minutes: 90))
        maintenance = try store.updateIncident(
            id: maintenance.id, IncidentPatch(status: .completed), by: Fixture.ops, now: Fixture.at(minutes: 120))
        #expect(maintenance.resolvedAt == Fixture.at(minutes: 120))
        #expect(maintenance.updates[0].affectedComponents == [
            AffectedComponent(componentID: page.api.id, name: "Backend - API", oldStatus: .underMaintenance,
                              newStatus: .operational),
        ])
        #expect(try store.components().map(\.status) == [.operational, .operational, .majorOutage])
    }
}
