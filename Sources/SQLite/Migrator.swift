/// Applies schema migrations in order, each once, each in its own transaction, and refuses a
/// database it cannot vouch for.
///
/// Applied migrations are recorded in
/// `schema_migrations(name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
/// with `applied_at` in UTC, ISO 8601 with milliseconds, like every timestamp Warta stores.
/// Before applying anything, `migrate(_:)` compares that table with the migrations it was
/// given and refuses to run (throwing `MigrationError`) if the database records a migration it
/// does not know (a newer binary made it: no silent downgrade), if an applied file has
/// changed, or if a new file sorts before an applied one.
///
/// Each migration runs as in the procedure of <https://www.sqlite.org/lang_altertable.html#otheralter>:
/// with foreign key enforcement off, so that rebuilding a table (create new, copy, drop old,
/// rename) does not cascade deletes into its children, then `PRAGMA foreign_key_check` before
/// the commit, so a migration that leaves a dangling reference fails instead. Enforcement is
/// restored afterwards.
///
/// Several processes may migrate the same file at once: each migration's transaction first
/// checks that no one else recorded it, so each is applied exactly once.
public struct Migrator: Sendable {
    /// The migrations, sorted by name (which sorts them by number).
    public let migrations: [Migration]

    /// Checks that every name is `NNNN_name.sql` and every number distinct, then sorts.
    /// - Throws: `MigrationError.invalidName` or `.duplicateNumber`.
    public init(migrations: [Migration]) throws {
        let sorted = migrations.sorted { $0.name < $1.name }
        var previous: (number: Substring, name: String)?
        for migration in sorted {
            guard let number = migration.number else {
                throw MigrationError.invalidName(migration.name)
            }
            if let previous, previous.number == number {
                throw MigrationError.duplicateNumber(previous.name, migration.name)
            }
            previous = (number, migration.name)
        }
        self.migrations = sorted
    }

    /// Compares the database with the known migrations, without changing anything; a database
    /// without `schema_migrations` has everything pending.
    public func status(_ db: Database) throws -> MigrationStatus {
        let hasTable = try db.queryOne(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'") != nil
        var recorded: [(name: String, checksum: String)] = []
        if hasTable {
            try db.forEachRow("SELECT name, checksum FROM schema_migrations ORDER BY name") { row in
                recorded.append((try row.string("name"), try row.string("checksum")))
            }
        }

        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.name, $0) })
        var applied: [String] = []
        var problems: [MigrationError] = []
        for (name, checksum) in recorded {
            guard let migration = known[name] else {
                problems.append(.unknownMigration(name))
                continue
            }
            if migration.checksum != checksum {
                problems.append(.changedMigration(name: name, recordedChecksum: checksum, currentChecksum: migration.checksum))
            }
            applied.append(name)
        }

        let recordedNames = Set(recorded.map(\.name))
        let pending = migrations.map(\.name).filter { !recordedNames.contains($0) }
        if let lastApplied = recorded.last?.name {
            for name in pending where name < lastApplied {
                problems.append(.outOfOrder(pending: name, lastApplied: lastApplied))
            }
        }
        return MigrationStatus(applied: applied, pending: pending, problems: problems)
    }

    /// The migrations `migrate(_:)` would apply, in order. Does not check for problems; see
    /// `status(_:)`.
    public func pendingMigrations(_ db: Database) throws -> [Migration] {
        let pending = Set(try status(db).pending)
        return migrations.filter { pending.contains($0.name) }
    }

    /// Applies the pending migrations and returns their names, in the order applied (empty if
    /// the database was up to date).
    ///
    /// - Throws: `MigrationError` naming the file: a refusal before anything is applied, or
    ///   `.failed` when a migration's SQL fails; that migration is rolled back, and the ones
    ///   before it stay applied. `SQLiteError` if the bookkeeping itself fails.
    public func migrate(_ db: Database) throws -> [String] {
        let pending: [Migration] = try db.transaction { db in
            try db.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name TEXT PRIMARY KEY,
                    checksum TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """)
            let status = try status(db)
            if let problem = status.problems.first {
                throw problem
            }
            let names = Set(status.pending)
            return migrations.filter { names.contains($0.name) }
        }
        guard !pending.isEmpty else { return [] }

        // The pragma is a no-op inside a transaction, so it is set around them.
        let foreignKeys = try db.queryOne("PRAGMA foreign_keys").map { try $0.int(0) } ?? 0
        try db.execute("PRAGMA foreign_keys = OFF")
        let outcome = Result { try apply(pending, to: db) }
        let restored = Result { try db.execute(foreignKeys == 0 ? "PRAGMA foreign_keys = OFF" : "PRAGMA foreign_keys = ON") }
        let applied = try outcome.get()
        try restored.get()
        return applied
    }

    /// Applies each migration not yet recorded; one recorded meanwhile by another process is
    /// skipped. Internal rather than private so a test can replay that race.
    func apply(_ pending: [Migration], to db: Database) throws -> [String] {
        var applied: [String] = []
        for migration in pending {
            let didApply: Bool
            do {
                didApply = try db.transaction { db in
                    let alreadyApplied = try db.queryOne(
                        "SELECT 1 FROM schema_migrations WHERE name = ?", [migration.name]) != nil
                    if alreadyApplied { return false }
                    try db.executeScript(migration.sql, allowingTransactionStatements: false)
                    try Self.checkForeignKeys(db)
                    try db.execute(
                        """
                        INSERT INTO schema_migrations (name, checksum, applied_at)
                        VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                        """,
                        [migration.name, migration.checksum])
                    return true
                }
            } catch let error as SQLiteError {
                throw MigrationError.failed(migration.name, error)
            }
            if didApply {
                applied.append(migration.name)
            }
        }
        return applied
    }

    /// See <https://www.sqlite.org/pragma.html#pragma_foreign_key_check>.
    private static func checkForeignKeys(_ db: Database) throws {
        let sql = "PRAGMA foreign_key_check"
        let violations = try db.query(sql)
        guard let first = violations.first else { return }
        let table = try first.string("table")
        let parent = try first.string("parent")
        let rowID = try first.optionalInt64("rowid").map(String.init) ?? "?"
        throw SQLiteError(
            extendedCode: SQLiteError.constraintForeignKey,
            message: "the migration leaves \(violations.count) row(s) violating foreign keys, "
                + "e.g. \(table) rowid \(rowID) references a missing row of \(parent)",
            sql: sql)
    }
}
