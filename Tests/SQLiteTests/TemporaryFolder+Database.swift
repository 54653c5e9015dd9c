import Foundation
import SQLite
import TestSupport
import Testing

extension TemporaryFolder {
    /// Opens (creating) a database file in the folder.
    func openDatabase(_ name: String = "test.db", readOnly: Bool = false) throws -> Database {
        try Database(path: file(name), readOnly: readOnly, busyTimeout: .milliseconds(500))
    }
}

extension Database {
    /// `SELECT COUNT(*) FROM table`, for tests that check what a write left behind. The table
    /// name is always a literal in the tests.
    func count(_ table: String) throws -> Int {
        try #require(try queryOne("SELECT COUNT(*) FROM \(table)")).int(0)
    }
}
