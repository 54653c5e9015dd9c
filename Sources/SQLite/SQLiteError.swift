internal import CSQLite

/// The one error type of this module: a failure reported by SQLite, or a misuse of this wrapper
/// (wrong argument count, reading NULL as a non-optional, using a closed database).
///
/// `extendedCode` is SQLite's extended result code (extended codes are enabled on every
/// connection), so callers can tell a unique violation (2067) from a foreign-key one (787)
/// without parsing messages. Errors raised by the wrapper itself use the closest primary code:
/// `misuse`, `range` or `mismatch`.
///
/// The description carries the SQL text but never the bound values, so errors can be logged
/// without leaking what was written.
///
/// See <https://www.sqlite.org/rescode.html>.
public struct SQLiteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The extended result code, e.g. 787 for `SQLITE_CONSTRAINT_FOREIGNKEY`.
    public let extendedCode: Int32
    /// The message, from `sqlite3_errmsg` when SQLite raised the error
    /// (<https://www.sqlite.org/c3ref/errcode.html>).
    public let message: String
    /// The statement that failed, if the error came from one.
    public let sql: String?

    /// Creates an error; meant for tests and for layers that wrap this module.
    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// Reads the message of the connection's most recent failure; call it before anything else
    /// touches the connection, or the message is lost.
    init(code: Int32, connection: OpaquePointer?, sql: String? = nil) {
        let message: String
        if let connection, let text = sqlite3_errmsg(connection) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite3_errstr(code))
        }
        self.init(extendedCode: code, message: message, sql: sql)
    }

    /// The primary result code: the low 8 bits of the extended one
    /// (<https://www.sqlite.org/rescode.html#primary_result_codes_versus_extended_result_codes>).
    public var primaryCode: Int32 { extendedCode & 0xFF }

    /// `SQLite error 787: FOREIGN KEY constraint failed — while executing: INSERT INTO ...`
    public var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql {
            text += " — while executing: \(sql)"
        }
        return text
    }
}

extension SQLiteError {
    /// `SQLITE_ERROR` (1): generic error, e.g. an SQL syntax error or a missing table.
    public static let error: Int32 = SQLITE_ERROR
    /// `SQLITE_BUSY` (5): the busy timeout elapsed while another connection held a lock.
    public static let busy: Int32 = SQLITE_BUSY
    /// `SQLITE_READONLY` (8): a write on a read-only connection.
    public static let readOnly: Int32 = SQLITE_READONLY
    /// `SQLITE_CONSTRAINT` (19): the primary code of every constraint violation.
    public static let constraint: Int32 = SQLITE_CONSTRAINT
    /// `SQLITE_MISMATCH` (20): here, a column read as a Swift type it does not hold.
    public static let mismatch: Int32 = SQLITE_MISMATCH
    /// `SQLITE_MISUSE` (21): here, a call this wrapper does not allow (closed database,
    /// nested transaction, several statements where one is expected).
    public static let misuse: Int32 = SQLITE_MISUSE
    /// `SQLITE_RANGE` (25): here, a missing or extra argument, or a missing column.
    public static let range: Int32 = SQLITE_RANGE
    // The extended constraint codes are C macros Swift cannot import; each is the primary code
    // with a sub-code in the second byte, as sqlite3.h defines them.

    /// `SQLITE_CONSTRAINT_CHECK` (275).
    public static let constraintCheck: Int32 = SQLITE_CONSTRAINT | (2 << 8)
    /// `SQLITE_CONSTRAINT_FOREIGNKEY` (787).
    public static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)
    /// `SQLITE_CONSTRAINT_NOTNULL` (1299).
    public static let constraintNotNull: Int32 = SQLITE_CONSTRAINT | (5 << 8)
    /// `SQLITE_CONSTRAINT_PRIMARYKEY` (1555).
    public static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)
    /// `SQLITE_CONSTRAINT_UNIQUE` (2067).
    public static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)

    /// True for every kind of constraint violation (UNIQUE, NOT NULL, CHECK, FOREIGN KEY, ...).
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    static func closed(sql: String? = nil) -> SQLiteError {
        SQLiteError(extendedCode: SQLITE_MISUSE, message: "the database connection is closed", sql: sql)
    }
}
