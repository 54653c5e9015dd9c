import ArgumentParser
import Foundation
import SQLite
import StatusCore

/// `warta backup FILE`: a consistent copy of the database while the server runs (SQLite's
/// online backup API, from a read-only connection, so writers are not blocked), checked
/// before it is reported.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database to FILE while the server runs, then check the copy.",
        discussion: "To restore: stop the server, move the backup to the --db path (removing any -wal and -shm files beside the old one), start the server.")

    @Argument(help: "The new file; an existing database is never overwritten.")
    var file: String

    @Option(help: "SQLite database file (env WARTA_DB).")
    var db: String = environment("WARTA_DB") ?? "./warta.db"

    func run() throws {
        try requireDatabase(at: db)
        do {
            let source = try Database(path: db, readOnly: true)
            defer { source.close() }
            try source.backup(to: file)
            let report = try DatabaseCheck.run(path: file)
            guard report.isHealthy else {
                throw CommandError("the copy at \(file) does not check out: \(report.summary)")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            print("Backed up \(db) to \(file) (\(size) bytes); \(report.summary)")
        } catch let error as ArgumentParser.ValidationError {
            throw error
        } catch {
            throw CommandError("backup failed: \(error)")
        }
    }
}

/// `warta check`: the database's integrity and migration state, read-only. Exits 1 when
/// something is wrong, so it can gate an upgrade or a restore.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the database: SQLite integrity and migration state (read-only).")

    @Option(help: "SQLite database file (env WARTA_DB).")
    var db: String = environment("WARTA_DB") ?? "./warta.db"

    func run() throws {
        let report: DatabaseCheck
        try requireDatabase(at: db)
        do {
            report = try DatabaseCheck.run(path: db)
        } catch {
            throw CommandError("cannot check \(db): \(error)")
        }
        print(report.details)
        if !report.isHealthy { throw ExitCode(1) }
    }
}

/// What `check` and `backup` report about one database file.
struct DatabaseCheck {
    /// `PRAGMA integrity_check`'s rows: `["ok"]` when sound.
    let integrity: [String]
    /// The migration state, or why it could not be read.
    let migrations: Result<MigrationStatus, CommandError>

    var problems: [String] {
        switch migrations {
        case .success(let status): return status.problems.map { "\($0)" }
        case .failure(let error): return [error.description]
        }
    }

    var isHealthy: Bool { integrity == ["ok"] && problems.isEmpty }

    static func run(path: String) throws -> DatabaseCheck {
        try requireDatabase(at: path)
        let database = try Database(path: path, readOnly: true)
        defer { database.close() }
        // A badly damaged file fails the check itself ("database disk image is malformed").
        let integrity: [String]
        do {
            integrity = try database.query("PRAGMA integrity_check").map { try $0.string("integrity_check") }
        } catch {
            integrity = ["\(error)"]
        }
        let migrations: Result<MigrationStatus, CommandError>
        do {
            migrations = .success(try Schema.migrator().status(database))
        } catch {
            migrations = .failure(CommandError("the migration table cannot be read: \(error)"))
        }
        return DatabaseCheck(integrity: integrity, migrations: migrations)
    }

    var summary: String {
        let integrityText = integrity == ["ok"] ? "integrity ok" : "integrity: \(integrity.prefix(3).joined(separator: "; "))"
        let status = try? migrations.get()
        let migrationText = problems.isEmpty
            ? "\(status?.applied.count ?? 0) migrations applied, \(status?.pending.count ?? 0) pending"
            : "migrations: \(problems.joined(separator: "; "))"
        return integrityText + ", " + migrationText
    }

    var details: String {
        var lines = ["integrity: " + (integrity == ["ok"] ? "ok" : integrity.joined(separator: "\n  "))]
        if let status = try? migrations.get() {
            lines.append("migrations applied: " + (status.applied.isEmpty ? "none" : status.applied.joined(separator: ", ")))
            if !status.pending.isEmpty {
                lines.append("migrations pending (applied at the next start): " + status.pending.joined(separator: ", "))
            }
        }
        for problem in problems { lines.append("problem: \(problem)") }
        lines.append(isHealthy ? "ok" : "NOT OK")
        return lines.joined(separator: "\n")
    }
}

/// Commands that only read (`export`, `check`, `backup`) refuse a database file that is not
/// there: opening it would create an empty one, and they would report on that.
func requireDatabase(at path: String) throws {
    guard FileManager.default.fileExists(atPath: path) else {
        throw CommandError("the database \(path) does not exist; pass --db (or set WARTA_DB) to the file `warta serve` uses")
    }
}

/// A command that failed: ArgumentParser prints it as `Error: …` and exits 1, without the
/// usage text, which is for mistakes in the command line.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
