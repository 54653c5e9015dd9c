import Foundation
import SQLite

/// The one owner of the database. Writes are serialised on its single connection
/// (SQLite allows one writer at a time; queuing them here avoids busy waits).
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
    var incidentCache: [String: (version: String, incident: Incident)] = [:]

    public init(path: String) throws {
        let database = try Database(path: path)
        _ = try Schema.migrator().migrate(database)
        self.database = database
        self.path = path
    }

    /// Runs `body` with the connection, one caller at a time. Blocks: never call it on an
    /// event-loop thread.
    public func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let database else { throw StoreError.closed }
        return try body(database)
    }

    /// Whether the database answers a query; the error's text when it does not.
    public func check() -> Result<Void, any Error> {
        Result {
            try withDatabase { database in
                _ = try database.queryOne("SELECT count(*) FROM schema_migrations")
            }
        }
    }

    /// Closes the connection; later calls throw `StoreError.closed`.
    public func close() {
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
