import Dispatch
import Foundation

/// The thread an outbox sender runs on: it runs a round, waits as long as the round asks
/// (at most a minute, so a changed clock or a missed wake-up heals itself), and again, until
/// stopped. `wake()` cuts a wait short, after a write queued something.
final class OutboxThread: @unchecked Sendable {
    /// The longest wait between rounds.
    static let longestWait: TimeInterval = 60

    private let name: String
    private let wakeUp = DispatchSemaphore(value: 0)
    /// Guards `stopped`.
    private let lock = NSLock()
    private var stopped = false

    init(name: String) {
        self.name = name
    }

    /// Starts the thread; `round` returns the seconds to wait before the next round.
    func start(_ round: @escaping @Sendable () -> TimeInterval) {
        let thread = Thread { [self] in
            while !lock.withLock({ stopped }) {
                let wait = min(Self.longestWait, round())
                if wait > 0 {
                    _ = wakeUp.wait(timeout: .now() + .milliseconds(Int(wait * 1000) + 1))
                }
            }
        }
        thread.name = name
        thread.start()
    }

    func wake() {
        wakeUp.signal()
    }

    func stop() {
        lock.withLock { stopped = true }
        wakeUp.signal()
    }

    /// The wait after the attempt numbered `attempt` (1 for the first) failed: `first`,
    /// doubling with each failure, never more than `maximum`. Both outboxes retry this way.
    static func backoff(afterAttempt attempt: Int, first: TimeInterval, maximum: TimeInterval) -> TimeInterval {
        min(maximum, first * pow(2, Double(min(max(attempt - 1, 0), 40))))
    }
}
