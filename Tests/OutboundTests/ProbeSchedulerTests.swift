import Foundation
import Outbound
import StatusCore
import Synchronization
import TestSupport
import Testing

/// The scheduler with a manual clock: each round is `runDue()` at an instant the test sets,
/// probing real listeners on 127.0.0.1.
@Suite struct ProbeSchedulerTests {
    static let base = instant("2024-06-20T04:15:00Z")

    @Test func aCheckIsProbedWhenFirstSeenThenOncePerInterval() throws {
        let listener = try RawListener()
        let check = Check.tcp("tcp://127.0.0.1:\(listener.port)")
        let heartbeat = Check.make(kind: .heartbeat, url: nil)
        let fixture = SchedulerFixture(checks: [check, heartbeat])

        let results = fixture.scheduler.runDue()
        #expect(results == [CheckResult(checkID: check.id, location: "jakarta-2",
                                        report: ProbeReport(outcome: .success, at: Self.base,
                                                            latencyMilliseconds: results.first?.report.latencyMilliseconds,
                                                            detail: "connected"))])
        for (offset, probed) in [(5.0, false), (9.999, false), (10, true), (15, false), (20, true)] {
            fixture.clock.set(Self.base.addingTimeInterval(offset))
            #expect(fixture.scheduler.runDue().map(\.checkID) == (probed ? [check.id] : []), "at +\(offset) s")
        }
        #expect(fixture.batches.count == 3)
    }

    /// A round missed (the prober was busy or asleep) is skipped, not made up in a burst.
    @Test func aMissedRoundIsNotMadeUp() throws {
        let listener = try RawListener()
        let fixture = SchedulerFixture(checks: [Check.tcp("tcp://127.0.0.1:\(listener.port)")])
        #expect(fixture.scheduler.runDue().count == 1)
        for (offset, count) in [(35.0, 1), (39.999, 0), (40, 1)] {
            fixture.clock.set(Self.base.addingTimeInterval(offset))
            #expect(fixture.scheduler.runDue().count == count, "at +\(offset) s")
        }
    }

    /// 100 checks seen together (as when the prober starts), a 10 s interval, rounds a second
    /// apart: each is probed exactly once, ten or fewer a second; a second interval the same.
    @Test func checksSeenTogetherSpreadOverTheirInterval() throws {
        let listener = try RawListener(backlog: 256)
        listener.acceptAndClose()
        let checks = (0..<100).map { Check.make(id: String(format: "spread%06d", $0), kind: .tcp,
                                                url: "tcp://127.0.0.1:\(listener.port)") }
        let fixture = SchedulerFixture(checks: checks)
        for start in [Self.base, Self.base.addingTimeInterval(10)] {
            let rounds = fixture.roundsOverOneInterval(from: start)
            #expect(rounds.flatMap { $0.map(\.checkID) }.sorted() == checks.map(\.id))
            #expect(rounds.map(\.count) == [1, 10, 10, 10, 10, 10, 10, 10, 10, 10, 9])
        }
    }

    /// Seven checks fall due together with room for three probes at once: the listener holds
    /// each connection until the test answers one, and never holds more than three.
    @Test func noMoreThanTheConcurrencyRunAtOnce() throws {
        let listener = try RawListener()
        listener.acceptAndHold()
        var checks: [Check] = []
        for index in 0..<7 {
            var check = Check.make(id: String(format: "pool%08d", index), kind: .http,
                                   url: "http://127.0.0.1:\(listener.port)/", interval: 60)
            check.timeout = 30
            checks.append(check)
        }
        let fixture = SchedulerFixture(checks: checks, concurrency: 3)
        // Seen together, they spread over the minute: the first now, the rest later.
        let first = RoundInBackground(fixture.scheduler)
        #expect(listener.waitUntilAccepted(1))
        try listener.answerOldest()
        #expect(first.results()?.map(\.checkID) == ["pool00000000"])

        fixture.clock.set(Self.base.addingTimeInterval(60))
        let round = RoundInBackground(fixture.scheduler)

        for answered in 0..<7 {
            #expect(listener.waitUntilAccepted(1 + min(7, answered + 3)))
            #expect(listener.counts.held == min(3, 7 - answered))
            try listener.answerOldest()
        }
        let results = try #require(round.results())
        #expect(results.count == 7)
        #expect(results.allSatisfy { $0.report.outcome == .success && $0.report.detail == "HTTP 200" })
        #expect(listener.counts.accepted == 8 && listener.counts.mostHeld == 3)
    }

    /// Checks seen together spread over the minute; a minute on, they are all due at once.
    @Test func aRoundsResultsAreHandedOnInOneBatch() throws {
        let listener = try RawListener()
        let closedPort = try RawListener.closedPort()
        let checks = (0..<3).map { Check.make(id: "batch\($0)", kind: .tcp, url: "tcp://127.0.0.1:\(listener.port)", interval: 60) }
            + [Check.make(id: "batch-down", kind: .tcp, url: "tcp://127.0.0.1:\(closedPort)", interval: 60)]
        let fixture = SchedulerFixture(checks: checks)
        #expect(fixture.scheduler.runDue().map(\.checkID) == ["batch0"])
        fixture.batches.removeAll()
        fixture.clock.set(Self.base.addingTimeInterval(60))
        let results = fixture.scheduler.runDue()
        #expect(fixture.batches == [results])
        #expect(Set(results.map(\.checkID)) == Set(checks.map(\.id)))
        #expect(results.allSatisfy { $0.location == "jakarta-2" && $0.report.at == Self.base.addingTimeInterval(60) })
        #expect(results.first { $0.checkID == "batch-down" }?.report.detail == "connection refused")
    }

    @Test func aDeletedCheckStopsAndAChangedOneTakesEffect() throws {
        let listener = try RawListener()
        let closedPort = try RawListener.closedPort()
        var kept = Check.make(id: "kept00000001", kind: .tcp, url: "tcp://127.0.0.1:\(listener.port)")
        let deleted = Check.make(id: "deleted00001", kind: .tcp, url: "tcp://127.0.0.1:\(listener.port)")
        let fixture = SchedulerFixture(checks: [kept, deleted])
        let probed = fixture.roundsOverOneInterval(from: Self.base).joined().map(\.checkID)
        #expect(probed.sorted() == ["deleted00001", "kept00000001"])

        kept.url = "tcp://127.0.0.1:\(closedPort)"
        fixture.checks.withLock { $0 = [kept] }
        let results = Array(fixture.roundsOverOneInterval(from: Self.base.addingTimeInterval(10)).joined())
        #expect(results.map(\.checkID) == ["kept00000001"])
        #expect(results.first?.report.detail == "connection refused")
    }

    /// The server that lists the checks may be away; the scheduler goes on with what it had.
    @Test func aFailedReadingKeepsTheLastList() throws {
        let listener = try RawListener()
        let check = Check.tcp("tcp://127.0.0.1:\(listener.port)")
        let fixture = SchedulerFixture(checks: [check])
        #expect(fixture.scheduler.runDue().count == 1)
        fixture.failReading.withLock { $0 = true }
        fixture.clock.set(Self.base.addingTimeInterval(10))
        #expect(fixture.scheduler.runDue().map(\.checkID) == [check.id])
        #expect(fixture.readings.withLock { $0 } == 2)
    }

    /// On its own thread, a check due at the clock's time is probed and its result handed on
    /// without anyone calling `runDue()`.
    @Test func startedItProbesAndDeliversOnItsOwn() throws {
        let listener = try RawListener()
        let check = Check.tcp("tcp://127.0.0.1:\(listener.port)")
        let fixture = SchedulerFixture(checks: [check])
        fixture.scheduler.start()
        #expect(fixture.delivered.wait(timeout: .now() + 10) == .success)
        fixture.scheduler.stop()
        #expect(fixture.batches.map { $0.map(\.checkID) } == [[check.id]])
    }
}

/// A scheduler for location `jakarta-2` over a list the test changes, recording each batch.
final class SchedulerFixture: @unchecked Sendable {
    let clock = ManualClock(ProbeSchedulerTests.base)
    let checks: Mutex<[Check]>
    let failReading = Mutex(false)
    let readings = Mutex(0)
    private let recorded = Mutex<[[CheckResult]]>([])
    let delivered = DispatchSemaphore(value: 0)
    private(set) var scheduler: ProbeScheduler!

    init(checks: [Check], concurrency: Int = 8) {
        self.checks = Mutex(checks)
        scheduler = ProbeScheduler(
            location: "jakarta-2", prober: Prober(clock: clock), clock: clock,
            configuration: ProbeScheduler.Configuration(concurrency: concurrency),
            checks: { [self] in
                readings.withLock { $0 += 1 }
                if failReading.withLock({ $0 }) { throw ProbeTestFailure("server away") }
                return self.checks.withLock { $0 }
            },
            deliver: { [self] batch in
                recorded.withLock { $0.append(batch) }
                delivered.signal()
            })
    }

    deinit { scheduler.stop() }

    /// Rounds over the 10 s from `start`: at each whole second and at the last millisecond,
    /// so a check with a 10 s interval falls due in exactly one of them.
    func roundsOverOneInterval(from start: Date) -> [[CheckResult]] {
        (Array(0..<10).map(TimeInterval.init) + [9.999]).map { offset in
            clock.set(start.addingTimeInterval(offset))
            return scheduler.runDue()
        }
    }

    var batches: [[CheckResult]] {
        get { recorded.withLock { $0 } }
        set { recorded.withLock { $0 = newValue } }
    }
}

/// `runDue()` on a thread of its own, while the test plays the targets.
final class RoundInBackground: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Mutex<[CheckResult]?>(nil)

    init(_ scheduler: ProbeScheduler) {
        Thread { [self] in
            let results = scheduler.runDue()
            outcome.withLock { $0 = results }
            done.signal()
        }.start()
    }

    /// The round's results, once it ends (nil if it has not within 30 s).
    func results() -> [CheckResult]? {
        guard done.wait(timeout: .now() + 30) == .success else { return nil }
        return outcome.withLock { $0 }
    }
}
