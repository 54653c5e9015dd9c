/// A Swift value that can be bound to a statement parameter.
///
/// The conversions are fixed and lossless: `Bool` is stored as INTEGER 0 or 1 (SQLite has no
/// boolean class, <https://www.sqlite.org/datatype3.html#boolean_datatype>), `[UInt8]` as a
/// BLOB, and `nil` of any conforming `Optional` as NULL.
///
/// Dates are deliberately absent: callers choose a text or integer representation and bind
/// that, so the stored format is visible at the call site.
public protocol SQLiteBindable {
    /// The value SQLite will store.
    var sqliteValue: SQLiteValue { get }
}

extension SQLiteValue: SQLiteBindable {
    /// The value itself.
    public var sqliteValue: SQLiteValue { self }
}

extension Int: SQLiteBindable {
    /// An INTEGER. `Int` is 64-bit on every platform Warta supports, so this never traps.
    public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
}

extension Int64: SQLiteBindable {
    /// An INTEGER.
    public var sqliteValue: SQLiteValue { .integer(self) }
}

extension Int32: SQLiteBindable {
    /// An INTEGER.
    public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
}

extension Double: SQLiteBindable {
    /// A REAL. SQLite stores NaN as NULL.
    public var sqliteValue: SQLiteValue { .real(self) }
}

extension Bool: SQLiteBindable {
    /// INTEGER 1 or 0.
    public var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
}

extension String: SQLiteBindable {
    /// TEXT.
    public var sqliteValue: SQLiteValue { .text(self) }
}

extension Array: SQLiteBindable where Element == UInt8 {
    /// A BLOB.
    public var sqliteValue: SQLiteValue { .blob(self) }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    /// NULL for `nil`, otherwise the wrapped value's.
    public var sqliteValue: SQLiteValue {
        switch self {
        case .none: .null
        case .some(let wrapped): wrapped.sqliteValue
        }
    }
}
