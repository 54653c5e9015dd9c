import Foundation
import SQLite

/// The one owner of the database. Writes are serialised on its single writer connection
/// (SQLite allows one writer at a time; queuing them here avoids busy waits). Reads that need
/// only what is committed (history pages, incident pages, the management API's listings,
/// queue depths) go to a few read-only connections instead (`withReader`), so they never
/// queue behind a write's transaction and its fsync.
///
/// Opening creates the file if needed and applies pending migrations, refusing a database
/// that a newer version of Warta has migrated.
public final class Store: @unchecked Sendable {
    /// Guards `database` and `incidentCache`: every use is inside `lock`.
    private let lock = NSLock()
    private var database: Database?
    public let path: String
    /// Incidents as `state()` last decoded them, with the version they were read at (see
    /// `cachedIncidents`), so a write to one incident does not decode the other hundred again.
    /// Only `state()` uses it, and `state()` runs on the writer, so `lock` guards it too: the
    /// readers never touch it and need no lock of their own for it.
    var incidentCache: [String: (version: String, incident: Incident)] = [:]
    /// The status history `state()` last read, and what it was read for (see
    /// `cachedStatusChanges`); guarded by `lock` like `incidentCache`.
    var statusChangeCache: (key: StatusChangeKey, changes: [String: [StatusChange]])?
    private let readers: ReaderPool

    /// How many read-only connections a store opens at most, by default: one per core of a
    /// small machine, plus the background senders', is enough to keep reads off the writer;
    /// a caller that finds them all lent out waits for one, never for the writer.
    public static let defaultReaderCount = 4

    /// Opens the writer connection, applies pending migrations on it (so the file is in WAL
    /// mode before any reader opens), and prepares up to `readerCount` read-only connections,
    /// opened when first needed.
    public init(path: String, readerCount: Int = Store.defaultReaderCount) throws {
        let database = try Database(path: path)
        _ = try Schema.migrator().migrate(database)
        self.database = database
        self.path = path
        self.readers = ReaderPool(path: path, capacity: readerCount)
    }

    /// Runs `body` with the connection, one caller at a time. Blocks: never call it on an
    /// event-loop thread.
    public func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let database else { throw StoreError.closed }
        return try body(database)
    }

    /// Runs `body` on a read-only connection, in one read transaction: it sees every write
    /// committed before it began (the writer's included) and nothing committed later, and it
    /// neither waits for the writer nor holds it up (<https://www.sqlite.org/isolation.html>).
    /// Any attempt to write throws `SQLiteError` with `SQLiteError.readOnly`.
    ///
    /// Blocks while every read-only connection is lent out: never call it on an event-loop
    /// thread, nor inside another `withReader`.
    public func withReader<T>(_ body: (Database) throws -> T) throws -> T {
        try readers.withReader { database in
            try database.transaction(.deferred, body)
        }
    }

    /// Read-only connections open now (lent out or idle).
    var openReaderCount: Int { readers.openCount }

    /// Whether the database answers a query; the error's text when it does not.
    public func check() -> Result<Void, any Error> {
        Result {
            try withDatabase { database in
                _ = try database.queryOne("SELECT count(*) FROM schema_migrations")
            }
        }
    }

    /// Closes the writer and the idle readers (a reader in use closes when its read ends);
    /// later calls throw `StoreError.closed`.
    public func close() {
        readers.close()
        lock.lock()
        defer { lock.unlock() }
        database?.close()
        database = nil
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case closed

    public var description: String {
        switch self {
        case .closed: return "the database is closed"
        }
    }
}
