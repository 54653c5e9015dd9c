import Foundation
import Logging
import StatusCore

/// `serve --mirror DIR --mirror-hook CMD`: after the mirror folder is written, runs the
/// operator's command (`rclone sync "$WARTA_MIRROR_DIR" remote:status`, an `rsync` to another
/// machine) so the copy elsewhere follows.
///
/// - It never blocks the server: `requested()` only marks that the folder changed; the
///   command runs on a thread of its own.
/// - Overlapping runs are merged: any number of writes while the command runs lead to one
///   more run after it, which copies the newest folder.
/// - A failure (a status other than 0, a signal, the deadline) is logged with the command's
///   last line of output and retried with the outboxes' backoff, 5 s doubling to 10 min.
///   Writes during the wait do not cut it short: a broken remote is not hammered by a busy
///   incident. A success resets it.
public final class MirrorHook: @unchecked Sendable {
    /// The settings of one hook.
    public struct Settings: Sendable {
        /// The shell command, run by `/bin/sh -c`.
        public var command: String
        /// The mirror folder, passed as `WARTA_MIRROR_DIR`.
        public var directory: String
        /// The longest one run may take before its process group is killed.
        public var timeout: TimeInterval
        /// The wait after the first failure; it doubles with each failure after it.
        public var firstRetry: TimeInterval
        /// The longest wait between retries.
        public var longestRetry: TimeInterval

        public init(command: String, directory: String, timeout: TimeInterval = 600,
                    firstRetry: TimeInterval = 5, longestRetry: TimeInterval = 600) {
            self.command = command
            self.directory = directory
            self.timeout = timeout
            self.firstRetry = firstRetry
            self.longestRetry = longestRetry
        }
    }

    /// What the hook has done, for `/metrics` and the log.
    public struct Counts: Sendable, Equatable {
        public var succeeded = 0
        public var failed = 0
        /// When the last run that succeeded ended.
        public var lastSuccess: Date?
        /// Failures since the last success.
        public var failingFor = 0
    }

    private let settings: Settings
    private let clock: any WallClock
    private let thread = OutboxThread(name: "warta.mirror-hook")
    private let log = Logger(label: "warta.mirror")
    /// Guards every property below.
    private let lock = NSLock()
    /// The folder changed since the last run started.
    private var pending = false
    /// No run before this moment (after a failure).
    private var notBefore: Date?
    private var counts = Counts()

    public init(_ settings: Settings, clock: any WallClock) {
        self.settings = settings
        self.clock = clock
    }

    /// Runs the hook on its own thread until `stop()`.
    public func start() {
        thread.start { [self] in runDue() }
    }

    public func stop() {
        thread.stop()
    }

    /// The mirror folder was written: the hook should run (soon, or after the run under way).
    /// Returns at once.
    public func requested() {
        lock.withLock { pending = true }
        thread.wake()
    }

    public var currentCounts: Counts {
        lock.withLock { counts }
    }

    /// Runs the command once if a run is due, on the caller's thread, and returns the seconds
    /// until the next one may be (`OutboxThread.longestWait` when none is asked for).
    @discardableResult
    func runDue() -> TimeInterval {
        let now = clock.now()
        let due: Bool = lock.withLock {
            guard pending else { return false }
            if let notBefore, notBefore > now { return false }
            pending = false
            return true
        }
        guard due else {
            return lock.withLock { notBefore.map { max(0, $0.timeIntervalSince(now)) } ?? OutboxThread.longestWait }
        }
        let started = Date()
        let outcome = HookCommand(command: settings.command, directory: settings.directory, timeout: settings.timeout).run()
        let seconds = Date().timeIntervalSince(started)
        let ended = clock.now()
        return lock.withLock {
            if outcome == .succeeded {
                counts.succeeded += 1
                counts.lastSuccess = ended
                counts.failingFor = 0
                notBefore = nil
                log.info("mirror hook succeeded", metadata: ["seconds": "\(String(format: "%.2f", seconds))"])
                return pending ? 0 : OutboxThread.longestWait
            }
            counts.failed += 1
            counts.failingFor += 1
            // The copy elsewhere is behind until a run succeeds, whether or not more writes come.
            pending = true
            let wait = OutboxThread.backoff(afterAttempt: counts.failingFor, first: settings.firstRetry,
                                            maximum: settings.longestRetry)
            notBefore = ended.addingTimeInterval(wait)
            log.error("mirror hook failed", metadata: [
                "error": "\(outcome.description)", "attempt": "\(counts.failingFor)",
                "retry_in": "\(Int(wait.rounded(.up)))s",
            ])
            return wait
        }
    }
}
