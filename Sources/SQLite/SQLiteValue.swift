/// One value as SQLite stores it: one of its five storage classes.
///
/// SQLite is dynamically typed per value, not per column, so a read returns whichever class was
/// stored; `Row` converts to Swift types and reports a mismatch instead of guessing.
///
/// See <https://www.sqlite.org/datatype3.html#storage_classes_and_datatypes>.
public enum SQLiteValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A signed 64-bit integer.
    case integer(Int64)
    /// An IEEE 754 double.
    case real(Double)
    /// UTF-8 text. Bound with its byte length, so text containing U+0000 survives intact.
    case text(String)
    /// Raw bytes; an empty array is stored as a zero-length BLOB, not as NULL.
    case blob([UInt8])

    /// True for SQL NULL.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The storage class name as SQLite spells it, for error messages.
    var storageClassName: String {
        switch self {
        case .null: "NULL"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        }
    }
}
