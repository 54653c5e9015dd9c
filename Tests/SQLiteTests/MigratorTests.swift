@testable import SQLite
import TestSupport
import Testing

@Suite struct MigratorTests {
    static let initial = Migration(name: "0001_init.sql", sql: """
        CREATE TABLE components (id TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE status_changes (
            component_id TEXT NOT NULL REFERENCES components(id) ON DELETE CASCADE,
            status TEXT NOT NULL
        );
        """)
    static let addPosition = Migration(name: "0002_component_position.sql", sql: """
        ALTER TABLE components ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX components_position ON components(position);
        """)
    static let webhooks = Migration(name: "0003_webhooks.sql", sql: """
        CREATE TABLE webhooks (url TEXT NOT NULL);
        """)

    static func recorded(_ db: Database) throws -> [[String]] {
        try db.query("SELECT name, checksum FROM schema_migrations ORDER BY name").map {
            [try $0.string("name"), try $0.string("checksum")]
        }
    }

    static func tableExists(_ db: Database, _ name: String) throws -> Bool {
        try db.queryOne("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", [name]) != nil
    }

    @Test func migrationsApplyOnceAndInOrder() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            // Given out of order: the migrator sorts by name, and 0002 needs 0001's table.
            let migrator = try Migrator(migrations: [Self.webhooks, Self.initial, Self.addPosition])
            #expect(migrator.migrations.map(\.name) == ["0001_init.sql", "0002_component_position.sql", "0003_webhooks.sql"])
            #expect(try migrator.pendingMigrations(db).map(\.name) == migrator.migrations.map(\.name))

            #expect(try migrator.migrate(db) == ["0001_init.sql", "0002_component_position.sql", "0003_webhooks.sql"])
            #expect(try migrator.migrate(db) == [])
            #expect(try migrator.pendingMigrations(db) == [])

            #expect(try Self.recorded(db) == [
                ["0001_init.sql", Self.initial.checksum],
                ["0002_component_position.sql", Self.addPosition.checksum],
                ["0003_webhooks.sql", Self.webhooks.checksum],
            ])
            let appliedAt = try #require(try db.queryOne("SELECT applied_at FROM schema_migrations")).string(0)
            #expect(appliedAt.count == 24)
            let pattern = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z"
            #expect(try db.queryOne("SELECT ? GLOB ?", [appliedAt, pattern])?.bool(0) == true)

            try db.execute("INSERT INTO components (id, name, position) VALUES (?, ?, ?)", ["api", "API", 3])
            #expect(try db.queryOne("PRAGMA foreign_keys")?.int(0) == 1)
            #expect(try migrator.status(db) == MigrationStatus(applied: migrator.migrations.map(\.name), pending: [], problems: []))
        }
    }

    @Test func newMigrationsApplyOnTopOfOldOnes() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            #expect(try Migrator(migrations: [Self.initial]).migrate(db) == ["0001_init.sql"])
            let newer = try Migrator(migrations: [Self.initial, Self.addPosition, Self.webhooks])
            let status = try newer.status(db)
            #expect(status.applied == ["0001_init.sql"])
            #expect(status.pending == ["0002_component_position.sql", "0003_webhooks.sql"])
            #expect(status.problems == [])
            #expect(!status.isUpToDate)
            #expect(try newer.migrate(db) == ["0002_component_position.sql", "0003_webhooks.sql"])
            #expect(try newer.status(db).isUpToDate)
        }
    }

    @Test func failingMigrationLeavesTheDatabaseAtThePreviousVersion() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let broken = Migration(name: "0002_incidents.sql", sql: """
                CREATE TABLE incidents (id TEXT PRIMARY KEY);
                INSERT INTO incidents (id, missing_column) VALUES ('x', 1);
                """)
            let migrator = try Migrator(migrations: [Self.initial, broken, Self.webhooks])

            let error = try #require(throws: MigrationError.self) { try migrator.migrate(db) }
            guard case .failed(let name, let cause) = error else {
                Issue.record("expected .failed, got \(error)")
                return
            }
            #expect(name == "0002_incidents.sql")
            #expect(cause.message == "table incidents has no column named missing_column")
            #expect(cause.sql == "INSERT INTO incidents (id, missing_column) VALUES ('x', 1);")
            #expect(error.description.hasPrefix(
                "migration 0002_incidents.sql failed and was rolled back: SQLite error 1: table incidents has no column named missing_column"))

            #expect(try Self.tableExists(db, "components"))
            #expect(try !Self.tableExists(db, "incidents"))
            #expect(try !Self.tableExists(db, "webhooks"))
            #expect(try Self.recorded(db) == [["0001_init.sql", Self.initial.checksum]])
            #expect(db.isInTransaction == false)
            #expect(try db.queryOne("PRAGMA foreign_keys")?.int(0) == 1)
        }
    }

    @Test func databaseWithAnUnknownNewerMigrationIsRefused() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            _ = try Migrator(migrations: [Self.initial, Self.addPosition, Self.webhooks]).migrate(db)

            let older = try Migrator(migrations: [Self.initial, Self.addPosition])
            let error = try #require(throws: MigrationError.self) { try older.migrate(db) }
            #expect(error == .unknownMigration("0003_webhooks.sql"))
            #expect(error.description == "database has migration 0003_webhooks.sql that this version of Warta does not know; refusing to start (was it created by a newer version?)")
            #expect(try older.status(db).problems == [.unknownMigration("0003_webhooks.sql")])
            #expect(try Self.recorded(db).count == 3)
        }
    }

    @Test func changedMigrationIsRefusedBeforeAnythingIsApplied() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            _ = try Migrator(migrations: [Self.initial]).migrate(db)

            let edited = Migration(name: "0001_init.sql", sql: Self.initial.sql + "\n-- tweak\n")
            let migrator = try Migrator(migrations: [edited, Self.addPosition])
            let error = try #require(throws: MigrationError.self) { try migrator.migrate(db) }
            #expect(error == .changedMigration(
                name: "0001_init.sql", recordedChecksum: Self.initial.checksum, currentChecksum: edited.checksum))
            #expect(error.description.hasPrefix("migration 0001_init.sql was changed after it was applied"))
            #expect(try Self.recorded(db) == [["0001_init.sql", Self.initial.checksum]])
            #expect(try db.queryOne("SELECT 1 FROM pragma_table_info('components') WHERE name = 'position'") == nil)
        }
    }

    @Test func newMigrationSortingBeforeAnAppliedOneIsRefused() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            _ = try Migrator(migrations: [Self.initial, Self.webhooks]).migrate(db)

            let merged = try Migrator(migrations: [Self.initial, Self.addPosition, Self.webhooks])
            let error = try #require(throws: MigrationError.self) { try merged.migrate(db) }
            #expect(error == .outOfOrder(pending: "0002_component_position.sql", lastApplied: "0003_webhooks.sql"))
            #expect(try Self.recorded(db).map { $0[0] } == ["0001_init.sql", "0003_webhooks.sql"])
        }
    }

    @Test func migrationRecordedMeanwhileByAnotherProcessIsSkipped() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let migrator = try Migrator(migrations: [Self.initial, Self.webhooks])
            // Another process applied 0001 between this one's check and its apply.
            let other = try dir.openDatabase()
            #expect(try Migrator(migrations: [Self.initial]).migrate(other) == ["0001_init.sql"])
            #expect(try migrator.apply(migrator.migrations, to: db) == ["0003_webhooks.sql"])
            #expect(try Self.recorded(db).map { $0[0] } == ["0001_init.sql", "0003_webhooks.sql"])
        }
    }

    @Test func namesMustBeNumberedAndNumbersUnique() throws {
        for name in ["init.sql", "1_init.sql", "0001-init.sql", "0001_Init.sql", "0001_init.SQL", "0001_.sql", "00001_init.sql", "0001_in it.sql"] {
            #expect(throws: MigrationError.invalidName(name)) {
                try Migrator(migrations: [Migration(name: name, sql: "")])
            }
        }
        #expect(throws: MigrationError.duplicateNumber("0002_a.sql", "0002_b.sql")) {
            try Migrator(migrations: [Migration(name: "0002_b.sql", sql: ""), Migration(name: "0002_a.sql", sql: "")])
        }
        let twice = try #require(throws: MigrationError.self) {
            try Migrator(migrations: [Self.initial, Self.initial])
        }
        #expect(twice.description == "migration 0001_init.sql is listed twice")
        #expect(try Migrator(migrations: [Migration(name: "0010_webhook-outbox_2.sql", sql: "")]).migrations.count == 1)
    }

    @Test func checksumIsHexOfFNV1a64() {
        // Reference values of the FNV-1a 64-bit test suite.
        #expect(Migration(name: "0001_a.sql", sql: "").checksum == "cbf29ce484222325")
        #expect(Migration(name: "0001_a.sql", sql: "a").checksum == "af63dc4c8601ec8c")
        #expect(Migration(name: "0001_a.sql", sql: "foobar").checksum == "85944171f73967e8")
    }

    @Test func migrationMayNotControlTheTransaction() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let committing = Migration(name: "0002_commit.sql", sql: "CREATE TABLE half (x);\nCOMMIT;\nCREATE TABLE other (x);")
            let error = try #require(throws: MigrationError.self) {
                try Migrator(migrations: [Self.initial, committing]).migrate(db)
            }
            guard case .failed("0002_commit.sql", let cause) = error else {
                Issue.record("expected .failed, got \(error)")
                return
            }
            #expect(cause.sql == "COMMIT;")
            #expect(try !Self.tableExists(db, "half"))
            #expect(try Self.recorded(db).map { $0[0] } == ["0001_init.sql"])
            // The authorizer is gone afterwards.
            try db.transaction { _ in }
        }
    }

    @Test func tableRebuildDoesNotCascadeIntoChildren() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            _ = try Migrator(migrations: [Self.initial]).migrate(db)
            try db.execute("INSERT INTO components (id, name) VALUES (?, ?)", ["api", "API"])
            try db.execute("INSERT INTO status_changes (component_id, status) VALUES (?, ?), (?, ?)", ["api", "operational", "api", "major_outage"])

            // The procedure of https://www.sqlite.org/lang_altertable.html#otheralter.
            let rebuild = Migration(name: "0002_rebuild_components.sql", sql: """
                CREATE TABLE components_new (id TEXT PRIMARY KEY, name TEXT NOT NULL CHECK (name <> ''));
                INSERT INTO components_new (id, name) SELECT id, name FROM components;
                DROP TABLE components;
                ALTER TABLE components_new RENAME TO components;
                """)
            #expect(try Migrator(migrations: [Self.initial, rebuild]).migrate(db) == ["0002_rebuild_components.sql"])
            #expect(try db.count("status_changes") == 2)
            #expect(try db.queryOne("PRAGMA foreign_keys")?.int(0) == 1)
            // The children still reference the rebuilt table, with enforcement back on.
            #expect(throws: SQLiteError.self) {
                try db.execute("INSERT INTO status_changes (component_id, status) VALUES (?, ?)", ["nope", "operational"])
            }
        }
    }

    @Test func migrationLeavingADanglingReferenceFails() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            _ = try Migrator(migrations: [Self.initial]).migrate(db)
            try db.execute("INSERT INTO components (id, name) VALUES (?, ?)", ["api", "API"])
            try db.execute("INSERT INTO status_changes (component_id, status) VALUES (?, ?)", ["api", "operational"])

            let dangling = Migration(name: "0002_drop_api.sql", sql: "DELETE FROM components WHERE id = 'api';")
            let error = try #require(throws: MigrationError.self) {
                try Migrator(migrations: [Self.initial, dangling]).migrate(db)
            }
            guard case .failed("0002_drop_api.sql", let cause) = error else {
                Issue.record("expected .failed, got \(error)")
                return
            }
            #expect(cause.extendedCode == SQLiteError.constraintForeignKey)
            #expect(cause.message == "the migration leaves 1 row(s) violating foreign keys, e.g. status_changes rowid 1 references a missing row of components")
            #expect(try db.count("components") == 1)
            #expect(try db.count("status_changes") == 1)
        }
    }
}
