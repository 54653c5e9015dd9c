internal import CSQLite

extension Database {
    /// Copies the whole database to a new file with SQLite's online backup API
    /// (<https://www.sqlite.org/backup.html>, <https://www.sqlite.org/c3ref/backup_finish.html>).
    ///
    /// The copy is one consistent snapshot: it is taken in a single `sqlite3_backup_step(-1)`
    /// inside one read transaction on this connection. In WAL mode that read transaction does
    /// not block writers on other connections, so the server keeps accepting writes while the
    /// backup runs; the copy holds what was committed when it started. (Copying in slices
    /// would let those writes restart the backup over and over.)
    ///
    /// The backup runs on this connection, so it occupies it until done. To keep the writer
    /// free, open a read-only `Database` on the same file and back up from that.
    ///
    /// - Parameter path: The destination. It must not exist, or be an empty file: an existing
    ///   database is never overwritten. It is opened fresh, by its own connection, and closed
    ///   before this returns, leaving one self-contained file.
    /// - Throws: `SQLiteError`; a misuse error inside a transaction on this connection.
    ///   `SQLITE_BUSY`/`SQLITE_LOCKED` are retried until the busy timeout has passed.
    public func backup(to path: String) throws {
        let source = try openConnection()
        // SQLite answers SQLITE_LOCKED while the source connection itself is mid-write; say why.
        guard !isInTransaction else {
            throw SQLiteError(
                extendedCode: SQLiteError.misuse,
                message: "backup(to:) cannot run inside a transaction on the database being copied")
        }

        var opened: OpaquePointer?
        let openCode = sqlite3_open_v2(
            path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE, nil)
        defer { sqlite3_close_v2(opened) }
        guard openCode == SQLITE_OK, let destination = opened else {
            let error = SQLiteError(code: openCode, connection: opened)
            throw SQLiteError(extendedCode: error.extendedCode, message: "cannot open backup file \(path): \(error.message)")
        }

        try requireEmpty(destination, path: path)

        guard let backup = sqlite3_backup_init(destination, "main", source, "main") else {
            // The failure is recorded on the destination connection.
            throw SQLiteError(code: sqlite3_extended_errcode(destination), connection: destination)
        }

        let retryInterval: Int32 = 20  // milliseconds
        var waited: Int32 = 0
        var stepCode: Int32
        repeat {
            stepCode = sqlite3_backup_step(backup, -1)
            if stepCode == SQLITE_BUSY || stepCode == SQLITE_LOCKED {
                guard waited < busyTimeoutMilliseconds else { break }
                sqlite3_sleep(retryInterval)
                waited += retryInterval
            }
        } while stepCode == SQLITE_OK || stepCode == SQLITE_BUSY || stepCode == SQLITE_LOCKED

        // Finish releases the backup even after an error; the error, if any, is then on the
        // destination connection.
        let finishCode = sqlite3_backup_finish(backup)
        guard stepCode == SQLITE_DONE, finishCode == SQLITE_OK else {
            let code = stepCode == SQLITE_DONE ? finishCode : stepCode
            let error = SQLiteError(code: code, connection: destination)
            throw SQLiteError(extendedCode: error.extendedCode, message: "backup to \(path) failed: \(error.message)")
        }
    }

    /// Refuses a destination that already holds a database, or anything else.
    private func requireEmpty(_ destination: OpaquePointer, path: String) throws {
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        var code = sqlite3_prepare_v2(destination, "PRAGMA page_count", -1, &statement, nil)
        if code == SQLITE_OK {
            code = sqlite3_step(statement)
        }
        guard code == SQLITE_ROW else {
            let error = SQLiteError(code: code, connection: destination)
            throw SQLiteError(
                extendedCode: error.extendedCode,
                message: "backup file \(path) already exists and is not an empty database: \(error.message)")
        }
        guard sqlite3_column_int64(statement, 0) == 0 else {
            throw SQLiteError(
                extendedCode: SQLiteError.misuse,
                message: "backup file \(path) already exists and holds a database; it is not overwritten")
        }
    }
}
