import Foundation
@testable import StatusCore
import Testing

@Suite struct TimeDrivenTests {
    @Test func maintenanceStartsAndEndsByItself() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        let start = Fixture.at(minutes: 60)
        let end = Fixture.at(minutes: 180)
        let maintenance = try store.createIncident(
            IncidentDraft(name: "Pemeliharaan basis data", body: "Basis data akan ditingkatkan.",
                          componentIDs: [page.database.id, page.api.id], scheduledFor: start, scheduledUntil: end,
                          scheduledAutoInProgress: true, scheduledAutoCompleted: true,
                          autoTransitionToMaintenanceState: true, autoTransitionToOperationalState: true),
            by: Fixture.ops, now: Fixture.t0)
        #expect(maintenance.componentIDs == [page.database.id, page.api.id])
        let incident = try store.createIncident(
            IncidentDraft(name: "Slow website", nextUpdateAt: Fixture.at(minutes: 120)), by: Fixture.ops, now: Fixture.t0)

        #expect(try store.nextTimeDrivenChange(after: Fixture.t0) == start)
        #expect(try store.applyTimeDrivenChanges(now: Fixture.at(minutes: 59)) == false)

        // The window opens.
        #expect(try store.applyTimeDrivenChanges(now: start) == true)
        var current = try store.incident(id: maintenance.id)
        #expect(current.status == .inProgress)
        #expect(current.updates.count == 2)
        #expect(current.updates[0].status == .inProgress)
        #expect(current.updates[0].body == "Pemeliharaan terjadwal sedang berlangsung.")
        #expect(current.updates[0].bodyTranslations == ["en": "Scheduled maintenance is now in progress."])
        #expect(current.updates[0].createdAt == start)
        // Display order, not the order they were listed in.
        #expect(current.updates[0].affectedComponents == [
            AffectedComponent(componentID: page.api.id, name: "Backend - API", oldStatus: .operational,
                              newStatus: .underMaintenance),
            AffectedComponent(componentID: page.database.id, name: "Backend - Database", oldStatus: .operational,
                              newStatus: .underMaintenance),
        ])
        #expect(try store.components().map(\.status) == [.operational, .underMaintenance, .underMaintenance])
        let started = try #require(try store.auditLog(limit: 1).first)
        #expect(started.tokenName == "system")
        #expect(started.clientAddress == "")
        #expect(started.action == "incident.update")
        #expect(started.detailJSON == #"{"automatic":true,"fields":["body","status"],"status":"in_progress","#
            + #""update_id":"\#(current.updates[0].id)"}"#)

        // Nothing more is due at the same instant.
        #expect(try store.applyTimeDrivenChanges(now: start) == false)

        // Next: the promised update falls overdue (just after the promise), then the window ends.
        #expect(try store.nextTimeDrivenChange(after: start) == Fixture.at(minutes: 120).addingTimeInterval(0.001))
        let overdue = try #require(try store.nextTimeDrivenChange(after: start))
        #expect(try store.incident(id: incident.id).isUpdateOverdue(at: overdue))
        #expect(try !store.incident(id: incident.id).isUpdateOverdue(at: Fixture.at(minutes: 120)))
        #expect(try store.nextTimeDrivenChange(after: overdue) == end)

        #expect(try store.applyTimeDrivenChanges(now: end) == true)
        current = try store.incident(id: maintenance.id)
        #expect(current.status == .completed)
        #expect(current.resolvedAt == end)
        #expect(current.updates.map(\.status) == [.completed, .inProgress, .scheduled])
        #expect(current.updates[0].body == "Pemeliharaan terjadwal telah selesai.")
        #expect(current.updates[0].affectedComponents.map(\.newStatus) == [.operational, .operational])
        #expect(try store.components().map(\.status) == [.operational, .operational, .operational])
        #expect(try store.nextTimeDrivenChange(after: end) == nil)
    }

    @Test func windowMissedWhileDownGetsBothUpdatesAndEnglishWhenThePageIsEnglish() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        _ = try store.updatePage(PagePatch(defaultLanguage: "en"), by: Fixture.ops, now: Fixture.t0)
        let page = try Fixture.makePage(store)
        let maintenance = try store.createIncident(
            IncidentDraft(name: "Network work", components: [page.website.id: .operational],
                          scheduledFor: Fixture.at(minutes: 60), scheduledUntil: Fixture.at(minutes: 120),
                          scheduledAutoInProgress: true, scheduledAutoCompleted: true,
                          autoTransitionToMaintenanceState: true, autoTransitionToOperationalState: true),
            by: Fixture.ops, now: Fixture.t0)
        // Without the flags nothing moves by itself.
        let manual = try store.createIncident(
            IncidentDraft(name: "Manual work", scheduledFor: Fixture.at(minutes: 60), scheduledUntil: Fixture.at(minutes: 120)),
            by: Fixture.ops, now: Fixture.t0)

        #expect(try store.applyTimeDrivenChanges(now: Fixture.at(minutes: 500)) == true)
        let current = try store.incident(id: maintenance.id)
        #expect(current.updates.map(\.status) == [.completed, .inProgress, .scheduled])
        #expect(current.updates[1].body == "Scheduled maintenance is now in progress.")
        #expect(current.updates[1].bodyTranslations == ["id": "Pemeliharaan terjadwal sedang berlangsung."])
        #expect(current.updates[0].body == "Scheduled maintenance has been completed.")
        #expect(current.updates[1].affectedComponents.map(\.newStatus) == [.underMaintenance])
        #expect(current.updates[0].affectedComponents.map(\.newStatus) == [.operational])
        #expect(try store.component(id: page.website.id).status == .operational)
        #expect(try store.state(now: Fixture.at(minutes: 500)).statusChanges[page.website.id] == [
            StatusChange(status: .operational, at: Fixture.t0),
            StatusChange(status: .underMaintenance, at: Fixture.at(minutes: 500)),
            StatusChange(status: .operational, at: Fixture.at(minutes: 500)),
        ])
        #expect(try store.incident(id: manual.id).status == .scheduled)
        #expect(try store.nextTimeDrivenChange(after: Fixture.at(minutes: 500)) == nil)
        #expect(try store.auditLog(limit: 2).map(\.tokenName) == ["system", "system"])
    }
}
