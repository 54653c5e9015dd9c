/// One result row, copied out of the statement, so it stays valid after the statement moves
/// on and can be sent to another thread.
///
/// Typed reads take a column index (from 0) or a column name. Names match case-insensitively,
/// as SQL identifiers do; if two columns share a name, the leftmost wins (alias them in SQL to
/// reach the other). A non-optional read of NULL, of a missing column or of a value of another
/// storage class throws `SQLiteError`; it never traps. The `optional...` reads return `nil`
/// for NULL only, and still throw for a missing column, which is a bug in the query.
///
/// Conversions are strict, unlike `sqlite3_column_int64`, which would silently turn `'abc'`
/// into 0 (<https://www.sqlite.org/c3ref/column_blob.html>): integers read INTEGER (or a REAL
/// holding an exact integer), doubles read REAL or INTEGER, strings read TEXT, blobs read BLOB,
/// and bools read INTEGER (non-zero is true).
public struct Row: Sendable {
    /// Column names and their lookup table, shared by every row of one query.
    final class Columns: Sendable {
        let names: [String]
        /// Exact names first: reads name columns as the SQL spells them, so the common
        /// lookup needs no lowercasing.
        let indexByName: [String: Int]
        let indexByLowercasedName: [String: Int]

        init(names: [String]) {
            self.names = names
            var exact: [String: Int] = [:]
            for (position, name) in names.enumerated() where exact[name] == nil { exact[name] = position }
            indexByName = exact
            var index: [String: Int] = [:]
            for (position, name) in names.enumerated() where index[name.lowercased()] == nil {
                index[name.lowercased()] = position
            }
            indexByLowercasedName = index
        }
    }

    let columns: Columns

    /// The values, in column order.
    public let values: [SQLiteValue]

    init(columns: Columns, values: [SQLiteValue]) {
        self.columns = columns
        self.values = values
    }

    /// The column names, in order, as SQLite reports them (`AS` aliases included).
    public var columnNames: [String] { columns.names }

    /// Whether the row has a column of this name.
    public func hasColumn(_ name: String) -> Bool {
        columns.indexByLowercasedName[name.lowercased()] != nil
    }

    /// The raw value at a column index; throws if the index is out of range.
    public func value(at index: Int) throws -> SQLiteValue {
        guard values.indices.contains(index) else {
            throw SQLiteError(
                extendedCode: SQLiteError.range,
                message: "column index \(index) is out of range: the row has \(values.count) column(s)")
        }
        return values[index]
    }

    /// The raw value of a named column; throws if there is no such column.
    public func value(_ column: String) throws -> SQLiteValue {
        guard let index = columns.indexByName[column] ?? columns.indexByLowercasedName[column.lowercased()] else {
            let known = columns.names.map { "'\($0)'" }.joined(separator: ", ")
            throw SQLiteError(
                extendedCode: SQLiteError.range,
                message: "no column named '\(column)' in the row (columns: \(known))")
        }
        return values[index]
    }

    /// A column of a row: its position (from 0) or its name. A literal of either kind
    /// converts, so reads are written `row.string("name")` or `row.int(0)`.
    public enum Column: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case named(String)
        case position(Int)

        public init(stringLiteral name: String) { self = .named(name) }
        public init(integerLiteral position: Int) { self = .position(position) }
    }

    // MARK: Typed reads

    /// An INTEGER (or an integral REAL) as `Int`.
    public func int(_ column: Column) throws -> Int { try required(column, "Int", Self.asInt) }
    /// An INTEGER (or an integral REAL) as `Int64`.
    public func int64(_ column: Column) throws -> Int64 { try required(column, "Int64", Self.asInt64) }
    /// A REAL or INTEGER as `Double`.
    public func double(_ column: Column) throws -> Double { try required(column, "Double", Self.asDouble) }
    /// TEXT as `String`.
    public func string(_ column: Column) throws -> String { try required(column, "String", Self.asString) }
    /// An INTEGER as `Bool`: 0 is false, anything else true.
    public func bool(_ column: Column) throws -> Bool { try required(column, "Bool", Self.asBool) }
    /// A BLOB as bytes.
    public func blob(_ column: Column) throws -> [UInt8] { try required(column, "Blob", Self.asBlob) }

    /// Like `int(_:)`, with `nil` for NULL.
    public func optionalInt(_ column: Column) throws -> Int? { try optional(column, "Int", Self.asInt) }
    /// Like `int64(_:)`, with `nil` for NULL.
    public func optionalInt64(_ column: Column) throws -> Int64? { try optional(column, "Int64", Self.asInt64) }
    /// Like `double(_:)`, with `nil` for NULL.
    public func optionalDouble(_ column: Column) throws -> Double? { try optional(column, "Double", Self.asDouble) }
    /// Like `string(_:)`, with `nil` for NULL.
    public func optionalString(_ column: Column) throws -> String? { try optional(column, "String", Self.asString) }
    /// Like `bool(_:)`, with `nil` for NULL.
    public func optionalBool(_ column: Column) throws -> Bool? { try optional(column, "Bool", Self.asBool) }
    /// Like `blob(_:)`, with `nil` for NULL.
    public func optionalBlob(_ column: Column) throws -> [UInt8]? { try optional(column, "Blob", Self.asBlob) }

    // MARK: Conversion

    private func required<T>(_ column: Column, _ type: String, _ convert: (SQLiteValue) -> T?) throws -> T {
        try unwrap(optional(column, type, convert), label: label(column), type: type)
    }

    private func optional<T>(_ column: Column, _ type: String, _ convert: (SQLiteValue) -> T?) throws -> T? {
        switch column {
        case .named(let name): try converted(value(name), label: label(column), type: type, convert)
        case .position(let index): try converted(value(at: index), label: label(column), type: type, convert)
        }
    }

    private func label(_ column: Column) -> String {
        switch column {
        case .named(let name): "column '\(name)'"
        case .position(let index):
            columns.names.indices.contains(index) ? "column \(index) ('\(columns.names[index])')" : "column \(index)"
        }
    }

    /// `nil` means NULL; a value of the wrong storage class throws.
    private func converted<T>(
        _ value: SQLiteValue, label: @autoclosure () -> String, type: String, _ convert: (SQLiteValue) -> T?
    ) throws -> T? {
        if value.isNull { return nil }
        guard let result = convert(value) else {
            throw SQLiteError(
                extendedCode: SQLiteError.mismatch,
                message: "\(label()) holds \(value.storageClassName) and cannot be read as \(type)")
        }
        return result
    }

    private func unwrap<T>(_ value: T?, label: @autoclosure () -> String, type: String) throws -> T {
        guard let value else {
            throw SQLiteError(
                extendedCode: SQLiteError.mismatch,
                message: "\(label()) is NULL and cannot be read as \(type); read it with optional\(type)(_:)")
        }
        return value
    }

    private static func asInt64(_ value: SQLiteValue) -> Int64? {
        switch value {
        case .integer(let integer): integer
        case .real(let real): Int64(exactly: real)
        default: nil
        }
    }

    private static func asInt(_ value: SQLiteValue) -> Int? {
        asInt64(value).flatMap { Int(exactly: $0) }
    }

    private static func asDouble(_ value: SQLiteValue) -> Double? {
        switch value {
        case .real(let real): real
        case .integer(let integer): Double(integer)
        default: nil
        }
    }

    private static func asString(_ value: SQLiteValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
    }

    private static func asBool(_ value: SQLiteValue) -> Bool? {
        if case .integer(let integer) = value { return integer != 0 }
        return nil
    }

    private static func asBlob(_ value: SQLiteValue) -> [UInt8]? {
        if case .blob(let bytes) = value { return bytes }
        return nil
    }
}
