import Foundation
import SQLite
import Testing

/// A fresh, empty folder for one test, removed with everything in it when `body` returns or
/// throws. A closure rather than an object, so the folder cannot disappear while a database
/// in it is still open.
func withTemporaryDirectory<T>(_ body: (TemporaryDirectory) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("warta-sqlite-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(TemporaryDirectory(path: url.path))
}

struct TemporaryDirectory {
    let path: String

    /// The path of a file in the folder.
    func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Opens (creating) a database file in the folder.
    func openDatabase(_ name: String = "test.db", readOnly: Bool = false) throws -> Database {
        try Database(path: file(name), readOnly: readOnly, busyTimeout: .milliseconds(500))
    }

    func fileExists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: file(name))
    }
}

extension Database {
    /// `SELECT COUNT(*) FROM table`, for tests that check what a write left behind. The table
    /// name is always a literal in the tests.
    func count(_ table: String) throws -> Int {
        try #require(try queryOne("SELECT COUNT(*) FROM \(table)")).int(0)
    }
}
