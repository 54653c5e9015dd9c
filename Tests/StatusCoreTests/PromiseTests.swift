import Foundation
@testable import StatusCore
import Testing

/// "Next update by": each new update replaces the incident's promise; closing clears it.
@Suite struct PromiseTests {
    @Test func promiseReplacedAndCleared() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        var incident = try store.createIncident(
            IncidentDraft(name: "Payments failing", body: "Investigating.", nextUpdateAt: Fixture.at(minutes: 30)),
            by: Fixture.ops, now: Fixture.t0)
        #expect(incident.nextUpdateAt == Fixture.at(minutes: 30))
        #expect(incident.updates[0].nextUpdateAt == Fixture.at(minutes: 30))
        #expect(!incident.isUpdateOverdue(at: Fixture.at(minutes: 30)))
        #expect(incident.isUpdateOverdue(at: Fixture.at(minutes: 31)))

        incident = try store.updateIncident(
            id: incident.id, IncidentPatch(body: "Still on it.", nextUpdateAt: Fixture.at(minutes: 90)),
            by: Fixture.ops, now: Fixture.at(minutes: 25))
        #expect(incident.nextUpdateAt == Fixture.at(minutes: 90))
        #expect(incident.updates.map(\.nextUpdateAt) == [Fixture.at(minutes: 90), Fixture.at(minutes: 30)])
        #expect(incident.status == .investigating)

        // An update that promises nothing withdraws the promise.
        incident = try store.updateIncident(
            id: incident.id, IncidentPatch(status: .identified, body: "Found it."), by: Fixture.ops,
            now: Fixture.at(minutes: 40))
        #expect(incident.nextUpdateAt == nil)
        #expect(try store.nextTimeDrivenChange(after: Fixture.at(minutes: 40)) == nil)

        incident = try store.updateIncident(
            id: incident.id, IncidentPatch(body: "Fix rolling out.", nextUpdateAt: Fixture.at(minutes: 60)),
            by: Fixture.ops, now: Fixture.at(minutes: 45))
        #expect(try store.nextTimeDrivenChange(after: Fixture.at(minutes: 45))
                == Fixture.at(minutes: 60).addingTimeInterval(0.001))

        // A name change is no update: the promise stands.
        incident = try store.updateIncident(id: incident.id, IncidentPatch(name: "Card payments failing"),
                                            by: Fixture.ops, now: Fixture.at(minutes: 46))
        #expect(incident.nextUpdateAt == Fixture.at(minutes: 60))

        // Closing clears it, even when the closing update names a time.
        incident = try store.updateIncident(
            id: incident.id, IncidentPatch(status: .resolved, body: "Resolved.", nextUpdateAt: Fixture.at(minutes: 120)),
            by: Fixture.ops, now: Fixture.at(minutes: 50))
        #expect(incident.nextUpdateAt == nil)
        #expect(incident.updates[0].nextUpdateAt == nil)
        #expect(!incident.isUpdateOverdue(at: Fixture.at(minutes: 500)))
        #expect(try store.nextTimeDrivenChange(after: Fixture.at(minutes: 50)) == nil)
        #expect(try store.auditLog(limit: 1).first?.detailJSON
                == #"{"fields":["body","next_update_at","status"],"status":"resolved","update_id":"\#(incident.updates[0].id)"}"#)
    }
}
