import Dispatch
import Foundation
import Logging
import StatusCore

/// The write path (the clock path is in `Publisher+Clock.swift`): every change to the database is followed, before
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
    /// How pages are rendered, and what the server offers (mail subscriptions).
    public let options: PageOptions
    /// Serialises writes and numbers them; guards `committed`.
    private let writeLock = NSLock()
    private var committed: UInt64 = 0
    /// Serialises rebuilds; guards `published` and `timer`.
    let rebuildLock = NSLock()
    private var published: UInt64 = 0
    var timer: DispatchSourceTimer?
    /// Told of every snapshot published (the mirror); guarded by `rebuildLock`.
    private var observers: [@Sendable (Snapshot) -> Void] = []
    let timerQueue = DispatchQueue(label: "warta.clock")
    /// When the Brotli forms of a snapshot published by a write are made.
    public enum BrotliTiming: Sendable {
        /// On a background queue right after the snapshot is swapped in: the writer is told
        /// of its write without waiting for them, and for those few milliseconds a browser
        /// asking for `br` gets the gzip form (with its own validator).
        case afterPublish
        /// Only when `completeBrotli()` is called, so a test sees both states in turn.
        case whenAsked
    }
    private let brotliTiming: BrotliTiming
    private let brotliQueue = DispatchQueue(label: "warta.brotli", qos: .utility)
    /// For `/metrics`; guarded by `statisticsLock`.
    private var counters = Statistics()
    let statisticsLock = NSLock()

    /// What the publisher has done since it started.
    public struct Statistics: Sendable {
        public var builds = 0
        public var buildSeconds = 0.0
        public var lastBuildSeconds = 0.0
        /// The Brotli forms made after publishing: how often, and how long the last took.
        public var brotliCompletions = 0
        public var lastBrotliSeconds = 0.0
        /// When the last write through `write` committed.
        public var lastWriteAt: Date?
        /// Probe results recorded through `recordCheckResults`.
        public var checkResults = 0
    }

    public var statistics: Statistics { statisticsLock.withLock { counters } }

    func countCheckResults(_ count: Int) {
        statisticsLock.withLock { counters.checkResults += count }
    }

    /// Builds the first snapshot from `store` (after applying any time-driven change that
    /// fell due while the server was down).
    public init(store: Store, clock: any WallClock, maxAge: Int = 10, options: PageOptions = .standard,
                brotli: BrotliTiming = .afterPublish) throws {
        self.store = store
        self.clock = clock
        self.maxAge = maxAge
        self.options = options
        brotliTiming = brotli
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

    func commit<T>(_ body: (Store, Date) throws -> T) throws -> (T, UInt64) {
        writeLock.lock()
        defer { writeLock.unlock() }
        let result = try body(store, clock.now())
        committed += 1
        return (result, committed)
    }

    /// Publishes a snapshot covering write `number` unless one already does (`force`: build
    /// anyway, for changes that come from the clock rather than the database).
    func publish(through number: UInt64, force: Bool = false) throws {
        rebuildLock.lock()
        defer { rebuildLock.unlock() }
        guard force || published < number else { return }
        let covered = writeLock.withLock { committed }
        let started = DispatchTime.now().uptimeNanoseconds
        let snapshot = try Self.build(store: store, now: clock.now(), maxAge: maxAge, options: options,
                                      previous: snapshots.current, brotli: false)
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
        if brotliTiming == .afterPublish {
            brotliQueue.async { [self] in completeBrotli(of: snapshot) }
        }
    }

    /// Makes the Brotli forms the current snapshot lacks and swaps the completed copy in,
    /// after any completion already queued.
    public func completeBrotli() {
        brotliQueue.sync {}
        completeBrotli(of: snapshots.current)
    }

    /// Completes `snapshot` unless a newer one replaced it (that one has its own turn).
    private func completeBrotli(of snapshot: Snapshot) {
        guard snapshots.current === snapshot, snapshot.lacksBrotli else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        let completed = snapshot.withBrotli()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        guard snapshots.replace(snapshot, with: completed) else { return }
        statisticsLock.withLock {
            counters.brotliCompletions += 1
            counters.lastBrotliSeconds = seconds
        }
    }

    /// Calls `observer` with every snapshot published from now on, in order, right after
    /// it is swapped in. It must return quickly (queue work elsewhere).
    public func observe(_ observer: @escaping @Sendable (Snapshot) -> Void) {
        rebuildLock.lock()
        defer { rebuildLock.unlock() }
        observers.append(observer)
    }

    private static let log = Logger(label: "warta.publisher")

    static func report(_ message: String) {
        log.error("\(message)")
    }

    /// The snapshot of `store` at `now`, with nothing applied or published (for `warta
    /// export`, which must not write).
    public static func build(store: Store, now: Date, maxAge: Int, options: PageOptions,
                             previous: Snapshot? = nil, brotli: Bool = true) throws -> Snapshot {
        let state = try store.state(now: now)
        let nextChange = [try store.nextTimeDrivenChange(after: now), nextDay(after: now, in: state.page.timeZone),
                          nextOverdueMinute(state, after: now), nextPagePromise(state, after: now),
                          nextSilenceBannerChange(state, after: now)]
            .compactMap { $0 }.min()
        return Snapshot.build(from: state, now: now, nextChange: nextChange, maxAge: maxAge, previous: previous,
                              options: options, brotli: brotli)
    }
}
