import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The public pages of the built binary: the demo's weight on the wire, operator templates
/// from `--public-dir`, and `--frame-ancestors`, each checked on a real `warta serve`.
@Suite(.serialized)
struct PublicPagesEndToEndTests {
    /// The first round trip of a new TCP connection carries about 14 KiB (an initial
    /// congestion window of 10 segments): a front page that fits is readable after one.
    static let frontPageBudget = 14 * 1024

    @Test func demoFrontPageFitsTheFirstRoundTripGzipped() throws {
        let warta = try WartaProcess(["--demo"])
        defer { warta.stop() }
        let file = warta.folder.url.appendingPathComponent("front-page.html")
        let status = try curl(["-o", file.path, "-w", "%{http_code}", warta.baseURL + "/"])
        #expect(status == "200")
        let page = try Data(contentsOf: file)
        #expect(String(decoding: page, as: UTF8.self).contains("Status Layanan Imigrasi"))

        let compressed = try Self.gzipped(file)
        print("demo / is \(page.count) bytes, \(compressed.count) bytes with gzip -9 (budget \(Self.frontPageBudget))")
        #expect(compressed.count <= Self.frontPageBudget,
                "demo / is \(compressed.count) bytes with gzip -9 (\(page.count) raw), over \(Self.frontPageBudget)")
    }

    @Test func publicDirTemplateReplacesTheBuiltInNotFoundPage() throws {
        let overrides = try TemporaryFolder("e2e")
        defer { overrides.remove() }
        let original = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Public/templates/not-found.html"),
                                  encoding: .utf8)
        let marker = "<p class=\"marker\">Ask at counter 7 (operator template)</p>"
        let custom = original.replacingOccurrences(of: "<p>{{t.not_found_body}}</p>", with: marker + "\n<p>{{t.not_found_body}}</p>")
        try #require(custom != original, "the built-in not-found template no longer has the line to mark")
        try Self.write(custom, to: overrides.url.appendingPathComponent("templates/not-found.html"))

        let warta = try WartaProcess(["--public-dir", overrides.path])
        defer { warta.stop() }
        for path in ["/no-such-page", "/incidents/zzzzzzzzzzzz"] {
            let response = parseCurlResponse(try curl(["-i", warta.baseURL + path]))
            #expect(response.status == 404, "\(path)")
            #expect(response.headers["content-type"] == "text/html; charset=utf-8", "\(path)")
            #expect(response.body.contains(marker), "\(path)")
            #expect(response.body.contains("<h1>Halaman tidak ditemukan</h1>"), "\(path)")
        }
        // The other pages keep the built-in templates.
        let front = parseCurlResponse(try curl(["-i", warta.baseURL + "/"]))
        #expect(front.status == 200)
        #expect(!front.body.contains(marker))
    }

    @Test func brokenTemplateStopsServeNamingFileAndLine() throws {
        let overrides = try TemporaryFolder("e2e")
        defer { overrides.remove() }
        try Self.write("{{> head}}\n<h1>{{t.not_found_title}}</h1>\n{{#x}}\n<p>never closed</p>\n{{> foot}}\n",
                       to: overrides.url.appendingPathComponent("templates/not-found.html"))

        let run = try Self.runUntilExit(["serve", "--port", "0", "--public-dir", overrides.path])
        #expect(run.status != nil && run.status != 0, "exit status \(run.status.map(String.init) ?? "none: still running")")
        #expect(run.standardError.contains("templates/not-found.html, line 3"), "\(run.standardError)")
        #expect(run.standardError.contains("{{#x}} is never closed"), "\(run.standardError)")
        #expect(!run.standardOutput.contains("listening"))
    }

    @Test func frameAncestorsReachTheSecurityPolicy() throws {
        let warta = try WartaProcess(["--frame-ancestors", "'self' https://intranet.example"])
        defer { warta.stop() }
        for path in ["/", "/no-such-page"] {
            let response = parseCurlResponse(try curl(["-i", warta.baseURL + path]))
            let policy = try #require(response.headers["content-security-policy"], "\(path)")
            let directives = policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(directives.contains("frame-ancestors 'self' https://intranet.example"), "\(path): \(policy)")
            #expect(directives.contains("default-src 'none'"), "\(path): \(policy)")
            #expect(directives.filter { $0.hasPrefix("script-src") } == ["script-src 'self'"], "\(path): \(policy)")
        }
    }

    @Test func frameAncestorsThatWouldInjectADirectiveAreRefused() throws {
        let run = try Self.runUntilExit(["serve", "--port", "0", "--frame-ancestors", "'none'; script-src *"])
        #expect(run.status != nil && run.status != 0, "exit status \(run.status.map(String.init) ?? "none: still running")")
        #expect(run.standardError.contains("frame-ancestors"), "\(run.standardError)")
        #expect(!run.standardOutput.contains("listening"))
    }
}

// MARK: - Fixtures

extension PublicPagesEndToEndTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func write(_ text: String, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    /// `gzip -9 -c FILE`.
    static func gzipped(_ file: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-9", "-c", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gzip exited \(process.terminationStatus)")
        return data
    }

    struct Run {
        /// nil when it was still running at the deadline and had to be killed.
        let status: Int32?
        let standardOutput: String
        let standardError: String
    }

    /// Runs `warta ARGUMENTS` in a fresh folder until it exits (at most `seconds`; then it
    /// is killed), for commands expected to stop by themselves.
    static func runUntilExit(_ arguments: [String], seconds: Double = 20) throws -> Run {
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let process = Process()
        process.executableURL = WartaProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder.url
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        var status: Int32?
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        } else {
            status = process.terminationStatus
        }
        return Run(status: status,
                   standardOutput: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                   standardError: String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}
