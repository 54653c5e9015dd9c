import Dispatch
import Foundation
import StatusCore

/// The write path and the clock path, serialised: every change to the database is followed,
/// before anyone is told it succeeded, by a new snapshot swapped in atomically; and at the
/// next instant when time alone changes what the page says (a maintenance starting or ending,
/// a promised update becoming overdue, the day rolling over for the uptime bars), the clock
/// path applies those changes and rebuilds.
///
/// One lock covers "write, read state, build, swap", so a slower writer can never replace a
/// newer snapshot with an older one.
public final class Publisher: @unchecked Sendable {
    public let store: Store
    public let snapshots: SnapshotHolder
    /// The clock; tests drive it.
    private let now: @Sendable () -> Date
    private let maxAge: Int
    /// Serialises writes and rebuilds. Guards `timer` too.
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private let timerQueue = DispatchQueue(label: "warta.clock")

    /// Builds the first snapshot from `store` (after applying any time-driven change that
    /// fell due while the server was down).
    public init(store: Store, maxAge: Int = 10, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.store = store
        self.now = now
        self.maxAge = maxAge
        let instant = now()
        _ = try store.applyTimeDrivenChanges(now: instant)
        snapshots = SnapshotHolder(try Self.build(store: store, now: instant, maxAge: maxAge))
    }

    /// Runs a write, then rebuilds and swaps the snapshot before returning, so the very next
    /// read sees the change. The write's error propagates and nothing is rebuilt.
    public func write<T>(_ body: (Store, Date) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let instant = now()
        let result = try body(store, instant)
        try rebuildLocked(now: instant)
        return result
    }

    /// The clock path: applies due time-driven changes and rebuilds. Called by the timer,
    /// and by tests after moving their clock.
    public func tick() throws {
        lock.lock()
        defer { lock.unlock() }
        let instant = now()
        _ = try store.applyTimeDrivenChanges(now: instant)
        try rebuildLocked(now: instant)
    }

    /// Starts the timer that calls `tick()` at each next time-driven change (at least once a
    /// minute, so a changed clock or a missed wake-up heals itself).
    public func startClock() {
        lock.lock()
        defer { lock.unlock() }
        scheduleLocked()
    }

    public func stopClock() {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
    }

    private func rebuildLocked(now instant: Date) throws {
        snapshots.replace(try Self.build(store: store, now: instant, maxAge: maxAge))
        if timer != nil { scheduleLocked() }
    }

    private func scheduleLocked() {
        timer?.cancel()
        let instant = now()
        let next = snapshots.current.nextChange ?? instant.addingTimeInterval(60)
        let delay = min(max(next.timeIntervalSince(instant), 0.001), 60)
        let timer = DispatchSource.makeTimerSource(queue: timerQueue)
        timer.schedule(deadline: .now() + delay, leeway: .milliseconds(5))
        timer.setEventHandler { [weak self] in
            try? self?.tick()
        }
        timer.resume()
        self.timer = timer
    }

    private static func build(store: Store, now: Date, maxAge: Int) throws -> Snapshot {
        let state = try store.state(now: now)
        let nextChange = [try store.nextTimeDrivenChange(after: now), nextDay(after: now, in: state.page.timeZone)]
            .compactMap { $0 }.min()
        return Snapshot.build(from: state, now: now, nextChange: nextChange, maxAge: maxAge)
    }

    /// The next midnight in the page's zone: the uptime bars gain a day.
    static func nextDay(after now: Date, in timeZoneIdentifier: String) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZoneIdentifier) ?? TimeZone(identifier: "UTC")!
        return calendar.nextDate(after: now, matching: DateComponents(hour: 0, minute: 0, second: 0),
                                 matchingPolicy: .nextTime)
    }
}
