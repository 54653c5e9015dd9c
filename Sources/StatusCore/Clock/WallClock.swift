import Foundation
import Synchronization

/// Where Warta reads the time of day: every rule that depends on time (maintenance windows,
/// promised updates, retries, throttles, cache lifetimes) asks a `WallClock` instead of
/// calling `Date()`, so tests move time forward instead of waiting for it.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The operating system's clock, the one `warta` runs on.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Date { Date() }
}

/// A clock that stands still until told to move: for tests, and for anything that must
/// replay time (a demo, a benchmark).
public final class ManualClock: WallClock {
    private let instant: Mutex<Date>

    public init(_ start: Date) {
        instant = Mutex(start)
    }

    public func now() -> Date { instant.withLock { $0 } }

    /// Moves the clock forward (or back, with a negative interval).
    public func advance(by interval: TimeInterval) {
        instant.withLock { $0 = $0.addingTimeInterval(interval) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        instant.withLock { $0 = date }
    }
}
