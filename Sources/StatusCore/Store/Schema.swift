import SQLite

/// The database schema: the files of `migrations/`, compiled into the binary.
public enum Schema {
    /// Every migration this binary knows, in order.
    public static let migrations: [Migration] = EmbeddedMigrations.files
        .filter { $0.path.hasSuffix(".sql") && !$0.path.contains("/") }
        .map { Migration(name: $0.path, sql: String(decoding: $0.contents, as: UTF8.self)) }

    public static func migrator() throws -> Migrator {
        try Migrator(migrations: migrations)
    }
}
