import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `litestream replicate` for a test: Litestream 0.5 (from `.venv-scale/`, which
/// `make scale-deps` makes) streaming one SQLite database to a file replica, as it would run
/// beside Warta on a server (<https://litestream.io/reference/config/>).
///
/// Its configuration, its log and the replica live in a temporary folder of its own, which
/// stands for the other machine: nothing in it is beside the database. Stopped by its process
/// id (SIGKILL, as a machine that dies stops it) by `kill()` or when dropped.
public final class LitestreamProcess: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The database being replicated.
    public let databasePath: String
    /// The configuration, the log and the replica (`replica/`).
    public let folder: TemporaryFolder
    /// How often Litestream looks at the WAL for new transactions (`monitor-interval`).
    public let monitorInterval: Duration
    /// How often it ships what it found to the replica (`sync-interval`).
    public let syncInterval: Duration
    private let process = Process()

    /// Its process id, for a test that kills it together with another process.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// The `litestream` executable `make scale-deps` installs.
    public static var executable: URL {
        SMTPRelayProcess.repository.appendingPathComponent(".venv-scale/bin/litestream")
    }

    /// The replica's folder.
    public var replicaPath: String { folder.file("replica") }

    /// The replica as `litestream restore` takes it.
    public var replicaURL: String { "file://" + replicaPath }

    /// Writes the configuration and starts `litestream replicate -config FILE`. It returns at
    /// once; `waitForFirstSync()` waits until the replica holds the database.
    public init(database path: String, monitorInterval: Duration = .milliseconds(100),
                syncInterval: Duration = .milliseconds(100)) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw Failure(description: "\(Self.executable.path) is missing: run `make scale-deps` to install Litestream")
        }
        databasePath = path
        self.monitorInterval = monitorInterval
        self.syncInterval = syncInterval
        folder = try TemporaryFolder("litestream")
        let configuration = """
            dbs:
              - path: \(path)
                monitor-interval: \(Self.milliseconds(monitorInterval))ms
                replica:
                  type: file
                  path: \(replicaPath)
                  sync-interval: \(Self.milliseconds(syncInterval))ms

            """
        let configurationFile = folder.file("litestream.yml")
        try configuration.write(toFile: configurationFile, atomically: true, encoding: .utf8)

        let logFile = folder.file("litestream.log")
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let log = FileHandle(forWritingAtPath: logFile)
        process.executableURL = Self.executable
        process.arguments = ["replicate", "-config", configurationFile]
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    deinit {
        kill()
        folder.remove()
    }

    /// Waits (at most `timeout` seconds) until the replica holds a first copy of the database:
    /// before that there is nothing to restore. It polls the replica's folder, where
    /// Litestream 0.5 writes LTX files under `ltx/0/`: the replica is another process's.
    public func waitForFirstSync(timeout: TimeInterval = 20) throws {
        let levelZero = URL(fileURLWithPath: replicaPath).appendingPathComponent("ltx/0")
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: levelZero.path)) ?? []
            if files.contains(where: { $0.hasSuffix(".ltx") }) { return }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw Failure(description: "no LTX file in \(levelZero.path) after \(timeout) s; the log says: \(log())")
    }

    /// SIGKILL by process id (unless it is already gone), then waits for the process to be
    /// reaped. Nothing is flushed.
    public func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Everything Litestream has logged.
    public func log() -> String {
        (try? String(contentsOfFile: folder.file("litestream.log"), encoding: .utf8)) ?? ""
    }

    /// `litestream restore -o OUTPUT REPLICA_URL`: the latest state the replica holds, as a
    /// new database file. Returns the exit status and what it printed.
    public static func restore(from replicaURL: String, to output: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["restore", "-o", output, replicaURL]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
