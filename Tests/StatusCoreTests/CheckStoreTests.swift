import Foundation
import SQLite
@testable import StatusCore
import TestSupport
import Testing

/// Checks in a real database: what a definition may be, how results become a verdict across
/// locations, what time alone changes (a heartbeat that stops, a location that falls silent),
/// and what staff are told. The clock is a parameter, moved by hand.
@Suite struct CheckStoreTests {
    typealias F = Fixture

    static func http(_ component: Component, name: String = "Website root", url: String = "http://10.0.0.7/health")
        -> CheckDraft {
        CheckDraft(name: name, componentID: component.id, kind: .http, url: url)
    }

    static func report(_ outcome: ProbeOutcome, _ instant: Date, location: String = Store.localLocation,
                       check: Check) -> CheckResult {
        CheckResult(checkID: check.id, location: location, report: ProbeReport(outcome: outcome, at: instant))
    }

    @Test func aCheckStartsUnknownWithTheDefaults() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        let (check, secret) = try fixture.store.createCheck(Self.http(page.website), by: F.ops, now: F.t0)
        #expect(secret == nil)
        #expect(check.interval == 60)
        #expect(check.timeout == 10)
        #expect(check.thresholds == CheckThresholds(failures: 3, successes: 2))
        #expect(check.method == .GET)
        let status = try fixture.store.checkStatus(id: check.id, now: F.t0)
        #expect(status.state == .unknown)
        #expect(status.locations.isEmpty)
    }

    @Test func aShortIntervalShortensTheDefaultTimeout() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        var draft = Self.http(page.website)
        draft.interval = 5
        #expect(try fixture.store.createCheck(draft, by: F.ops, now: F.t0).check.timeout == 5)
    }

    @Test func badDefinitionsAreRefusedAndChangeNothing() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        let before = try fixture.dump()
        func refuse(_ field: ValidationError.Field, _ change: (inout CheckDraft) -> Void) {
            var draft = Self.http(page.website)
            change(&draft)
            F.expectValidation(.invalid, field) { _ = try fixture.store.createCheck(draft, by: F.ops, now: F.t0) }
        }
        refuse(.check(.interval)) { $0.interval = 0 }
        refuse(.check(.interval)) { $0.interval = 86_401 }
        refuse(.check(.timeout)) { $0.interval = 5; $0.timeout = 6 }
        refuse(.check(.component)) { $0.componentID = "nosuchcompnt" }
        refuse(.check(.url)) { $0.url = "ftp://10.0.0.7/" }
        refuse(.check(.url)) { $0.url = nil }
        refuse(.check(.url)) { $0.kind = .tcp; $0.url = "tcp://10.0.0.7" }
        refuse(.check(.url)) { $0.kind = .tcp; $0.url = "tcp://10.0.0.7:70000" }
        refuse(.check(.url)) { $0.kind = .tcp; $0.url = "tcp://10.0.0.7:5432/path" }
        refuse(.check(.url)) { $0.kind = .heartbeat }
        refuse(.check(.name)) { $0.name = "" }
        refuse(.check(.failureThreshold)) { $0.failureThreshold = 0 }
        refuse(.check(.expectedStatuses)) { $0.expectedStatuses = [200, 99] }
        refuse(.check(.bodyContains)) { $0.kind = .tcp; $0.url = "tcp://10.0.0.7:5432"; $0.bodyContains = "ok" }
        #expect(try fixture.dump() == before)
    }

    @Test func failuresBecomeFailingAtTheThresholdDatedFromTheFirst() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        let check = try fixture.store.createCheck(Self.http(page.website), by: F.ops, now: F.t0).check
        let store = fixture.store
        #expect(try store.recordCheckResults([Self.report(.success, F.at(minutes: 1), check: check)], now: F.at(minutes: 1)).isEmpty)
        #expect(try store.recordCheckResults([Self.report(.success, F.at(minutes: 2), check: check)], now: F.at(minutes: 2)) == [check.id])
        #expect(try store.checkStatus(id: check.id, now: F.at(minutes: 2)).state == .up)

        for minute in 3...4 {
            #expect(try store.recordCheckResults([Self.report(.failure, F.at(minutes: Double(minute)), check: check)],
                                                 now: F.at(minutes: Double(minute))).isEmpty)
        }
        #expect(try store.recordCheckResults([Self.report(.failure, F.at(minutes: 5), check: check)], now: F.at(minutes: 5))
            == [check.id])
        let failing = try store.checkStatus(id: check.id, now: F.at(minutes: 5))
        #expect(failing.state == .failing)
        #expect(failing.since == F.at(minutes: 3))
        #expect(failing.lastCheckedAt == F.at(minutes: 5))
        #expect(failing.days.map(\.successes) == [2])
        #expect(failing.days.map(\.failures) == [3])
    }

    @Test func aMajorityOfReportingLocationsDecidesAndASilentOneIsLeftOut() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        var draft = Self.http(page.website)
        draft.failureThreshold = 1
        draft.successThreshold = 1
        let check = try fixture.store.createCheck(draft, by: F.ops, now: F.t0).check
        let store = fixture.store
        let now = F.at(minutes: 1)
        try store.recordCheckResults([
            Self.report(.failure, now, check: check),
            Self.report(.failure, now, location: "jakarta-2", check: check),
            Self.report(.success, now, location: "singapore", check: check),
        ], now: now)
        var status = try store.checkStatus(id: check.id, now: now)
        #expect(status.state == .failing)
        #expect((status.failingVoters, status.voters) == (2, 3))

        // Two of four is not a majority.
        try store.recordCheckResults([Self.report(.success, now, location: "tokyo", check: check)], now: now)
        #expect(try store.checkStatus(id: check.id, now: now).state == .up)

        // Three minutes on, only local and jakarta-2 still report: singapore and tokyo fall
        // silent, and the two failing locations are the whole vote.
        let later = F.at(minutes: 4.5)
        try store.recordCheckResults([
            Self.report(.failure, later, check: check),
            Self.report(.failure, later, location: "jakarta-2", check: check),
        ], now: later)
        status = try store.checkStatus(id: check.id, now: later)
        #expect(status.state == .failing)
        #expect(status.locations.filter(\.silent).map(\.name) == ["singapore", "tokyo"])
        #expect((status.failingVoters, status.voters) == (2, 2))
    }

    @Test func anInconclusiveResultNeverCountsAsAFailure() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        let check = try fixture.store.createCheck(Self.http(page.website), by: F.ops, now: F.t0).check
        for minute in 1...5 {
            let instant = F.at(minutes: Double(minute))
            try fixture.store.recordCheckResults([Self.report(.inconclusive, instant, check: check)], now: instant)
        }
        let status = try fixture.store.checkStatus(id: check.id, now: F.at(minutes: 5))
        #expect(status.state == .unknown)
        #expect(status.days.isEmpty)
    }

    @Test func aHeartbeatFailsWhenItsBeatIsLateAndRecoversWithTheNext() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        var draft = CheckDraft(name: "Nightly export", componentID: page.api.id, kind: .heartbeat)
        draft.interval = 600
        draft.grace = 120
        let (check, secret) = try fixture.store.createCheck(draft, by: F.ops, now: F.t0)
        let key = try #require(secret)
        #expect(key.count == 48)

        // The secret is stored only as its hash.
        let stored = try fixture.sql { try $0.queryOne("SELECT heartbeat_secret_hash FROM checks")?.string(0) }
        #expect(stored != key)
        #expect(stored == Store.sha256Hex(key))

        let beat = try fixture.store.recordBeat(secret: key, now: F.at(minutes: 1))
        #expect(beat.checkID == check.id)
        #expect(beat.state == .up)
        #expect(try fixture.store.nextTimeDrivenChange(after: F.at(minutes: 1)) == F.at(minutes: 13))

        // 12 minutes after the beat (interval + grace) the check is failing, from that instant.
        #expect(try fixture.store.applyTimeDrivenChanges(now: F.at(minutes: 12.9)) == false)
        #expect(try fixture.store.applyTimeDrivenChanges(now: F.at(minutes: 13)) == true)
        let status = try fixture.store.checkStatus(id: check.id, now: F.at(minutes: 13))
        #expect(status.state == .failing)
        #expect(status.since == F.at(minutes: 13))
        // Still failing later, without a second failure counted for the same missed beat.
        #expect(try fixture.store.applyTimeDrivenChanges(now: F.at(minutes: 40)) == false)
        #expect(try fixture.store.checkStatus(id: check.id, now: F.at(minutes: 40)).days.map(\.failures) == [1])

        let back = try fixture.store.recordBeat(secret: key, now: F.at(minutes: 41))
        #expect(back.state == .up)
        #expect(back.changed)
    }

    @Test func aWrongHeartbeatSecretRecordsNothing() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        _ = try fixture.store.createCheck(CheckDraft(name: "Job", componentID: page.api.id, kind: .heartbeat),
                                          by: F.ops, now: F.t0)
        let before = try fixture.dump()
        F.expectValidation(.notFound, .check(.heartbeatSecret)) {
            _ = try fixture.store.recordBeat(secret: String(repeating: "0", count: 48), now: F.at(minutes: 1))
        }
        #expect(try fixture.dump() == before)
    }

    @Test func aLocationFallingSilentIsATimeDrivenChange() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        var draft = Self.http(page.website)
        draft.failureThreshold = 1
        let check = try fixture.store.createCheck(draft, by: F.ops, now: F.t0).check
        try fixture.store.recordCheckResults([Self.report(.failure, F.t0, check: check)], now: F.t0)
        // Three intervals of 60 s without a report: silent, and with no other location, unknown.
        let silentAt = F.t0.addingTimeInterval(180.001)
        #expect(try fixture.store.nextTimeDrivenChange(after: F.t0) == silentAt)
        #expect(try fixture.store.applyTimeDrivenChanges(now: silentAt) == true)
        #expect(try fixture.store.checkStatus(id: check.id, now: silentAt).state == .unknown)
    }

    @Test func verdictChangesAreRecordedAndToldOnlyToSubscribersThatAsked() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        var draft = Self.http(page.website)
        draft.failureThreshold = 1
        let check = try fixture.store.createCheck(draft, by: F.ops, now: F.t0).check
        let staff = try fixture.store.createWebhookSubscriber(endpoint: "https://ops.example.id/hook", by: F.ops, now: F.t0)
        _ = try fixture.store.createWebhookSubscriber(endpoint: "https://public.example.id/hook", by: F.ops, now: F.t0)
        try fixture.sql { try $0.execute("UPDATE webhook_subscribers SET events = '[\"check\"]' WHERE id = ?",
                                         [staff.subscriber.id]) }
        try fixture.store.recordCheckResults([Self.report(.failure, F.at(minutes: 1), check: check)], now: F.at(minutes: 1))

        let due = try fixture.store.dueWebhookDeliveries(now: F.at(minutes: 1))
        #expect(due.map(\.subscriberID) == [staff.subscriber.id])
        let delivery = try #require(due.first)
        #expect(delivery.event == .check)
        #expect(delivery.subjectID == check.id)
        #expect(delivery.oldStatus == "unknown")
        #expect(delivery.newStatus == "failing")
        let detail = try #require(delivery.detail)
        #expect(detail.contains("\"state\":\"failing\""))
        #expect(detail.contains("\"name\":\"local\""))
        let changes = try fixture.sql { try $0.query("SELECT state, at FROM check_state_changes").map { try $0.string(0) } }
        #expect(changes == ["failing"])
    }

    @Test func timeToFirstStatementDatesFromTheFailingSpellUnderWayAtTheFirstUpdate() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        var draft = Self.http(page.api)
        draft.failureThreshold = 1
        let check = try fixture.store.createCheck(draft, by: F.ops, now: F.t0).check
        let firstFailure = F.at(minutes: 2)
        try fixture.store.recordCheckResults([Self.report(.failure, firstFailure, check: check)], now: firstFailure)
        let statement = F.at(minutes: 644)
        try fixture.store.recordCheckResults([Self.report(.failure, statement, check: check)], now: statement)
        let incident = try fixture.store.createIncident(
            IncidentDraft(name: "API down", body: "We are investigating.", componentIDs: [page.api.id]),
            by: F.ops, now: statement)
        let state = try fixture.store.state(now: statement)
        #expect(state.checkFailureBeforeStatement[incident.id] == firstFailure)
        #expect(state.openIncident(listing: page.api.id)?.id == incident.id)
        #expect(state.unacknowledgedFailures(at: statement).isEmpty)
    }

    @Test func aFailureNoIncidentListsIsUnacknowledgedAfterTheGrace() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        var draft = Self.http(page.database)
        draft.failureThreshold = 1
        let check = try fixture.store.createCheck(draft, by: F.ops, now: F.t0).check
        try fixture.store.recordCheckResults([Self.report(.failure, F.t0, check: check)], now: F.t0)
        #expect(try fixture.store.state(now: F.at(minutes: 14.9)).unacknowledgedFailures(at: F.at(minutes: 14.9)).isEmpty)
        let after = F.at(minutes: 15)
        try fixture.store.recordCheckResults([Self.report(.failure, after, check: check)], now: after)
        #expect(try fixture.store.state(now: after).unacknowledgedFailures(at: after).map(\.check.id) == [check.id])
    }

    @Test func anOpenIncidentWithoutAPromiseGetsThePagesOwn() throws {
        let fixture = try TemporaryStore()
        let page = try F.makePage(fixture.store)
        let spoken = F.at(minutes: 10)
        let quiet = try fixture.store.createIncident(
            IncidentDraft(name: "Autogates down", body: "Investigating.", componentIDs: [page.api.id]),
            by: F.ops, now: spoken)
        let promised = try fixture.store.createIncident(
            IncidentDraft(name: "App slow", body: "Looking.", nextUpdateAt: F.at(minutes: 40)), by: F.ops, now: spoken)
        var state = try fixture.store.state(now: F.at(minutes: 20))
        let pageOwn = try #require(state.incidents.first { $0.id == quiet.id })
        #expect(pageOwn.nextUpdateAt == F.at(minutes: 70))
        #expect(pageOwn.promisedBy == .page)
        #expect(pageOwn.isUpdateOverdue(at: F.at(minutes: 71)))
        let staffs = try #require(state.incidents.first { $0.id == promised.id })
        #expect(staffs.nextUpdateAt == F.at(minutes: 40))
        #expect(staffs.promisedBy == .staff)

        _ = try fixture.store.updatePage(PagePatch(maxSilence: 0), by: F.ops, now: F.at(minutes: 20))
        state = try fixture.store.state(now: F.at(minutes: 20))
        #expect(state.incidents.first { $0.id == quiet.id }?.nextUpdateAt == nil)
        F.expectValidation(.invalid, .page(.maxSilence)) {
            _ = try fixture.store.updatePage(PagePatch(maxSilence: -1), by: F.ops, now: F.at(minutes: 20))
        }
    }
}
