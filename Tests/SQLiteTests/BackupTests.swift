import SQLite
import TestSupport
import Testing

@Suite struct BackupTests {
    static func makeSource(in dir: TemporaryFolder, rows: Int) throws -> Database {
        let db = try dir.openDatabase("source.db")
        try db.execute("CREATE TABLE updates (id INTEGER PRIMARY KEY, body TEXT NOT NULL, attachment BLOB)")
        try db.transaction { db in
            for index in 1...rows {
                try db.execute(
                    "INSERT INTO updates (id, body, attachment) VALUES (?, ?, ?)",
                    [index, "update \(index) ☀️", [UInt8](repeating: UInt8(index % 256), count: 100)])
            }
        }
        return db
    }

    @Test func backupOfAnOpenDatabaseHasItsRowsAndPassesIntegrityCheck() throws {
        try withTemporaryFolder("sqlite") { dir in
            let source = try Self.makeSource(in: dir, rows: 2000)
            try source.execute("DELETE FROM updates WHERE id > ?", [1500])

            try source.backup(to: dir.file("backup.db"))
            // The backup's connection is closed: one self-contained file, no WAL beside it.
            #expect(dir.fileExists("backup.db"))
            #expect(!dir.fileExists("backup.db-wal"))
            // Writes after the backup do not reach it.
            try source.execute("INSERT INTO updates (body) VALUES (?)", ["after"])

            let copy = try dir.openDatabase("backup.db", readOnly: true)
            #expect(try copy.queryOne("PRAGMA integrity_check")?.string(0) == "ok")
            #expect(try copy.count("updates") == 1500)
            let last = try #require(try copy.queryOne("SELECT * FROM updates ORDER BY id DESC"))
            #expect(try last.int("id") == 1500)
            #expect(try last.string("body") == "update 1500 ☀️")
            #expect(try last.blob("attachment") == [UInt8](repeating: UInt8(1500 % 256), count: 100))
            #expect(try source.count("updates") == 1501)
        }
    }

    @Test func backupIsConsistentWhileAnotherConnectionIsWriting() throws {
        try withTemporaryFolder("sqlite") { dir in
            let source = try Self.makeSource(in: dir, rows: 10)
            let writer = try dir.openDatabase("source.db")
            try writer.transaction { writer in
                try writer.execute("INSERT INTO updates (body) VALUES (?)", ["uncommitted"])
                // The open write transaction does not block the backup, which holds only what
                // was committed.
                try source.backup(to: dir.file("backup.db"))
            }
            #expect(try source.count("updates") == 11)

            let copy = try dir.openDatabase("backup.db")
            #expect(try copy.count("updates") == 10)
            #expect(try copy.queryOne("SELECT 1 FROM updates WHERE body = ?", ["uncommitted"]) == nil)
            #expect(try copy.queryOne("PRAGMA integrity_check")?.string(0) == "ok")
        }
    }

    @Test func backupNeverOverwritesAnExistingDatabase() throws {
        try withTemporaryFolder("sqlite") { dir in
            let source = try Self.makeSource(in: dir, rows: 3)
            let existing = try dir.openDatabase("existing.db")
            try existing.execute("CREATE TABLE precious (x)")
            existing.close()

            let error = try #require(throws: SQLiteError.self) {
                try source.backup(to: dir.file("existing.db"))
            }
            #expect(error.message == "backup file \(dir.file("existing.db")) already exists and holds a database; it is not overwritten")
            let reopened = try dir.openDatabase("existing.db")
            #expect(try reopened.count("precious") == 0)
            #expect(throws: SQLiteError.self) { try reopened.count("updates") }

            let itself = try #require(throws: SQLiteError.self) { try source.backup(to: source.path) }
            #expect(itself.extendedCode == SQLiteError.misuse)
            #expect(try source.count("updates") == 3)

            let insideTransaction = try #require(throws: SQLiteError.self) {
                try source.transaction { db in try db.backup(to: dir.file("never.db")) }
            }
            #expect(insideTransaction.message == "backup(to:) cannot run inside a transaction on the database being copied")
            #expect(!dir.fileExists("never.db"))
        }
    }
}
