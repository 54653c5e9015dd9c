import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// The built `warta` binary, run as a user would run it, in a temporary folder of its own.
final class WartaProcess {
    let process = Process()
    let folder: TemporaryFolder
    let port: Int
    private let stderrPipe = Pipe()

    /// The `warta` executable beside the test bundle (both are products of the same build).
    static var executable: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("warta")
    }

    /// Starts `warta serve --port 0 ARGS` with `folder` as working directory and waits for
    /// the line announcing the bound address.
    init(_ arguments: [String] = [], folder: TemporaryFolder? = nil) throws {
        self.folder = try folder ?? TemporaryFolder("e2e")
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = self.folder.url
        let stdoutPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()

        var announced = ""
        let deadline = Date().addingTimeInterval(20)
        let handle = stdoutPipe.fileHandleForReading
        while !announced.contains("\n"), Date() < deadline, process.isRunning {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            announced += String(decoding: chunk, as: UTF8.self)
        }
        guard let portText = announced.split(separator: ":").last?.trimmingCharacters(in: .whitespacesAndNewlines),
              let port = Int(portText) else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw StartError(output: announced + String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        self.port = port
    }

    struct StartError: Error, CustomStringConvertible {
        let output: String
        var description: String { "warta did not start: \(output)" }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit (at most `seconds`), killing it if it does not.
    /// Returns its exit status, or nil if it had to be killed.
    @discardableResult
    func waitForExit(seconds: Double = 15) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// What the process wrote to standard error (read after it exits).
    func standardError() -> String {
        String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// SIGTERM, wait, and remove the folder.
    func stop() {
        if process.isRunning {
            signal(SIGTERM)
            waitForExit()
        }
        folder.remove()
    }
}

/// Runs curl and returns its standard output (with `-i`, the head and the body).
func curl(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["curl", "-s", "--max-time", "10"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// Splits `curl -i` output into status code, header fields (names lowercased) and body.
func parseCurlResponse(_ output: String) -> (status: Int, headers: [String: String], body: String) {
    let parts = output.components(separatedBy: "\r\n\r\n")
    let headLines = parts[0].components(separatedBy: "\r\n")
    // 0 when there is no status line (the connection died before one arrived).
    let status = headLines.first.flatMap { line -> Int? in
        let words = line.split(separator: " ")
        return words.count > 1 ? Int(words[1]) : nil
    } ?? 0
    var headers: [String: String] = [:]
    for line in headLines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return (status, headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
}
