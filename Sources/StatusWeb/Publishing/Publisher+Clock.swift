import Dispatch
import Foundation
import StatusCore

/// The clock path: some of what the page says changes with time alone (a maintenance window
/// starts or ends, a promised update falls overdue, the day rolls over for the uptime bars).
/// A timer fires at the next such instant of the current snapshot, applies the store's clock
/// rules and rebuilds, through the same numbered commit and publish as a write.
extension Publisher {
    /// The clock path: applies due time-driven changes and rebuilds. Called by the timer,
    /// and by tests after moving their clock.
    public func tick() throws {
        let (_, number) = try commit { store, instant in try store.applyTimeDrivenChanges(now: instant) }
        try publish(through: number, force: true)
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
    func retrySoon() {
        rebuildLock.lock()
        defer { rebuildLock.unlock() }
        if timer != nil { scheduleLocked(within: 1) }
    }

    func scheduleLocked(within limit: TimeInterval = 60) {
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

    /// While a promised update is overdue the page says by how many minutes, so it changes
    /// each minute: the next whole minute past the promise.
    static func nextOverdueMinute(_ state: StatusState, after now: Date) -> Date? {
        state.incidents.compactMap { incident -> Date? in
            guard incident.isUpdateOverdue(at: now), let due = incident.nextUpdateAt else { return nil }
            let minutes = (now.timeIntervalSince(due) / 60).rounded(.down) + 1
            return due.addingTimeInterval(minutes * 60)
        }.min()
    }

    /// The page's own promises (`Silence`) are not in the database: the first one to fall
    /// overdue, 1 ms after it (`isUpdateOverdue` holds strictly after the promise).
    static func nextPagePromise(_ state: StatusState, after now: Date) -> Date? {
        state.incidents.compactMap { incident -> Date? in
            guard incident.promisedBy == .page, let due = incident.nextUpdateAt, due >= now else { return nil }
            return due.addingTimeInterval(0.001)
        }.min()
    }

    /// The "no statement from staff yet" banner appears when a check has failed for the
    /// statement grace on a component no open incident lists, and then counts minutes: the
    /// next such instant.
    static func nextSilenceBannerChange(_ state: StatusState, after now: Date) -> Date? {
        guard state.page.checksPublic else { return nil }
        let grace = TimeInterval(state.page.statementGrace * 60)
        return state.checks.compactMap { status -> Date? in
            guard status.state == .failing, let since = status.since,
                  state.openIncident(listing: status.check.componentID) == nil else { return nil }
            let shown = since.addingTimeInterval(grace)
            if shown > now { return shown }
            let minutes = (now.timeIntervalSince(since) / 60).rounded(.down) + 1
            return since.addingTimeInterval(minutes * 60)
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
