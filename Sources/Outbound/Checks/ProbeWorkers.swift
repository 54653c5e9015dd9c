import Foundation

/// The threads probes block on: at most `limit` run at once, the rest wait their turn in
/// the order given. Threads start as work arrives (never more than the busiest moment
/// needed) and wait for more until `stop()`.
final class ProbeWorkers: @unchecked Sendable {
    private let limit: Int
    private let name: String
    /// Guards everything below, and wakes idle threads.
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var threads = 0
    private var idle = 0
    private var stopped = false

    init(limit: Int, name: String) {
        self.limit = max(1, limit)
        self.name = name
    }

    /// Runs `job` on a worker thread, now if one is free.
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        queue.append(job)
        // More jobs waiting than idle threads to take them: one more thread, within the limit.
        if queue.count > idle, threads < limit {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.name = name
            thread.start()
        }
        condition.signal()
    }

    /// Ends every thread once the jobs already given have run.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            if !queue.isEmpty {
                let job = queue.removeFirst()
                condition.unlock()
                job()
                condition.lock()
                continue
            }
            if stopped { break }
            idle += 1
            condition.wait()
            idle -= 1
        }
        threads -= 1
        condition.unlock()
    }
}
