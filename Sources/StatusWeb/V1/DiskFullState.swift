import Foundation
import SQLite
import Synchronization

/// Writes the database refused because its filesystem is full (SQLite's `SQLITE_FULL`,
/// <https://www.sqlite.org/rescode.html#full>): how many, for `/metrics`, and whether the
/// latest write failed so, for `/healthz`, until a write succeeds again. SQLite rolls the
/// transaction back, so nothing is partially written; the state only makes the condition
/// visible to staff (507) and to monitors.
public final class DiskFullState: Sendable {
    private let state = Mutex((refusedWrites: 0, isFull: false))

    public init() {}

    /// Writes refused since the server started.
    public var refusedWrites: Int { state.withLock { $0.refusedWrites } }

    /// Whether the latest write failed for want of disk space.
    public var isFull: Bool { state.withLock { $0.isFull } }

    /// Whether `error` is SQLite saying the disk is full (primary code 13).
    public static func isDiskFull(_ error: any Error) -> Bool {
        (error as? SQLiteError)?.primaryCode == 13
    }

    func recordRefusedWrite() {
        state.withLock {
            $0.refusedWrites += 1
            $0.isFull = true
        }
    }

    func recordSuccessfulWrite() {
        state.withLock { $0.isFull = false }
    }
}
