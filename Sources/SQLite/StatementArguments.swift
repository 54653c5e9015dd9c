/// The values bound to a statement's parameters: either all positional or all named.
///
/// Written as a literal at the call site:
///
/// ```swift
/// try db.execute("INSERT INTO components (id, name) VALUES (?, ?)", ["k3x9", "API"])
/// try db.execute("UPDATE components SET name = :name WHERE id = :id", ["id": "k3x9", "name": "Web"])
/// ```
///
/// Positional values fill parameters 1, 2, ... in order (`?`, `?NNN`, or named parameters by
/// their index). Named keys match `:name`, `@name` and `$name` parameters; a key may be written
/// with or without that prefix. The count must match exactly: a missing or an extra argument
/// throws, because either is a bug at the call site. Values are never interpolated into SQL.
///
/// See <https://www.sqlite.org/lang_expr.html#parameters> and
/// <https://www.sqlite.org/c3ref/bind_blob.html>.
public struct StatementArguments: Sendable, Equatable {
    enum Storage: Sendable, Equatable {
        case positional([SQLiteValue])
        case named([String: SQLiteValue])
    }

    let storage: Storage

    /// Positional arguments; `nil` elements bind NULL.
    public init(_ values: [(any SQLiteBindable)?]) {
        storage = .positional(values.map { $0?.sqliteValue ?? .null })
    }

    /// Named arguments; `nil` values bind NULL.
    public init(_ values: [String: (any SQLiteBindable)?]) {
        var named: [String: SQLiteValue] = [:]
        for (key, value) in values {
            named[Self.parameterName(key)] = value?.sqliteValue ?? .null
        }
        storage = .named(named)
    }

    /// Drops the one-character prefix that SQLite keeps in parameter names.
    static func parameterName(_ name: some StringProtocol) -> String {
        if let first = name.first, first == ":" || first == "@" || first == "$" {
            return String(name.dropFirst())
        }
        return String(name)
    }
}

extension StatementArguments: ExpressibleByArrayLiteral {
    /// Positional arguments: `["x", 3, nil]`.
    public init(arrayLiteral elements: (any SQLiteBindable)?...) {
        self.init(elements)
    }
}

extension StatementArguments: ExpressibleByDictionaryLiteral {
    /// Named arguments: `["id": "k3x9", "name": nil]`.
    public init(dictionaryLiteral elements: (String, (any SQLiteBindable)?)...) {
        var named: [String: SQLiteValue] = [:]
        for (key, value) in elements {
            named[Self.parameterName(key)] = value?.sqliteValue ?? .null
        }
        storage = .named(named)
    }
}
