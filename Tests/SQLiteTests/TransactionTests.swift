import SQLite
import TestSupport
import Testing

@Suite struct TransactionTests {
    struct Abort: Error, Equatable {
        let reason: String
    }

    static func makeDatabase(in dir: TemporaryFolder) throws -> Database {
        let db = try dir.openDatabase()
        try db.executeScript("""
            CREATE TABLE incidents (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE audit_log (incident_id INTEGER NOT NULL REFERENCES incidents(id));
            INSERT INTO incidents (id, name) VALUES (1, 'existing');
            """)
        return db
    }

    @Test func bodyThatThrowsLeavesNothingBehindAndItsErrorIsRethrown() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try Self.makeDatabase(in: dir)
            #expect(throws: Abort(reason: "validation failed")) {
                try db.transaction { db in
                    try db.execute("INSERT INTO incidents (id, name) VALUES (?, ?)", [2, "outage"])
                    try db.execute("INSERT INTO audit_log (incident_id) VALUES (?)", [2])
                    try db.execute("UPDATE incidents SET name = ? WHERE id = ?", ["renamed", 1])
                    throw Abort(reason: "validation failed")
                }
            }
            #expect(db.isInTransaction == false)
            #expect(try db.count("incidents") == 1)
            #expect(try db.count("audit_log") == 0)
            #expect(try db.queryOne("SELECT name FROM incidents WHERE id = 1")?.string(0) == "existing")
        }
    }

    @Test func failingStatementRollsBackEarlierOnesAndItsSQLiteErrorIsRethrown() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try Self.makeDatabase(in: dir)
            let error = try #require(throws: SQLiteError.self) {
                try db.transaction { db in
                    try db.execute("INSERT INTO incidents (id, name) VALUES (?, ?)", [2, "outage"])
                    try db.execute("INSERT INTO audit_log (incident_id) VALUES (?)", [99])
                }
            }
            #expect(error.extendedCode == SQLiteError.constraintForeignKey)
            #expect(try db.count("incidents") == 1)
            #expect(db.isInTransaction == false)
        }
    }

    @Test func committedTransactionReturnsItsValueAndPersistsAfterReopening() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try Self.makeDatabase(in: dir)
            let id = try db.transaction { db in
                try db.execute("INSERT INTO incidents (name) VALUES (?)", ["outage"])
                let id = db.lastInsertedRowID
                try db.execute("INSERT INTO audit_log (incident_id) VALUES (?)", [id])
                return id
            }
            #expect(id == 2)
            db.close()

            let reopened = try dir.openDatabase()
            #expect(try reopened.queryOne("SELECT name FROM incidents WHERE id = ?", [id])?.string("name") == "outage")
            #expect(try reopened.count("audit_log") == 1)
        }
    }

    @Test func nestedTransactionIsRefusedAndTheOuterOneRollsBack() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try Self.makeDatabase(in: dir)
            var innerRan = false
            let error = try #require(throws: SQLiteError.self) {
                try db.transaction { db in
                    try db.execute("INSERT INTO incidents (name) VALUES (?)", ["outer"])
                    try db.transaction { _ in innerRan = true }
                }
            }
            #expect(error.extendedCode == SQLiteError.misuse)
            #expect(error.message == "transaction() was called inside an open transaction; transactions do not nest")
            #expect(innerRan == false)
            #expect(try db.count("incidents") == 1)
            #expect(db.isInTransaction == false)
        }
    }

    @Test func transactionTakesTheWriteLockAtBegin() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try Self.makeDatabase(in: dir)
            let other = try Database(path: dir.file("test.db"), busyTimeout: .zero)
            try db.transaction { _ in
                // BEGIN IMMEDIATE: even before this transaction writes, another writer is locked out.
                let error = try #require(throws: SQLiteError.self) {
                    try other.execute("INSERT INTO incidents (name) VALUES (?)", ["other"])
                }
                #expect(error.primaryCode == SQLiteError.busy)
            }
            try other.execute("INSERT INTO incidents (name) VALUES (?)", ["other"])
            #expect(try db.count("incidents") == 2)
        }
    }

    @Test func deferredTransactionLeavesOtherWritersFreeAndReadsOneSnapshot() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try Self.makeDatabase(in: dir)
            let other = try Database(path: dir.file("test.db"), busyTimeout: .zero)
            let counts = try db.transaction(.deferred) { db in
                let before = try db.count("incidents")
                // Not locked out: a deferred transaction that only reads takes no write lock.
                try other.execute("INSERT INTO incidents (name) VALUES (?)", ["other"])
                // The first read fixed the snapshot: the other connection's row is not seen yet.
                return (before, try db.count("incidents"))
            }
            #expect(counts.0 == 1)
            #expect(counts.1 == 1)
            #expect(db.isInTransaction == false)
            #expect(try db.count("incidents") == 2)
        }
    }

    @Test func deferredTransactionRollsBackLikeAnImmediateOne() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try Self.makeDatabase(in: dir)
            #expect(throws: Abort(reason: "refused")) {
                try db.transaction(.deferred) { db in
                    try db.execute("INSERT INTO incidents (name) VALUES (?)", ["outage"])
                    throw Abort(reason: "refused")
                }
            }
            #expect(db.isInTransaction == false)
            #expect(try db.count("incidents") == 1)
        }
    }
}
