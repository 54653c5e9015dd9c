internal import CSQLite

/// One connection to an SQLite database file, set up the way Warta relies on: WAL journal,
/// `synchronous=FULL`, foreign keys enforced, extended result codes, a busy timeout.
///
/// **Not thread-safe, by design.** The connection is opened with `SQLITE_OPEN_NOMUTEX`
/// (SQLite's "multi-thread" mode, <https://www.sqlite.org/threadsafe.html>): it may move
/// between threads, but its owner must make sure only one thread uses it at a time, as
/// Warta's single writer does. The type is therefore not `Sendable`. Readers that must run
/// beside the writer open their own `Database`; in WAL mode they see the last committed data
/// and neither blocks the other (<https://www.sqlite.org/wal.html>).
///
/// Statements are prepared once per SQL string and cached for the life of the connection, so
/// SQL should be constant text with `?` or `:name` parameters, never built from values.
///
/// **Beside Litestream.** The file may be streamed to a replica by Litestream, another process
/// that reads the WAL, and the connection is set up as its guide asks
/// (<https://litestream.io/tips/>): WAL mode, and a busy timeout (5 s by default, the value the
/// guide recommends) so that a write waits out the short write lock Litestream takes to sync
/// and checkpoint instead of failing with `SQLITE_BUSY`. Warta never checkpoints itself:
/// SQLite's automatic checkpoint is always PASSIVE
/// (<https://www.sqlite.org/c3ref/wal_autocheckpoint.html>), so it neither waits for
/// Litestream's long read transaction nor resets the WAL before Litestream has read it;
/// RESTART and TRUNCATE, which would block writers behind that read transaction, are left to
/// Litestream. Without Litestream the same automatic checkpoint keeps the WAL small.
///
/// Requires SQLite 3.37 or later (`SQLITE_OPEN_EXRESCODE`, `sqlite3_changes64`).
public final class Database {
    /// The file this connection opened.
    public let path: String
    /// Whether the connection was opened read-only.
    public let isReadOnly: Bool
    /// How long a statement waits for another connection's lock before failing with
    /// `SQLITE_BUSY`.
    public let busyTimeout: Duration

    private var connection: OpaquePointer?
    private var statements: [String: Statement] = [:]

    /// Opens (and, unless read-only, creates) the database file and configures the connection.
    ///
    /// The busy timeout is installed first, so that the pragmas after it wait for a writer that
    /// happens to hold a lock instead of failing at once. Then, in order:
    /// - `PRAGMA journal_mode=WAL`, checked: the pragma answers with the mode actually in
    ///   force, and anything but `wal` (an in-memory database, a read-only file that is not
    ///   yet in WAL mode, a file system without shared memory) throws rather than silently
    ///   running without WAL's concurrent readers (<https://www.sqlite.org/pragma.html#pragma_journal_mode>);
    /// - `PRAGMA synchronous=FULL`, so a committed transaction survives power loss, which WAL's
    ///   usual `NORMAL` does not promise (<https://www.sqlite.org/pragma.html#pragma_synchronous>);
    /// - `PRAGMA foreign_keys=ON`, checked, because it is off by default and silently ignored
    ///   where SQLite was built without it (<https://www.sqlite.org/foreignkeys.html#fk_enable>).
    ///
    /// - Parameters:
    ///   - path: A file path. `:memory:` is refused (it cannot be in WAL mode).
    ///   - readOnly: Opens with `SQLITE_OPEN_READONLY`; the file must exist and already be in
    ///     WAL mode.
    ///   - busyTimeout: See <https://www.sqlite.org/c3ref/busy_timeout.html>.
    /// - Throws: `SQLiteError` if the file cannot be opened or configured; the connection is
    ///   closed again before the error is thrown.
    public init(path: String, readOnly: Bool = false, busyTimeout: Duration = .seconds(5)) throws {
        self.path = path
        self.isReadOnly = readOnly
        self.busyTimeout = busyTimeout

        // See <https://www.sqlite.org/c3ref/open.html>.
        let access = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let flags = access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let error = SQLiteError(code: code, connection: opened, sql: nil)
            // A handle is usually returned even on failure, and must still be closed.
            sqlite3_close_v2(opened)
            throw SQLiteError(extendedCode: error.extendedCode, message: "cannot open \(path): \(error.message)")
        }
        connection = opened

        do {
            try configure(opened)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    private func configure(_ connection: OpaquePointer) throws {
        sqlite3_busy_timeout(connection, busyTimeoutMilliseconds)

        let journalMode = try queryOne("PRAGMA journal_mode = WAL").map { try $0.string(0) }
        guard journalMode?.lowercased() == "wal" else {
            throw SQLiteError(
                extendedCode: SQLiteError.error,
                message: "cannot put \(path) in WAL mode: journal_mode is \(journalMode ?? "unknown")",
                sql: "PRAGMA journal_mode = WAL")
        }

        try execute("PRAGMA synchronous = FULL")

        try execute("PRAGMA foreign_keys = ON")
        guard try queryOne("PRAGMA foreign_keys").map({ try $0.int(0) }) == 1 else {
            throw SQLiteError(
                extendedCode: SQLiteError.error,
                message: "this SQLite library does not enforce foreign keys",
                sql: "PRAGMA foreign_keys = ON")
        }
    }

    /// The busy timeout as SQLite takes it.
    var busyTimeoutMilliseconds: Int32 { Self.milliseconds(busyTimeout) }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !milliseconds.overflow else { return seconds < 0 ? 0 : Int32.max }
        let total = milliseconds.partialValue + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(total, 0))
    }

    /// Finalizes the cached statements, then closes the connection. Safe to call twice; later
    /// calls on this database (and on statements obtained from it) throw.
    ///
    /// `sqlite3_close_v2` is used because it cannot fail on an unfinished statement: if one
    /// were left, the connection would close once it is finalized instead of leaking
    /// (<https://www.sqlite.org/c3ref/close.html>). The last connection to close checkpoints
    /// the WAL into the main file and removes it; while Litestream runs, its own connection is
    /// the last, and the WAL stays for it to read.
    public func close() {
        guard let connection else { return }
        for statement in statements.values {
            statement.finalize()
        }
        statements = [:]
        sqlite3_close_v2(connection)
        self.connection = nil
    }

    /// The open connection, or the error every call on a closed database throws.
    func openConnection(sql: String? = nil) throws -> OpaquePointer {
        guard let connection else { throw SQLiteError.closed(sql: sql) }
        return connection
    }

    // MARK: Statements

    /// The prepared statement for this SQL, prepared on first use and reused after.
    ///
    /// The SQL must hold exactly one statement. The cache has no limit; it is meant for the
    /// fixed set of queries a program contains.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statements[sql] {
            return statement
        }
        let statement = try Statement(connection: openConnection(sql: sql), sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs one statement with its arguments, discarding any rows.
    ///
    /// ```swift
    /// try db.execute("INSERT INTO components (id, name) VALUES (?, ?)", [id, name])
    /// ```
    public func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try cachedStatement(sql).execute(arguments)
    }

    /// Runs one query and returns all its rows.
    public func query(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        try cachedStatement(sql).query(arguments)
    }

    /// Runs one query and returns its first row, or nil if there is none.
    public func queryOne(_ sql: String, _ arguments: StatementArguments = []) throws -> Row? {
        try cachedStatement(sql).queryOne(arguments)
    }

    /// Runs one query and calls `body` for each row as it is read, without building an array:
    /// for large reads such as exports. See `Statement.forEachRow(_:_:)`.
    public func forEachRow(
        _ sql: String, _ arguments: StatementArguments = [], _ body: (Row) throws -> Void
    ) throws {
        try cachedStatement(sql).forEachRow(arguments, body)
    }

    /// Runs a script of several statements separated by semicolons, without arguments, such as
    /// a migration file. Statements are prepared one at a time and not cached; rows are
    /// discarded. The first failure stops the script, and its error carries the text of the
    /// statement that failed. Statements before it are not undone: wrap the call in
    /// `transaction(_:)` for all-or-nothing.
    ///
    /// Works like `sqlite3_exec` (<https://www.sqlite.org/c3ref/exec.html>), which could only
    /// report the whole script as the failing SQL.
    public func executeScript(_ sql: String) throws {
        try executeScript(sql, allowingTransactionStatements: true)
    }

    /// `executeScript(_:)`, optionally refusing BEGIN, COMMIT, ROLLBACK, SAVEPOINT and RELEASE
    /// when they are prepared, before anything runs: the migrator wraps each script in its own
    /// transaction, and a COMMIT inside it would record half a migration. The refusal uses an
    /// authorizer (<https://www.sqlite.org/c3ref/set_authorizer.html>), installed only for the
    /// script, because statements re-prepared under it would be refused too.
    func executeScript(_ sql: String, allowingTransactionStatements: Bool) throws {
        let connection = try openConnection()
        if !allowingTransactionStatements {
            sqlite3_set_authorizer(connection, { _, action, _, _, _, _ in
                action == SQLITE_TRANSACTION || action == SQLITE_SAVEPOINT ? SQLITE_DENY : SQLITE_OK
            }, nil)
        }
        defer {
            if !allowingTransactionStatements {
                sqlite3_set_authorizer(connection, nil, nil)
            }
        }
        try sql.withCString { start in
            var cursor = start
            while cursor.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(connection, cursor, -1, &statement, &tail)
                guard code == SQLITE_OK else {
                    let text = Self.firstStatement(in: cursor)
                    if code == SQLITE_AUTH && !allowingTransactionStatements {
                        throw SQLiteError(
                            extendedCode: code,
                            message: "BEGIN, COMMIT, ROLLBACK, SAVEPOINT and RELEASE are not allowed here: "
                                + "the script already runs in a transaction",
                            sql: text)
                    }
                    throw SQLiteError(code: code, connection: connection, sql: text)
                }
                defer { sqlite3_finalize(statement) }
                let statementStart = cursor
                // A nil tail cannot happen after success; stopping is the safe reading of it.
                guard let next = tail else { return }
                cursor = next
                // Only whitespace or comments: nothing to run.
                guard let statement else { continue }

                var stepCode: Int32
                repeat {
                    stepCode = sqlite3_step(statement)
                } while stepCode == SQLITE_ROW
                guard stepCode == SQLITE_DONE else {
                    let text = Self.text(from: statementStart, to: next)
                    throw SQLiteError(code: stepCode, connection: connection, sql: text)
                }
            }
        }
    }

    /// The text of the statement starting at `start`, for an error message: the shortest
    /// prefix that SQLite's tokenizer considers complete
    /// (<https://www.sqlite.org/c3ref/complete.html>), so semicolons inside strings and
    /// triggers do not cut it short.
    private static func firstStatement(in start: UnsafePointer<CChar>) -> String {
        let script = String(cString: start)
        var end = script.startIndex
        while let semicolon = script[end...].firstIndex(of: ";") {
            end = script.index(after: semicolon)
            if sqlite3_complete(String(script[..<end])) != 0 {
                return trimmed(script[..<end])
            }
        }
        return trimmed(script[...])
    }

    private static func text(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>) -> String {
        let bytes = UnsafeRawBufferPointer(start: start, count: end - start)
        return trimmed(String(decoding: bytes, as: UTF8.self)[...])
    }

    private static func trimmed(_ text: Substring) -> String {
        var text = text
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }

    // MARK: Connection state

    /// The rowid of the most recent successful INSERT on this connection.
    /// See <https://www.sqlite.org/c3ref/last_insert_rowid.html>.
    public var lastInsertedRowID: Int64 {
        connection.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// The number of rows changed by the most recent INSERT, UPDATE or DELETE on this
    /// connection. See <https://www.sqlite.org/c3ref/changes.html>.
    public var changes: Int {
        connection.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// Whether a transaction is open on this connection.
    /// See <https://www.sqlite.org/c3ref/get_autocommit.html>.
    public var isInTransaction: Bool {
        connection.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }
}
