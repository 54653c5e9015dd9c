import Dispatch
import Foundation
import Logging
import StatusCore

/// Probes every http and tcp check once per its interval from one location, and hands the
/// results on in batches.
///
/// A check is first probed when the scheduler first sees it, then every `interval` seconds
/// after that. Checks first seen together (all of them, when the prober starts) spread their
/// first probes evenly over their interval, so 500 checks with the same interval fire one
/// after another instead of in one instant, and stay spread; a check created alone is probed
/// at once. Probes block on a bounded pool of worker threads: a slow target holds one worker
/// until its timeout and delays other checks only when the whole pool is busy. A check still
/// being probed when it falls due again is not probed twice, and a round missed is skipped,
/// not made up in a burst.
///
/// The checks come from a closure, read again every `refreshInterval`, so new, changed and
/// deleted checks take effect without a restart (a check deleted mid-probe has its result
/// dropped); when it throws, the last list is kept. Heartbeat checks are left out: the
/// server counts their beats.
///
/// Every instant comes from the injected clock. `start()`/`stop()` run it on a thread of its
/// own that sleeps until the next probe falls due; tests drive a `ManualClock` and call
/// `runDue()` instead.
public final class ProbeScheduler: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Probes running at once; more wait their turn.
        public var concurrency: Int
        /// Seconds between readings of the list of checks.
        public var refreshInterval: TimeInterval
        /// Seconds results gather before they are handed on together (under `start()`; a
        /// `runDue()` round hands on its own results at once), so the receiver writes one
        /// transaction a second rather than one a probe.
        public var batchInterval: TimeInterval

        public init(concurrency: Int = 32, refreshInterval: TimeInterval = 5, batchInterval: TimeInterval = 1) {
            self.concurrency = concurrency
            self.refreshInterval = refreshInterval
            self.batchInterval = batchInterval
        }
    }

    /// The name results are reported under.
    public let location: String
    private let prober: Prober
    private let clock: any WallClock
    private let configuration: Configuration
    private let checks: @Sendable () throws -> [Check]
    private let deliver: @Sendable ([CheckResult]) -> Void
    private let workers: ProbeWorkers
    private let log = Logger(label: "warta.probe")

    /// One scheduled check.
    private struct Entry {
        var check: Check
        /// Milliseconds since 1970 of its next probe.
        var nextDue: Int64
        var inFlight = false
    }

    /// Under `start()`: woken by the first result of a batch.
    private let thread = RoundThread(name: "probe-scheduler")
    /// Guards everything below.
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var nextRefresh: Date?
    private var pending: [CheckResult] = []
    private var lastDelivery: Date?

    /// - Parameters:
    ///   - location: the name results are reported under (`local` for the server's own).
    ///   - checks: the current checks; called on the scheduler's thread, so it should not
    ///     block for long (a remote prober returns the list it last fetched).
    ///   - deliver: gets each batch of results, on the scheduler's thread; what takes long
    ///     (a network round trip) belongs on another one.
    public init(location: String, prober: Prober, clock: any WallClock = SystemClock(),
                configuration: Configuration = Configuration(),
                checks: @escaping @Sendable () throws -> [Check],
                deliver: @escaping @Sendable ([CheckResult]) -> Void) {
        self.location = location
        self.prober = prober
        self.clock = clock
        self.configuration = configuration
        self.checks = checks
        self.deliver = deliver
        workers = ProbeWorkers(limit: configuration.concurrency, name: "probe")
    }

    // MARK: Running

    /// Probes on a thread of its own until `stop()`.
    public func start() {
        thread.start(round: { [self] in round() }, last: { [self] in
            let rest = lock.withLock {
                defer { pending = [] }
                return pending
            }
            if !rest.isEmpty { deliver(rest) }
        })
    }

    /// Stops scheduling and returns once what the scheduler holds is handed on; probes under
    /// way finish on their own and their results are dropped.
    public func stop() {
        thread.stop()
        workers.stop()
    }

    /// One round at the clock's current time, for tests: reads the checks if their time
    /// has come, probes every check due, waits for all of them, hands the results on in one
    /// batch (when there are any) and returns them, in the order the checks fell due.
    @discardableResult
    public func runDue() -> [CheckResult] {
        let now = clock.now()
        refreshIfDue(now)
        let due = takeDue(now)
        guard !due.isEmpty else { return [] }
        let group = DispatchGroup()
        let collected = ResultSlots(count: due.count)
        for (index, check) in due.enumerated() {
            group.enter()
            workers.submit { [self] in
                collected.set(index, probe(check))
                group.leave()
            }
        }
        group.wait()
        let results = collected.results
        if !results.isEmpty { deliver(results) }
        return results
    }

    /// One round under `start()`: hands the due probes to the workers, whose results gather
    /// for the next batch; returns the seconds until something is due.
    private func round() -> TimeInterval {
        let now = clock.now()
        refreshIfDue(now)
        for check in takeDue(now) {
            workers.submit { [self] in
                guard let result = probe(check) else { return }
                let first = lock.withLock {
                    pending.append(result)
                    return pending.count == 1
                }
                if first { thread.wake() }
            }
        }
        deliverIfDue(now)
        return max(Self.shortestWait, wait(after: now))
    }

    /// The shortest sleep between rounds: probes due within it go together, so 500 checks
    /// spread over 10 s wake the scheduler 20 times a second, not 50; none is probed more
    /// than this late.
    static let shortestWait: TimeInterval = 0.05

    /// Seconds until something is due: a probe, the next reading of the checks, a batch.
    private func wait(after now: Date) -> TimeInterval {
        lock.withLock {
            var next = nextRefresh ?? now
            if let due = entries.values.lazy.filter({ !$0.inFlight }).map(\.nextDue).min() {
                next = min(next, Date(timeIntervalSince1970: TimeInterval(due) / 1000))
            }
            if !pending.isEmpty {
                next = min(next, (lastDelivery ?? now).addingTimeInterval(configuration.batchInterval))
            }
            return max(0, next.timeIntervalSince(now))
        }
    }

    private func deliverIfDue(_ now: Date) {
        let batch: [CheckResult] = lock.withLock {
            guard !pending.isEmpty else { return [] }
            if let lastDelivery, now.timeIntervalSince(lastDelivery) < configuration.batchInterval { return [] }
            lastDelivery = now
            defer { pending = [] }
            return pending
        }
        if !batch.isEmpty { deliver(batch) }
    }

    // MARK: Schedule

    /// Probes `check` at the clock's time and marks it done; nil when it was deleted meanwhile.
    private func probe(_ check: Check) -> CheckResult? {
        let report = prober.probe(check, at: clock.now())
        return lock.withLock {
            guard entries[check.id] != nil else { return nil }
            entries[check.id]?.inFlight = false
            return CheckResult(checkID: check.id, location: location, report: report)
        }
    }

    private func refreshIfDue(_ now: Date) {
        let due = lock.withLock {
            guard nextRefresh.map({ now >= $0 }) ?? true else { return false }
            nextRefresh = now.addingTimeInterval(configuration.refreshInterval)
            return true
        }
        guard due else { return }
        let current: [Check]
        do {
            current = try checks()
        } catch {
            log.warning("checks could not be read; probing the last list", metadata: ["error": "\(error)"])
            return
        }
        let nowMilliseconds = Self.milliseconds(now)
        let probed = current.filter { $0.kind != .heartbeat }
        lock.withLock {
            var next: [String: Entry] = [:]
            var unseen: [Check] = []
            for check in probed {
                guard var entry = entries[check.id] else {
                    unseen.append(check)
                    continue
                }
                // A shorter interval applies from now; any other change at the next probe.
                if entry.check.interval != check.interval {
                    entry.nextDue = min(entry.nextDue, nowMilliseconds + Self.milliseconds(check))
                }
                entry.check = check
                next[check.id] = entry
            }
            for (index, check) in unseen.enumerated() {
                let offset = Int64(index) * Self.milliseconds(check) / Int64(unseen.count)
                next[check.id] = Entry(check: check, nextDue: nowMilliseconds + offset)
            }
            entries = next
        }
    }

    /// The checks due at `now`, in the order they fell due, each marked in flight and given
    /// its next probe, an interval after this one's due time or, when rounds were missed, the
    /// first such instant after `now`.
    private func takeDue(_ now: Date) -> [Check] {
        let nowMilliseconds = Self.milliseconds(now)
        return lock.withLock {
            let due = entries.values.filter { !$0.inFlight && $0.nextDue <= nowMilliseconds }
                .sorted { ($0.nextDue, $0.check.id) < ($1.nextDue, $1.check.id) }
            for entry in due {
                let interval = Self.milliseconds(entry.check)
                var next = entry.nextDue + interval
                if next <= nowMilliseconds { next += ((nowMilliseconds - next) / interval + 1) * interval }
                entries[entry.check.id]?.inFlight = true
                entries[entry.check.id]?.nextDue = next
            }
            return due.map(\.check)
        }
    }

    /// A check's interval in milliseconds.
    private static func milliseconds(_ check: Check) -> Int64 {
        Int64(max(1, check.interval)) * 1000
    }

    /// Milliseconds since 1970.
    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

/// One slot per probe of a round, filled from the worker threads.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [CheckResult?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ result: CheckResult?) {
        lock.withLock { slots[index] = result }
    }

    var results: [CheckResult] {
        lock.withLock { slots.compactMap { $0 } }
    }
}
