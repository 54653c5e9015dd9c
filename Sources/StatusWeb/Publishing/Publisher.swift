import Dispatch
import Foundation
import Logging
import StatusCore

/// The write path and the clock path: every change to the database is followed, before
/// anyone is told it succeeded, by a snapshot that includes it, swapped in atomically; and at
/// the next instant when time alone changes what the page says (a maintenance starting or
/// ending, a promised update becoming overdue, the day rolling over for the uptime bars), the
/// clock path applies those changes and rebuilds.
///
/// Writes are numbered as they commit. A rebuild notes the last number committed, then reads
/// the state, so it covers every write up to that number; a writer returns once a snapshot
/// covering its number is published. Concurrent writers thus share rebuilds (one rebuild
/// after a burst, not one per write), rebuilds are serialised, and a newer snapshot is never
/// replaced by an older one.
public final class Publisher: @unchecked Sendable {
    public let store: Store
    public let snapshots: SnapshotHolder
    /// The one clock of the server: the write path, the clock path, the management API and
    /// the read path's cache lifetimes all ask it; tests drive a `ManualClock`.
    public let clock: any WallClock
    private let maxAge: Int
    private let options: PageOptions
    /// Serialises writes and numbers them; guards `committed`.
    private let writeLock = NSLock()
    private var committed: UInt64 = 0
    /// Serialises rebuilds; guards `published` and `timer`.
    private let rebuildLock = NSLock()
    private var published: UInt64 = 0
    private var timer: DispatchSourceTimer?
    /// Told of every snapshot published (the mirror); guarded by `rebuildLock`.
    private var observers: [@Sendable (Snapshot) -> Void] = []
    private let timerQueue = DispatchQueue(label: "warta.clock")
    /// For `/metrics`; guarded by `statisticsLock`.
    private var counters = Statistics()
    private let statisticsLock = NSLock()

    /// What the publisher has done since it started.
    public struct Statistics: Sendable {
        public var builds = 0
        public var buildSeconds = 0.0
        public var lastBuildSeconds = 0.0
        /// When the last write through `write` committed.
        public var lastWriteAt: Date?
    }

    public var statistics: Statistics { statisticsLock.withLock { counters } }

    /// Builds the first snapshot from `store` (after applying any time-driven change that
    /// fell due while the server was down).
    public init(store: Store, clock: any WallClock, maxAge: Int = 10, options: PageOptions = .standard) throws {
        self.store = store
        self.clock = clock
        self.maxAge = maxAge
        self.options = options
        let instant = clock.now()
        _ = try store.applyTimeDrivenChanges(now: instant)
        snapshots = SnapshotHolder(try Self.build(store: store, now: instant, maxAge: maxAge, options: options))
    }

    /// Runs a write, then returns once a published snapshot includes it, so the very next
    /// read sees the change. The write's error propagates and nothing is rebuilt.
    public func write<T>(_ body: (Store, Date) throws -> T) throws -> T {
        let (result, number) = try commit { store, instant in try body(store, instant) }
        let committedAt = clock.now()
        statisticsLock.withLock { counters.lastWriteAt = committedAt }
        do {
            try publish(through: number)
        } catch {
            // The write is committed: reporting it failed would make a client retry it and
            // post it twice. The page catches up at the clock's retry.
            Self.report("snapshot rebuild after a write failed: \(error)")
            retrySoon()
        }
        return result
    }

    /// The clock path: applies due time-driven changes and rebuilds. Called by the timer,
    /// and by tests after moving their clock.
    public func tick() throws {
        let (_, number) = try commit { store, instant in try store.applyTimeDrivenChanges(now: instant) }
        try publish(through: number, force: true)
    }

    private func commit<T>(_ body: (Store, Date) throws -> T) throws -> (T, UInt64) {
        writeLock.lock()
        defer { writeLock.unlock() }
        let result = try body(store, clock.now())
        committed += 1
        return (result, committed)
    }

    /// Publishes a snapshot covering write `number` unless one already does (`force`: build
    /// anyway, for changes that come from the clock rather than the database).
    private func publish(through number: UInt64, force: Bool = false) throws {
        rebuildLock.lock()
        defer { rebuildLock.unlock() }
        guard force || published < number else { return }
        let covered = writeLock.withLock { committed }
        let started = DispatchTime.now().uptimeNanoseconds
        let snapshot = try Self.build(store: store, now: clock.now(), maxAge: maxAge, options: options,
                                      previous: snapshots.current)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        statisticsLock.withLock {
            counters.builds += 1
            counters.buildSeconds += seconds
            counters.lastBuildSeconds = seconds
        }
        snapshots.replace(snapshot)
        for observer in observers { observer(snapshot) }
        published = max(published, covered)
        if timer != nil { scheduleLocked() }
    }

    /// Calls `observer` with every snapshot published from now on, in order, right after
    /// it is swapped in. It must return quickly (queue work elsewhere).
    public func observe(_ observer: @escaping @Sendable (Snapshot) -> Void) {
        rebuildLock.lock()
        defer { rebuildLock.unlock() }
        observers.append(observer)
    }

    /// Starts the timer that calls `tick()` at each next time-driven change (at least once a
    /// minute, so a changed clock or a missed wake-up heals itself).
    public func startClock() {
        rebuildLock.lock()
        defer { rebuildLock.unlock() }
        scheduleLocked()
    }

    public func stopClock() {
        rebuildLock.lock()
        defer { rebuildLock.unlock() }
        timer?.cancel()
        timer = nil
    }

    /// Re-arms the clock one second from now (after a failure).
    private func retrySoon() {
        rebuildLock.lock()
        defer { rebuildLock.unlock() }
        if timer != nil { scheduleLocked(within: 1) }
    }

    private static let log = Logger(label: "warta.publisher")

    private static func report(_ message: String) {
        log.error("\(message)")
    }

    private func scheduleLocked(within limit: TimeInterval = 60) {
        timer?.cancel()
        let instant = clock.now()
        let next = snapshots.current.nextChange ?? instant.addingTimeInterval(limit)
        let delay = min(max(next.timeIntervalSince(instant), 0.001), limit)
        let timer = DispatchSource.makeTimerSource(queue: timerQueue)
        timer.schedule(deadline: .now() + delay, leeway: .milliseconds(5))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            do {
                try self.tick()
            } catch {
                // A failed tick must not stop the clock: try again shortly.
                Self.report("time-driven update failed: \(error)")
                self.retrySoon()
            }
        }
        timer.resume()
        self.timer = timer
    }

    /// The snapshot of `store` at `now`, with nothing applied or published (for `warta
    /// export`, which must not write).
    public static func build(store: Store, now: Date, maxAge: Int, options: PageOptions,
                             previous: Snapshot? = nil) throws -> Snapshot {
        let state = try store.state(now: now)
        let nextChange = [try store.nextTimeDrivenChange(after: now), nextDay(after: now, in: state.page.timeZone),
                          nextOverdueMinute(state, after: now)]
            .compactMap { $0 }.min()
        return Snapshot.build(from: state, now: now, nextChange: nextChange, maxAge: maxAge, previous: previous,
                              options: options)
    }

    /// While a promised update is overdue the page says by how many minutes, so it changes
    /// each minute: the next whole minute past the promise.
    static func nextOverdueMinute(_ state: StatusState, after now: Date) -> Date? {
        state.incidents.compactMap { incident -> Date? in
            guard incident.isUpdateOverdue(at: now), let due = incident.nextUpdateAt else { return nil }
            let minutes = (now.timeIntervalSince(due) / 60).rounded(.down) + 1
            return due.addingTimeInterval(minutes * 60)
        }.min()
    }

    /// The next midnight in the page's zone: the uptime bars gain a day.
    static func nextDay(after now: Date, in timeZoneIdentifier: String) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZoneIdentifier) ?? TimeZone(identifier: "UTC")!
        return calendar.nextDate(after: now, matching: DateComponents(hour: 0, minute: 0, second: 0),
                                 matchingPolicy: .nextTime)
    }
}
