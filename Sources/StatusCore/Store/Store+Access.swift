import SQLite

extension Store {
    /// Runs a write: one immediate transaction, committed if `body` returns and rolled back
    /// if anything in it throws, so a refused or failed write leaves nothing behind.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try withDatabase { database in
            try database.transaction(.immediate, body)
        }
    }

    /// Runs several reads as one consistent view on the writer connection: a deferred
    /// transaction takes its snapshot at the first read and keeps it to the end, while, in WAL
    /// mode, writers on other connections (the CLI) carry on (<https://www.sqlite.org/isolation.html>).
    /// Unlike `write`, it takes no write lock, so a read never waits for or delays another
    /// process's write; it does queue behind this process's writes, which is what the
    /// snapshot's `state(now:)` needs (it must follow the write it shows, and it keeps
    /// `incidentCache` under the writer's lock). Other reads use `withReader`.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try withDatabase { database in
            try database.transaction(.deferred, body)
        }
    }
}
