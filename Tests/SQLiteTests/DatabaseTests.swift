import SQLite
import TestSupport
import Testing

@Suite struct DatabaseTests {
    @Test func openingSetsWALSynchronousFullAndForeignKeys() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            #expect(try db.queryOne("PRAGMA journal_mode")?.string(0) == "wal")
            #expect(try db.queryOne("PRAGMA synchronous")?.int(0) == 2)
            #expect(try db.queryOne("PRAGMA foreign_keys")?.int(0) == 1)
            #expect(db.path == dir.file("test.db"))
            #expect(db.isReadOnly == false)
        }
    }

    @Test func foreignKeyViolationThrowsExtendedCodeAndSQL() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            try db.executeScript("""
                CREATE TABLE components (id TEXT PRIMARY KEY);
                CREATE TABLE status_changes (component_id TEXT NOT NULL REFERENCES components(id));
                """)
            let sql = "INSERT INTO status_changes (component_id) VALUES (?)"
            let error = try #require(throws: SQLiteError.self) {
                try db.execute(sql, ["missing"])
            }
            #expect(error.extendedCode == 787)
            #expect(error.extendedCode == SQLiteError.constraintForeignKey)
            #expect(error.primaryCode == 19)
            #expect(error.isConstraintViolation)
            #expect(error.message == "FOREIGN KEY constraint failed")
            #expect(error.sql == sql)
            #expect(error.description == "SQLite error 787: FOREIGN KEY constraint failed — while executing: \(sql)")
            #expect(try db.count("status_changes") == 0)
        }
    }

    @Test func bindsAndReadsRoundTripEveryType() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            // Columns without a declared type have no affinity: values come back as bound.
            try db.execute("CREATE TABLE v (i, big, small, i32, r, t, nul, b, empty_t, empty_b, yes, no, none)")
            let text = "Gangguan — WIB ☀️ 日本語 e\u{301} \u{0} after NUL"
            let bytes: [UInt8] = [0, 1, 0, 255, 0]
            let none: String? = nil
            try db.execute(
                "INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [42, Int64.max, Int64.min, Int32.min, 3.25, text, nil, bytes, "", [UInt8](), true, false, none])

            let row = try #require(try db.queryOne("SELECT * FROM v"))
            #expect(row.columnNames == ["i", "big", "small", "i32", "r", "t", "nul", "b", "empty_t", "empty_b", "yes", "no", "none"])
            #expect(try row.int("i") == 42)
            #expect(try row.int64("big") == Int64.max)
            #expect(try row.int64("small") == Int64.min)
            #expect(try row.int("i32") == Int(Int32.min))
            #expect(try row.double("r") == 3.25)
            #expect(try row.string("t") == text)
            #expect(try row.string("t").utf8.count == text.utf8.count)
            #expect(try row.value("nul") == .null)
            #expect(try row.blob("b") == bytes)
            #expect(try row.string("empty_t") == "")
            #expect(try row.value("empty_b") == .blob([]))
            #expect(try row.bool("yes") == true)
            #expect(try row.bool("no") == false)
            #expect(try row.value("none") == .null)
            #expect(try row.optionalString("none") == nil)
            #expect(try row.optionalInt64("big") == Int64.max)
            #expect(try row.optionalBlob("nul") == nil)
            // Reads by index give the same values.
            #expect(try row.int64(1) == Int64.max)
            #expect(try row.string(5) == text)
            #expect(try row.optionalDouble(6) == nil)
            #expect(row.values.count == 13)
        }
    }

    @Test func sqliteValueBindsEachStorageClassAsIs() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let values: [SQLiteValue] = [.null, .integer(-7), .real(0.5), .text("x"), .blob([9])]
            let row = try #require(try db.queryOne(
                "SELECT ?, ?, ?, ?, ?, typeof(?1), typeof(?2), typeof(?3), typeof(?4), typeof(?5)",
                StatementArguments(values)))
            #expect(row.values == values + [.text("null"), .text("integer"), .text("real"), .text("text"), .text("blob")])
        }
    }

    @Test func nonOptionalReadsOfNullMissingColumnsAndWrongTypesThrow() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let row = try #require(try db.queryOne("SELECT NULL AS gone, 'abc' AS name, 1.5 AS ratio"))

            let null = try #require(throws: SQLiteError.self) { try row.string("gone") }
            #expect(null.extendedCode == SQLiteError.mismatch)
            #expect(null.message == "column 'gone' is NULL and cannot be read as String; read it with optionalString(_:)")

            let byIndex = try #require(throws: SQLiteError.self) { try row.int(0) }
            #expect(byIndex.message == "column 0 ('gone') is NULL and cannot be read as Int; read it with optionalInt(_:)")

            let missing = try #require(throws: SQLiteError.self) { try row.optionalString("nmae") }
            #expect(missing.extendedCode == SQLiteError.range)
            #expect(missing.message == "no column named 'nmae' in the row (columns: 'gone', 'name', 'ratio')")

            let outOfRange = try #require(throws: SQLiteError.self) { try row.int(3) }
            #expect(outOfRange.message == "column index 3 is out of range: the row has 3 column(s)")

            let wrongType = try #require(throws: SQLiteError.self) { try row.int("name") }
            #expect(wrongType.extendedCode == SQLiteError.mismatch)
            #expect(wrongType.message == "column 'name' holds TEXT and cannot be read as Int")

            // A REAL is an integer only when it is exactly one.
            #expect(throws: SQLiteError.self) { try row.int64("ratio") }
            #expect(try row.double("ratio") == 1.5)
            // Column names match case-insensitively, like SQL identifiers.
            #expect(try row.string("NAME") == "abc")
            #expect(row.hasColumn("Ratio"))
            #expect(!row.hasColumn("nmae"))
        }
    }

    @Test func statementCacheReturnsTheSameStatementWhichStillWorksAfterAFailedStep() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            let sql = "INSERT INTO t (id, name) VALUES (?, ?)"
            let first = try db.cachedStatement(sql)
            let second = try db.cachedStatement(sql)
            #expect(first === second)
            #expect(first.sql == sql)

            try first.execute([1, "one"])
            let duplicate = try #require(throws: SQLiteError.self) { try db.execute(sql, [1, "again"]) }
            #expect(duplicate.extendedCode == SQLiteError.constraintPrimaryKey)
            #expect(duplicate.extendedCode == 1555)
            let nullName = try #require(throws: SQLiteError.self) { try db.execute(sql, [2, nil]) }
            #expect(nullName.extendedCode == SQLiteError.constraintNotNull)
            #expect(nullName.message == "NOT NULL constraint failed: t.name")

            try second.execute([2, "two"])
            let names = try db.query("SELECT name FROM t ORDER BY id").map { try $0.string("name") }
            #expect(names == ["one", "two"])
            #expect(try db.cachedStatement(sql) === first)
        }
    }

    @Test func namedArgumentsBindByNameAndMustMatchExactly() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let row = try #require(try db.queryOne(
                "SELECT :id AS id, @name AS name, :id || '-' || $suffix AS label",
                [":id": "k3x9", "name": "API", "$suffix": 2]))
            #expect(try row.string("id") == "k3x9")
            #expect(try row.string("name") == "API")
            #expect(try row.string("label") == "k3x9-2")

            let missing = try #require(throws: SQLiteError.self) {
                try db.queryOne("SELECT :id, :name", ["id": 1])
            }
            #expect(missing.extendedCode == SQLiteError.range)
            #expect(missing.message == "no argument for parameter :name")

            let extra = try #require(throws: SQLiteError.self) {
                try db.queryOne("SELECT :id", ["id": 1, "nmae": "x", "other": nil])
            }
            #expect(extra.message == "the statement has no parameter named :nmae, :other")

            let unnamed = try #require(throws: SQLiteError.self) {
                try db.queryOne("SELECT ?", ["id": 1])
            }
            #expect(unnamed.message == "parameter 1 has no name; pass positional arguments")
        }
    }

    @Test func argumentsBuiltAtRunTimeBindLikeLiterals() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let ids = ["a", "b", "c"]
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            let row = try #require(try db.queryOne("SELECT \(placeholders)", StatementArguments(ids)))
            #expect(row.values == [.text("a"), .text("b"), .text("c")])

            let note: String? = nil
            let named: [String: (any SQLiteBindable)?] = ["id": 7, "note": note]
            let pair = try #require(try db.queryOne("SELECT :id, :note", StatementArguments(named)))
            #expect(pair.values == [.integer(7), .null])
        }
    }

    @Test func positionalArgumentCountMustMatch() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let sql = "SELECT ?, ?"
            let tooFew = try #require(throws: SQLiteError.self) { try db.query(sql, [1]) }
            #expect(tooFew.extendedCode == SQLiteError.range)
            #expect(tooFew.message == "the statement takes 2 argument(s) but 1 were given")
            #expect(tooFew.sql == sql)
            #expect(throws: SQLiteError.self) { try db.query(sql, [1, 2, 3]) }
            // Bindings of an earlier run never leak into the next one.
            #expect(try db.queryOne(sql, [1, 2])?.values == [.integer(1), .integer(2)])
            #expect(throws: SQLiteError.self) { try db.query(sql) }
        }
    }

    @Test func executeTakesExactlyOneStatement() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let two = try #require(throws: SQLiteError.self) {
                try db.execute("CREATE TABLE a (x); CREATE TABLE b (x)")
            }
            #expect(two.extendedCode == SQLiteError.misuse)
            #expect(two.message == "the SQL contains more than one statement; use executeScript(_:) for scripts")
            #expect(try db.count("sqlite_schema") == 0)

            // A trailing semicolon or comment is not a second statement.
            try db.execute("CREATE TABLE a (x); -- done\n")
            #expect(try db.count("a") == 0)

            let empty = try #require(throws: SQLiteError.self) { try db.execute("  -- nothing") }
            #expect(empty.message == "the SQL contains no statement")

            let syntax = try #require(throws: SQLiteError.self) { try db.execute("SELEC 1") }
            #expect(syntax.extendedCode == SQLiteError.error)
            #expect(syntax.message == "near \"SELEC\": syntax error")
            #expect(syntax.sql == "SELEC 1")
        }
    }

    @Test func executeScriptRunsEveryStatementAndNamesTheOneThatFails() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            try db.executeScript("""
                -- a comment first
                CREATE TABLE a (x TEXT);
                INSERT INTO a VALUES ('semi;colon');
                SELECT * FROM a;
                """)
            #expect(try db.queryOne("SELECT x FROM a")?.string(0) == "semi;colon")

            let runtime = try #require(throws: SQLiteError.self) {
                try db.executeScript("INSERT INTO a VALUES ('1');\n  INSERT INTO nowhere VALUES (1);\nINSERT INTO a VALUES ('3');")
            }
            #expect(runtime.message == "no such table: nowhere")
            #expect(runtime.sql == "INSERT INTO nowhere VALUES (1);")
            // Statements before the failure stay; the ones after never run.
            #expect(try db.count("a") == 2)

            let syntax = try #require(throws: SQLiteError.self) {
                try db.executeScript("INSERT INTO a VALUES ('4');\nINSERT INTO a VALUES ('a;b') oops;\nSELECT 1;")
            }
            #expect(syntax.message == "near \"oops\": syntax error")
            #expect(syntax.sql == "INSERT INTO a VALUES ('a;b') oops;")
        }
    }

    @Test func forEachRowStreamsRowsInOrderAndStopsOnError() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n"
            var seen: [Int] = []
            try db.forEachRow(sql, [1000]) { row in
                seen.append(try row.int("i"))
            }
            #expect(seen == Array(1...1000))

            struct Stop: Error, Equatable {}
            var visited = 0
            #expect(throws: Stop()) {
                try db.forEachRow(sql, [1000]) { _ in
                    visited += 1
                    if visited == 3 { throw Stop() }
                }
            }
            #expect(visited == 3)

            // The same SQL inside its own iteration would reset it: refused, not corrupted.
            let nested = try #require(throws: SQLiteError.self) {
                try db.forEachRow(sql, [2]) { _ in _ = try db.query(sql, [2]) }
            }
            #expect(nested.extendedCode == SQLiteError.misuse)
            // Other SQL may run inside the iteration, and the statement is usable afterwards.
            var pairs: [[Int]] = []
            try db.forEachRow(sql, [2]) { row in
                let tenfold = try #require(try db.queryOne("SELECT ? * 10", [try row.int(0)]))
                pairs.append([try row.int(0), try tenfold.int(0)])
            }
            #expect(pairs == [[1, 10], [2, 20]])
        }
    }

    @Test func finishedQueryKeepsNoReadTransactionSoCheckpointsComplete() throws {
        try withTemporaryFolder("sqlite") { dir in
            let writer = try Database(path: dir.file("test.db"), busyTimeout: .zero)
            try writer.executeScript("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3);")
            let reader = try dir.openDatabase(readOnly: true)
            // Stops after the first of three rows: the statement must still be reset.
            #expect(try reader.queryOne("SELECT x FROM t ORDER BY x")?.int(0) == 1)
            try writer.execute("INSERT INTO t VALUES (4)")
            // (busy, WAL frames, frames checkpointed): a reader still inside its snapshot
            // would make TRUNCATE report busy = 1.
            let checkpoint = try #require(try writer.queryOne("PRAGMA wal_checkpoint(TRUNCATE)"))
            #expect(checkpoint.values == [.integer(0), .integer(0), .integer(0)])
        }
    }

    @Test func queryOneReturnsTheFirstRowOrNil() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            try db.executeScript("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (3), (1), (2);")
            #expect(try db.queryOne("SELECT id FROM t ORDER BY id")?.int("id") == 1)
            #expect(try db.queryOne("SELECT id FROM t WHERE id > ?", [5]) == nil)
        }
    }

    @Test func lastInsertedRowIDAndChanges() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, flag INTEGER)")
            try db.execute("INSERT INTO t (id, flag) VALUES (?, ?)", [40, false])
            #expect(db.lastInsertedRowID == 40)
            try db.execute("INSERT INTO t (flag) VALUES (?)", [false])
            #expect(db.lastInsertedRowID == 41)
            try db.execute("UPDATE t SET flag = ?", [true])
            #expect(db.changes == 2)
            try db.execute("DELETE FROM t WHERE id = ?", [41])
            #expect(db.changes == 1)
        }
    }

    @Test func closedDatabaseAndItsStatementsThrowInsteadOfCrashing() throws {
        try withTemporaryFolder("sqlite") { dir in
            let db = try dir.openDatabase()
            let statement = try db.cachedStatement("SELECT 1")
            db.close()
            db.close()
            let error = try #require(throws: SQLiteError.self) { try db.execute("SELECT 1") }
            #expect(error.extendedCode == SQLiteError.misuse)
            #expect(error.message == "the database connection is closed")
            #expect(throws: SQLiteError.self) { try statement.query() }
            #expect(db.isInTransaction == false)
        }
    }

    @Test func readOnlyConnectionRefusesWrites() throws {
        try withTemporaryFolder("sqlite") { dir in
            let writer = try dir.openDatabase()
            try writer.execute("CREATE TABLE t (x)")
            let reader = try dir.openDatabase(readOnly: true)
            #expect(reader.isReadOnly)
            #expect(try reader.queryOne("PRAGMA journal_mode")?.string(0) == "wal")
            let error = try #require(throws: SQLiteError.self) { try reader.execute("INSERT INTO t VALUES (1)") }
            #expect(error.primaryCode == SQLiteError.readOnly)
            #expect(try writer.count("t") == 0)
        }
    }

    @Test func openingAMissingFileReadOnlyThrowsCantOpen() throws {
        try withTemporaryFolder("sqlite") { dir in
            let error = try #require(throws: SQLiteError.self) {
                try dir.openDatabase("missing.db", readOnly: true)
            }
            #expect(error.primaryCode == 14)  // SQLITE_CANTOPEN
            #expect(error.message.hasPrefix("cannot open \(dir.file("missing.db")): "))
            #expect(!dir.fileExists("missing.db"))
        }
    }

    @Test func inMemoryDatabaseIsRefusedBecauseItCannotUseWAL() throws {
        let error = try #require(throws: SQLiteError.self) { try Database(path: ":memory:") }
        #expect(error.message == "cannot put :memory: in WAL mode: journal_mode is memory")
    }

    @Test func connectionsOpenWithoutWaitingWhileAWriteTransactionIsOpen() throws {
        try withTemporaryFolder("sqlite") { dir in
            let writer = try dir.openDatabase()
            try writer.execute("CREATE TABLE t (x)")
            try writer.transaction { db in
                try db.execute("INSERT INTO t VALUES (1)")
                // A zero busy timeout: any lock wait during opening would throw SQLITE_BUSY.
                let reader = try Database(path: dir.file("test.db"), readOnly: true, busyTimeout: .zero)
                let secondWriter = try Database(path: dir.file("test.db"), busyTimeout: .zero)
                #expect(try reader.count("t") == 0)
                #expect(try secondWriter.count("t") == 0)
            }
        }
    }

    @Test func secondConnectionSeesOnlyCommittedDataWithoutWaitingForTheWriter() throws {
        try withTemporaryFolder("sqlite") { dir in
            let writer = try dir.openDatabase()
            try writer.execute("CREATE TABLE incidents (name TEXT)")
            try writer.execute("INSERT INTO incidents VALUES (?)", ["first"])
            let reader = try dir.openDatabase(readOnly: true)
            #expect(try reader.count("incidents") == 1)

            try writer.transaction { db in
                try db.execute("INSERT INTO incidents VALUES (?)", ["second"])
                // The writer holds the write lock; in WAL mode the reader is not blocked and
                // sees the last committed state.
                #expect(try reader.count("incidents") == 1)
            }
            let names = try reader.query("SELECT name FROM incidents ORDER BY rowid").map { try $0.string(0) }
            #expect(names == ["first", "second"])
        }
    }
}
