import Foundation
import Logging
import StatusCore

/// Carries a remote prober's results to its server on a thread of its own, so a slow or
/// absent server never holds up probing.
///
/// A post that gets no answer, or one that says to try again (408, 429, 5xx), is retried
/// after `firstRetry`, the wait doubling, until `attempts` posts were made; then the result
/// is dropped with a log line: by then the check has been probed again. Any other answer
/// outside 2xx drops it at once (a deleted check answers 404; a refused token, 401). While
/// the server is away, at most `queueLimit` results wait, the oldest dropped first.
///
/// Every time it reads comes from the injected clock: tests drive a `ManualClock` and call
/// `uploadDue()` instead of waiting for retries.
public final class ResultUploader: @unchecked Sendable {
    public struct Policy: Sendable {
        /// Posts of one result before it is dropped.
        public var attempts: Int
        /// The wait before the first retry; each later one doubles.
        public var firstRetry: TimeInterval
        /// Results waiting at most.
        public var queueLimit: Int
        /// Posts sent at once.
        public var concurrency: Int

        public init(attempts: Int = 4, firstRetry: TimeInterval = 2, queueLimit: Int = 10_000, concurrency: Int = 32) {
            self.attempts = attempts
            self.firstRetry = firstRetry
            self.queueLimit = queueLimit
            self.concurrency = concurrency
        }
    }

    /// What the uploader has done since it started.
    public struct Counts: Sendable, Equatable {
        public var delivered: Int
        /// Posts that failed and are tried again.
        public var retried: Int
        public var dropped: Int

        public init(delivered: Int = 0, retried: Int = 0, dropped: Int = 0) {
            self.delivered = delivered
            self.retried = retried
            self.dropped = dropped
        }
    }

    private struct Item {
        var result: CheckResult
        var attempts = 0
        var retryAt: Date
    }

    private let client: ManagementClient
    private let pageID: String
    private let clock: any WallClock
    private let policy: Policy
    private let log = Logger(label: "warta.probe")
    private let thread = RoundThread(name: "probe-results")
    /// Guards everything below.
    private let lock = NSLock()
    private var queue: [Item] = []
    private var counts = Counts()

    public init(client: ManagementClient, pageID: String, clock: any WallClock = SystemClock(),
                policy: Policy = Policy()) {
        self.client = client
        self.pageID = pageID
        self.clock = clock
        self.policy = policy
    }

    public var statistics: Counts {
        lock.withLock { counts }
    }

    /// Results waiting to be posted, retries included.
    public var waiting: Int {
        lock.withLock { queue.count }
    }

    /// Queues `results` to be posted now.
    public func enqueue(_ results: [CheckResult]) {
        guard !results.isEmpty else { return }
        let now = clock.now()
        let overflow: Int = lock.withLock {
            queue += results.map { Item(result: $0, retryAt: now) }
            let overflow = max(0, queue.count - policy.queueLimit)
            queue.removeFirst(overflow)
            counts.dropped += overflow
            return overflow
        }
        if overflow > 0 {
            log.warning("results dropped: the server has not taken them", metadata: ["count": "\(overflow)"])
        }
        thread.wake()
    }

    /// One round at the clock's current time: posts every result due, `concurrency` at a
    /// time, and settles each outcome; returns how many it posted.
    @discardableResult
    public func uploadDue() -> Int {
        let now = clock.now()
        let due: [Item] = lock.withLock {
            let due = queue.filter { $0.retryAt <= now }
            queue.removeAll { $0.retryAt <= now }
            return due
        }
        var start = 0
        while start < due.count {
            let chunk = Array(due[start..<min(due.count, start + policy.concurrency)])
            start += chunk.count
            let outcomes = client.post(chunk.map(\.result), pageID: pageID)
            for (item, outcome) in zip(chunk, outcomes) { settle(item, outcome) }
        }
        return due.count
    }

    private func settle(_ item: Item, _ outcome: Result<Int, OutboundFailure>) {
        var item = item
        item.attempts += 1
        let reason: String
        switch outcome {
        case .success(let status) where (200..<300).contains(status):
            lock.withLock { counts.delivered += 1 }
            return
        case .success(let status) where status == 408 || status == 429 || status >= 500:
            reason = "HTTP \(status)"
        case .success(let status):
            drop(item, reason: "HTTP \(status)")
            return
        case .failure(let failure):
            reason = failure.description
        }
        guard item.attempts < policy.attempts else {
            drop(item, reason: reason)
            return
        }
        item.retryAt = clock.now().addingTimeInterval(policy.firstRetry * pow(2, Double(item.attempts - 1)))
        lock.withLock {
            queue.append(item)
            counts.retried += 1
        }
    }

    private func drop(_ item: Item, reason: String) {
        lock.withLock { counts.dropped += 1 }
        log.warning("result dropped", metadata: [
            "check": "\(item.result.checkID)", "location": "\(item.result.location)",
            "attempts": "\(item.attempts)", "error": "\(reason)",
        ])
    }

    // MARK: Running

    /// Posts on a thread of its own until `stop()`.
    public func start() {
        thread.start(round: { [self] in
            uploadDue()
            let now = clock.now()
            // At least once a minute, so a changed clock or a missed wake-up heals itself.
            guard let next = lock.withLock({ queue.map(\.retryAt).min() }) else { return 60 }
            return min(60, next.timeIntervalSince(now))
        }, last: { [self] in uploadDue() })
    }

    /// Stops after one last round for what is due, so results probed just before a
    /// shutdown still arrive when the server is there.
    public func stop() {
        thread.stop()
    }
}
