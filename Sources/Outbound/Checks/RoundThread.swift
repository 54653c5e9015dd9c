import Dispatch
import Foundation

/// A thread of its own that runs rounds until stopped: each round returns how many seconds
/// may pass before the next, and `wake()` cuts the wait short. The scheduler, the result
/// uploader and the remote check list each run on one. The rounds are held by the thread
/// alone, so an owner they refer to is released once the thread ends.
final class RoundThread: @unchecked Sendable {
    private let name: String
    private let lock = NSLock()
    private var started = false
    private var stopped = false
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(name: String) {
        self.name = name
    }

    /// Starts the thread (once; later calls do nothing).
    ///
    /// - Parameters:
    ///   - firstAfter: seconds before the first round.
    ///   - round: one round; returns the seconds until the next is due.
    ///   - last: run once after the last round, before `stop()` returns.
    func start(firstAfter: TimeInterval = 0, round: @escaping @Sendable () -> TimeInterval,
               last: @escaping @Sendable () -> Void = {}) {
        guard lock.withLock({ () -> Bool in
            defer { started = true }
            return !started && !stopped
        }) else { return }
        let thread = Thread { [self] in
            var wait = firstAfter
            while !isStopped {
                if wait > 0 {
                    _ = wakeUp.wait(timeout: .now() + .milliseconds(Int(wait * 1000) + 1))
                    if isStopped { break }
                }
                wait = round()
            }
            last()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    private var isStopped: Bool {
        lock.withLock { stopped }
    }

    /// Asks for the next round now.
    func wake() {
        wakeUp.signal()
    }

    /// Ends the rounds; returns once the thread has run `last` (at once when it never ran,
    /// or was stopped before).
    func stop() {
        let running = lock.withLock { () -> Bool in
            defer { stopped = true }
            return started && !stopped
        }
        guard running else { return }
        wakeUp.signal()
        finished.wait()
    }
}
