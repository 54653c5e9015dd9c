internal import CSQLite

/// `SQLITE_TRANSIENT`: tells SQLite to copy a bound text or blob before the bind call returns,
/// because Swift gives no pointer that outlives the call. The C macro is a cast of -1, which
/// Swift cannot import. See <https://www.sqlite.org/c3ref/c_static.html>.
private var sqliteTransient: sqlite3_destructor_type {
    unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// One prepared SQL statement, compiled once and reused.
///
/// Statements are made and cached by `Database.cachedStatement(_:)`, never directly, so that
/// closing the database can finalize every one of them first. A statement kept after its
/// database closed throws instead of touching freed memory. Each run resets the statement and
/// clears its bindings before binding new arguments, and resets it again when it ends, so a
/// finished SELECT never keeps a read transaction open (which would stop WAL checkpoints).
///
/// Like its `Database`, a statement is not `Sendable`.
///
/// See <https://www.sqlite.org/c3ref/stmt.html>.
public final class Statement {
    /// The SQL text the statement was prepared from.
    public let sql: String

    private var handle: OpaquePointer?
    private let connection: OpaquePointer
    private var isRunning = false

    /// Prepares exactly one statement; empty SQL and trailing extra statements throw, since
    /// the extra ones would otherwise be silently ignored.
    /// See <https://www.sqlite.org/c3ref/prepare.html>.
    init(connection: OpaquePointer, sql: String) throws {
        self.sql = sql
        self.connection = connection
        var prepared: OpaquePointer?
        try sql.withCString { start in
            var tail: UnsafePointer<CChar>?
            // PERSISTENT: the statement is cached for the life of the connection.
            let code = sqlite3_prepare_v3(
                connection, start, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, &tail)
            guard code == SQLITE_OK else {
                throw SQLiteError(code: code, connection: connection, sql: sql)
            }
            guard prepared != nil else {
                throw SQLiteError(extendedCode: SQLiteError.misuse, message: "the SQL contains no statement", sql: sql)
            }
            if let tail, Self.containsStatement(tail, connection: connection) {
                sqlite3_finalize(prepared)
                prepared = nil
                throw SQLiteError(
                    extendedCode: SQLiteError.misuse,
                    message: "the SQL contains more than one statement; use executeScript(_:) for scripts",
                    sql: sql)
            }
        }
        handle = prepared
    }

    deinit {
        finalize()
    }

    /// Whether the text left after the first statement holds anything but whitespace,
    /// semicolons and comments; SQLite's own tokenizer decides.
    private static func containsStatement(_ text: UnsafePointer<CChar>, connection: OpaquePointer) -> Bool {
        guard text.pointee != 0 else { return false }
        var next: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, text, -1, &next, nil)
        sqlite3_finalize(next)
        return code != SQLITE_OK || next != nil
    }

    /// Releases the compiled statement; later calls throw. Called by `Database.close()`.
    func finalize() {
        if let handle {
            sqlite3_finalize(handle)
        }
        handle = nil
    }

    /// The column names of the result, in order, as SQLite names them.
    /// See <https://www.sqlite.org/c3ref/column_name.html>.
    public var columnNames: [String] {
        guard let handle else { return [] }
        return Self.columnNames(handle)
    }

    /// Runs the statement to completion, discarding any rows.
    public func execute(_ arguments: StatementArguments = []) throws {
        try run(arguments, readingRows: false) { _ in true }
    }

    /// Runs the statement and returns all its rows.
    public func query(_ arguments: StatementArguments = []) throws -> [Row] {
        var rows: [Row] = []
        try run(arguments) { row in
            rows.append(row)
            return true
        }
        return rows
    }

    /// Runs the statement and returns its first row, or nil; the rest are never computed.
    public func queryOne(_ arguments: StatementArguments = []) throws -> Row? {
        var first: Row?
        try run(arguments) { row in
            first = row
            return false
        }
        return first
    }

    /// Runs the statement and calls `body` with each row as it is stepped, without collecting
    /// them: memory stays flat however many rows there are. An error thrown by `body` stops
    /// the iteration and is rethrown.
    ///
    /// `body` may use the database, but not run this same SQL again (it would reset the
    /// statement being iterated): that throws a misuse error.
    public func forEachRow(_ arguments: StatementArguments = [], _ body: (Row) throws -> Void) throws {
        try run(arguments) { row in
            try body(row)
            return true
        }
    }

    /// Binds, then steps until done, until `onRow` returns false, or until an error. Without
    /// `readingRows`, rows are stepped over without being copied out.
    /// See <https://www.sqlite.org/c3ref/step.html>.
    private func run(
        _ arguments: StatementArguments, readingRows: Bool = true, onRow: (Row) throws -> Bool
    ) throws {
        guard let handle else { throw SQLiteError.closed(sql: sql) }
        guard !isRunning else {
            throw SQLiteError(
                extendedCode: SQLiteError.misuse,
                message: "the statement is already running (the same SQL was run again while iterating its rows)",
                sql: sql)
        }
        isRunning = true
        defer {
            sqlite3_reset(handle)
            isRunning = false
        }
        try bind(arguments, to: handle)

        var columns: Row.Columns?
        while true {
            let code = sqlite3_step(handle)
            switch code {
            case SQLITE_DONE:
                return
            case SQLITE_ROW:
                guard readingRows else { continue }
                // Read after the first step: a schema change may recompile the statement, and
                // with it the columns of `SELECT *`.
                let rowColumns = columns ?? Row.Columns(names: Self.columnNames(handle))
                columns = rowColumns
                let values = try readValues(handle, count: rowColumns.names.count)
                let row = Row(columns: rowColumns, values: values)
                guard try onRow(row) else { return }
            default:
                throw SQLiteError(code: code, connection: connection, sql: sql)
            }
        }
    }

    // MARK: Binding

    /// See <https://www.sqlite.org/c3ref/reset.html> and
    /// <https://www.sqlite.org/c3ref/clear_bindings.html>: reset does not clear bindings, so
    /// both are needed for a run to see only its own arguments.
    private func bind(_ arguments: StatementArguments, to handle: OpaquePointer) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let parameterCount = Int(sqlite3_bind_parameter_count(handle))

        switch arguments.storage {
        case .positional(let values):
            guard values.count == parameterCount else {
                throw SQLiteError(
                    extendedCode: SQLiteError.range,
                    message: "the statement takes \(parameterCount) argument(s) but \(values.count) were given",
                    sql: sql)
            }
            for (offset, value) in values.enumerated() {
                try bind(value, at: Int32(offset + 1), to: handle)
            }

        case .named(let values):
            var used: Set<String> = []
            for offset in 0..<Int32(parameterCount) {
                let index = offset + 1
                guard let cName = sqlite3_bind_parameter_name(handle, index) else {
                    throw SQLiteError(
                        extendedCode: SQLiteError.range,
                        message: "parameter \(index) has no name; pass positional arguments",
                        sql: sql)
                }
                let name = StatementArguments.parameterName(String(cString: cName))
                guard let value = values[name] else {
                    throw SQLiteError(
                        extendedCode: SQLiteError.range, message: "no argument for parameter :\(name)", sql: sql)
                }
                used.insert(name)
                try bind(value, at: index, to: handle)
            }
            let unused = Set(values.keys).subtracting(used)
            guard unused.isEmpty else {
                throw SQLiteError(
                    extendedCode: SQLiteError.range,
                    message: "the statement has no parameter named \(unused.sorted().map { ":\($0)" }.joined(separator: ", "))",
                    sql: sql)
            }
        }
    }

    /// Text and blob lengths are passed explicitly, so embedded zero bytes are kept. Empty
    /// ones get a non-NULL pointer (or zeroblob), because a NULL pointer binds SQL NULL.
    /// See <https://www.sqlite.org/c3ref/bind_blob.html>.
    private func bind(_ value: SQLiteValue, at index: Int32, to handle: OpaquePointer) throws {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            code = sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            code = sqlite3_bind_double(handle, index, real)
        case .text(var text):
            code = text.withUTF8 { bytes in
                guard let base = bytes.baseAddress, !bytes.isEmpty else {
                    return sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                    sqlite3_bind_text64(
                        handle, index, characters, UInt64(bytes.count), sqliteTransient, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress, !buffer.isEmpty else {
                    return sqlite3_bind_zeroblob(handle, index, 0)
                }
                return sqlite3_bind_blob64(handle, index, base, UInt64(buffer.count), sqliteTransient)
            }
        }
        guard code == SQLITE_OK else {
            throw SQLiteError(code: code, connection: connection, sql: sql)
        }
    }

    // MARK: Reading

    private static func columnNames(_ handle: OpaquePointer) -> [String] {
        (0..<sqlite3_column_count(handle)).map { index in
            sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
        }
    }

    /// Reads each column in its stored class; the type is asked first because asking for
    /// another type makes SQLite convert the value in place. A NULL pointer for TEXT, or for a
    /// non-empty BLOB, means SQLite ran out of memory.
    /// See <https://www.sqlite.org/c3ref/column_blob.html>.
    private func readValues(_ handle: OpaquePointer, count: Int) throws -> [SQLiteValue] {
        try (0..<Int32(count)).map { index in
            switch sqlite3_column_type(handle, index) {
            case SQLITE_INTEGER:
                return .integer(sqlite3_column_int64(handle, index))
            case SQLITE_FLOAT:
                return .real(sqlite3_column_double(handle, index))
            case SQLITE_TEXT:
                // Pointer first, then length: the order the documentation prescribes.
                let text = sqlite3_column_text(handle, index)
                let length = Int(sqlite3_column_bytes(handle, index))
                guard let text else { throw outOfMemory() }
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
            case SQLITE_BLOB:
                let blob = sqlite3_column_blob(handle, index)
                let length = Int(sqlite3_column_bytes(handle, index))
                guard let blob else {
                    if length == 0 { return .blob([]) }
                    throw outOfMemory()
                }
                return .blob(Array(UnsafeRawBufferPointer(start: blob, count: length)))
            default:
                return .null
            }
        }
    }

    private func outOfMemory() -> SQLiteError {
        SQLiteError(code: SQLITE_NOMEM, connection: nil, sql: sql)
    }
}
