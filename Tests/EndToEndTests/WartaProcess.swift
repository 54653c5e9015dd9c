import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `warta` binary, run as a user would run it, in a temporary folder of its own.
final class WartaProcess {
    let process = Process()
    let folder: URL
    let port: Int
    private let stderrPipe = Pipe()

    /// The `warta` executable beside the test bundle (both are products of the same build).
    static var executable: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("warta")
    }

    static func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("warta-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Starts `warta serve --port 0 ARGS` with `folder` as working directory and waits for
    /// the line announcing the bound address.
    init(_ arguments: [String] = [], folder: URL? = nil) throws {
        self.folder = try folder ?? Self.makeFolder()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = self.folder
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
        try? FileManager.default.removeItem(at: folder)
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

/// A blocking TCP connection to 127.0.0.1 for sending exact bytes.
final class RawConnection {
    let fd: Int32

    init(port: Int, receiveTimeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything until the server closes (or the receive timeout).
    func readToEnd() -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
