import Foundation

/// A fresh, empty folder under the system's temporary directory, for the files one test
/// writes (SQLite databases, exported sites, a server's working folder). Nothing removes it
/// but `remove()` or `withTemporaryFolder`, so a database in it can never lose its folder
/// while still open.
public struct TemporaryFolder: Sendable {
    public let url: URL

    /// Creates `warta-PURPOSE-UUID`; `purpose` only tells a left-over folder's origin.
    public init(_ purpose: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("warta-\(purpose)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }

    public var path: String { url.path }

    /// The path of a file in the folder.
    public func file(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    public func fileExists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: file(name))
    }

    /// Removes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs `body` with a fresh folder, removed with everything in it when `body` returns or
/// throws. A closure rather than an object, so the folder cannot disappear while a database
/// in it is still open.
public func withTemporaryFolder<T>(_ purpose: String, _ body: (TemporaryFolder) throws -> T) throws -> T {
    let folder = try TemporaryFolder(purpose)
    defer { folder.remove() }
    return try body(folder)
}
