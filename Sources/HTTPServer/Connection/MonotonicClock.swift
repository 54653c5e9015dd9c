#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where the server reads the time its deadlines are measured in: nanoseconds that only move
/// forward, from an arbitrary origin. The server takes one through `Configuration.clock`, so a
/// test can drive every deadline with `ManualMonotonicClock` instead of waiting for it.
public protocol MonotonicClock: Sendable {
    /// Nanoseconds since the clock's origin; never less than an earlier reading.
    func nanoseconds() -> UInt64
}

/// CLOCK_MONOTONIC: unaffected by changes to the wall clock (POSIX `clock_gettime`).
public struct SystemMonotonicClock: MonotonicClock {
    public init() {}

    @inline(__always)
    public func nanoseconds() -> UInt64 {
        System.monotonicNanoseconds()
    }
}

/// A clock that moves only when told to. After `advance(by:)`, `HTTPServer.checkDeadlines()`
/// makes a running server act on the new time at once.
public final class ManualMonotonicClock: MonotonicClock {
    private let current: Atomic<UInt64>

    public init(startingAt start: UInt64 = 1_000 * nanosecondsPerSecond) {
        current = Atomic(start)
    }

    public func nanoseconds() -> UInt64 {
        current.load(ordering: .acquiring)
    }

    /// Moves the clock forward by `nanoseconds`.
    public func advance(by nanoseconds: UInt64) {
        current.add(nanoseconds, ordering: .releasing)
    }

    /// Moves the clock forward by `seconds`.
    public func advance(seconds: Double) {
        advance(by: UInt64(seconds * Double(nanosecondsPerSecond)))
    }
}
