import Foundation
import SQLite

/// Read-only connections to the store's file, opened when first needed, at most `capacity`,
/// each lent to one caller at a time (a `Database` is not thread-safe).
///
/// In WAL mode a reader never waits for the writer and the writer never waits for a reader
/// (<https://www.sqlite.org/wal.html#concurrency>), so a history page or a management API
/// listing is not held up by a write's transaction and its fsync, as it would be queued
/// behind the writer's lock on the one connection.
final class ReaderPool: @unchecked Sendable {
    let path: String
    let capacity: Int
    /// Guards `idle`, `openCount` and `isClosed`; callers wait on it for a connection to come
    /// back when `capacity` are lent out.
    private let condition = NSCondition()
    private var idle: [Database] = []
    /// Connections open now, lent out or idle, and those being opened.
    private(set) var openCount = 0
    private var isClosed = false

    init(path: String, capacity: Int) {
        self.path = path
        self.capacity = max(1, capacity)
    }

    /// Lends a connection to `body`, then takes it back. Blocks while every connection is
    /// lent out: never call it on an event-loop thread, nor inside another `withReader` (with
    /// every connection lent to callers waiting for one more, none would come back).
    func withReader<T>(_ body: (Database) throws -> T) throws -> T {
        let database = try borrow()
        defer { giveBack(database) }
        return try body(database)
    }

    /// Closes the idle connections at once and the lent ones as they come back; later
    /// borrowers get `StoreError.closed`.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        isClosed = true
        for database in idle { database.close() }
        openCount -= idle.count
        idle = []
        condition.broadcast()
    }

    private func borrow() throws -> Database {
        condition.lock()
        while true {
            if isClosed {
                condition.unlock()
                throw StoreError.closed
            }
            if let database = idle.popLast() {
                condition.unlock()
                return database
            }
            if openCount < capacity { break }
            condition.wait()
        }
        // The slot is reserved; opening (a file, the WAL index, three pragmas) happens outside
        // the lock so that returning connections are not held up by it.
        openCount += 1
        condition.unlock()
        do {
            return try Database(path: path, readOnly: true)
        } catch {
            condition.lock()
            openCount -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func giveBack(_ database: Database) {
        condition.lock()
        defer { condition.unlock() }
        if isClosed {
            database.close()
            openCount -= 1
        } else {
            idle.append(database)
            condition.signal()
        }
    }
}
