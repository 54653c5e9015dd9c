import Foundation
import SQLite
import TestSupport
import Testing

/// `warta backup` while the server runs, the documented restore, and `warta check`.
@Suite struct MaintenanceEndToEndTests {
    typealias Fixture = ManagementAPITests.Fixture
    static func run(_ arguments: [String]) throws -> PublicPagesEndToEndTests.Run {
        try PublicPagesEndToEndTests.runUntilExit(arguments)
    }

    @Test func backupWhileServingThenRestore() throws {
        let fixture = try Fixture()
        #expect(try fixture.request("POST", "/v1/pages/{page}/components", form: ["component[name]=Autogate T2"]).status == 201)
        let restored = try TemporaryFolder("e2e")
        defer { restored.remove() }
        let backup = restored.file("backup.db")

        let made = try Self.run(["backup", backup, "--db", fixture.databasePath])
        #expect(made.status == 0, "\(made.standardError)")
        #expect(made.standardOutput.contains("integrity ok"))
        // An existing database is never overwritten.
        let again = try Self.run(["backup", backup, "--db", fixture.databasePath])
        #expect(again.status == 1)
        #expect(again.standardError.contains("not overwritten"))
        #expect(!again.standardError.contains("Usage:"))

        // The restore in the README: the backup becomes the database of a server.
        try FileManager.default.moveItem(atPath: backup, toPath: restored.file("warta.db"))
        let server = try WartaProcess([], folder: restored)
        defer { server.stop() }
        let components = parseCurlResponse(try curl(["-i", server.baseURL + "/api/v2/components.json"]))
        #expect(components.status == 200)
        #expect(components.body.contains("Autogate T2"))
    }

    @Test func checkReportsIntegrityAndMigrations() throws {
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let path = folder.file("warta.db")
        _ = try Fixture.cli(["token", "create", "setup", "--db", path])  // creates and migrates the file

        let healthy = try Self.run(["check", "--db", path])
        #expect(healthy.status == 0)
        #expect(healthy.standardOutput.contains("integrity: ok"))
        #expect(healthy.standardOutput.hasSuffix("ok\n"))

        // A migration this binary does not know (a newer Warta ran here).
        let newer = folder.file("newer.db")
        try FileManager.default.copyItem(atPath: path, toPath: newer)
        let database = try Database(path: newer)
        try database.execute("INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ('9999_future.sql', 'x', '2030-01-01')")
        database.close()
        let unknown = try Self.run(["check", "--db", newer])
        #expect(unknown.status == 1)
        #expect(unknown.standardOutput.contains("9999_future.sql"))
        #expect(unknown.standardOutput.contains("NOT OK"))

        // A damaged file.
        let damaged = folder.file("damaged.db")
        try FileManager.default.copyItem(atPath: path, toPath: damaged)
        let handle = try #require(FileHandle(forWritingAtPath: damaged))
        try handle.seek(toOffset: 4096)
        handle.write(Data(repeating: 0xFF, count: 8192))
        try handle.close()
        let broken = try Self.run(["check", "--db", damaged])
        #expect(broken.status == 1)
        #expect(broken.standardOutput.contains("NOT OK"))

        let missing = try Self.run(["check", "--db", folder.file("nothing.db")])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("does not exist"))
    }
}
