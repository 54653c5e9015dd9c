import Foundation
import SQLite

/// Typed reads of a result row by column name, with the domain's stored forms (timestamps,
/// enums, JSON translations), the names resolved to positions once per query.
///
/// `Row`'s own typed reads cost about half a microsecond each (they lowercase the name and
/// build an error label on every read); `state()` makes tens of thousands of reads, so its
/// decoders read the values through this instead. A value that does not parse is reported as
/// a mismatch, like the wrapper's own type errors: the file was edited by hand or by a newer
/// version, and the query cannot go on pretending.
struct RowReader {
    private let values: [SQLiteValue]
    private let positions: [String: Int]

    /// Readers for every row of one query.
    static func readers(_ rows: [Row]) -> [RowReader] {
        guard let first = rows.first else { return [] }
        var positions: [String: Int] = [:]
        for (position, name) in first.columnNames.enumerated() where positions[name] == nil {
            positions[name] = position
        }
        return rows.map { RowReader(values: $0.values, positions: positions) }
    }

    /// A reader for a single row.
    init(_ row: Row) {
        self = Self.readers([row])[0]
    }

    private init(values: [SQLiteValue], positions: [String: Int]) {
        self.values = values
        self.positions = positions
    }

    private func value(_ column: String) throws -> SQLiteValue {
        guard let position = positions[column] else {
            throw SQLiteError(extendedCode: SQLiteError.range, message: "no column named '\(column)' in the row")
        }
        return values[position]
    }

    func string(_ column: String) throws -> String {
        guard let text = try optionalString(column) else { throw Self.mismatch(column, "NULL", "text") }
        return text
    }

    func optionalString(_ column: String) throws -> String? {
        switch try value(column) {
        case .null: return nil
        case .text(let text): return text
        default: throw Self.mismatch(column, "a non-text value", "text")
        }
    }

    func int(_ column: String) throws -> Int {
        guard case .integer(let integer) = try value(column) else { throw Self.mismatch(column, "a value", "an integer") }
        return Int(integer)
    }

    func optionalInt(_ column: String) throws -> Int? {
        switch try value(column) {
        case .null: return nil
        case .integer(let integer): return Int(integer)
        default: throw Self.mismatch(column, "a non-integer value", "an integer")
        }
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        switch try value(column) {
        case .null: return nil
        case .integer(let integer): return integer
        default: throw Self.mismatch(column, "a non-integer value", "an integer")
        }
    }

    func int64(_ column: String) throws -> Int64 {
        guard case .integer(let integer) = try value(column) else { throw Self.mismatch(column, "a value", "an integer") }
        return integer
    }

    /// An INTEGER 0 or 1.
    func bool(_ column: String) throws -> Bool {
        try int64(column) != 0
    }

    /// A timestamp stored by `Timestamp.format`.
    func date(_ column: String) throws -> Date {
        let text = try string(column)
        guard let date = Timestamp.parse(text) else { throw Self.mismatch(column, text, "a timestamp") }
        return date
    }

    func optionalDate(_ column: String) throws -> Date? {
        guard let text = try optionalString(column) else { return nil }
        guard let date = Timestamp.parse(text) else { throw Self.mismatch(column, text, "a timestamp") }
        return date
    }

    /// A Statuspage enum stored as its string.
    func value<Value: RawRepresentable>(_ type: Value.Type, _ column: String) throws -> Value
    where Value.RawValue == String {
        let text = try string(column)
        guard let value = Value(rawValue: text) else { throw Self.mismatch(column, text, "a \(Value.self)") }
        return value
    }

    func optionalValue<Value: RawRepresentable>(_ type: Value.Type, _ column: String) throws -> Value?
    where Value.RawValue == String {
        guard let text = try optionalString(column) else { return nil }
        guard let value = Value(rawValue: text) else { throw Self.mismatch(column, text, "a \(Value.self)") }
        return value
    }

    /// A JSON object of strings, such as `name_translations`.
    func translations(_ column: String) throws -> [String: String] {
        let text = try string(column)
        guard let map = StoredJSON.decodeTranslations(text) else {
            throw Self.mismatch(column, text, "a JSON object of strings")
        }
        return map
    }

    private static func mismatch(_ column: String, _ text: String, _ expected: String) -> SQLiteError {
        SQLiteError(extendedCode: SQLiteError.mismatch,
                    message: "column '\(column)' holds '\(text.prefix(64))', which is not \(expected)")
    }
}
