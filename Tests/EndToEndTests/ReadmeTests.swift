import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

/// The curl lines of the README, run as written against a fresh server: the binary path,
/// database and address are the only things put in their place.
@Suite(.serialized)
struct ReadmeTests {
    static var readme: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        }
    }

    /// The README's `sh` block that starts with `prefix`.
    static func shellBlock(startingWith prefix: String, in readme: String) throws -> String {
        let blocks = readme.components(separatedBy: "```sh\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        return try #require(blocks.first { $0.hasPrefix(prefix) })
    }

    /// The block of curl lines, which starts with `WARTA=`.
    static func curlBlock(_ readme: String) throws -> String {
        try shellBlock(startingWith: "WARTA=", in: readme)
    }

    /// The checks block, which starts with the service to watch.
    static func checksBlock(_ readme: String) throws -> String {
        try shellBlock(startingWith: "# A service to watch", in: readme)
    }

    /// Runs `script` with bash (`set -euo pipefail`) in `folder`, as a user's shell would: the
    /// test process's threads block signals and a child inherits that mask, so without
    /// clearing it a script's `kill` would not stop what it started. Returns the exit status,
    /// what it printed and what it complained.
    static func run(_ script: String, in folder: TemporaryFolder) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c",
                             "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
                                 + "os.execv('/bin/bash', ['bash', '-c', sys.argv[1]])",
                             "set -euo pipefail\n" + script]
        process.currentDirectoryURL = folder.url
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, printed, complaints)
    }

    /// A port nothing listens on now: bound, read and released.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The checks block after the first: a real service watched by the server's own prober,
    /// stopped, and the public JSON and page saying what the machine sees.
    @Test func checkLinesWorkAsWritten() throws {
        let folder = try TemporaryFolder("e2e")
        let warta = try WartaProcess(folder: folder)
        defer { warta.stop() }
        let readme = try Self.readme
        let port = try Self.freePort()
        let script = (try Self.curlBlock(readme) + "\n" + (try Self.checksBlock(readme)))
            .replacingOccurrences(of: "http://127.0.0.1:8080", with: warta.baseURL)
            .replacingOccurrences(of: ".build/release/warta", with: WartaProcess.executable.path)
            .replacingOccurrences(of: "9090", with: String(port))
        let (status, printed, complaints) = try Self.run("trap 'kill ${SERVICE:-} 2>/dev/null || true' EXIT\n" + script,
                                                         in: folder)
        #expect(status == 0, "\(complaints)\n\(printed)")
        #expect(printed.contains("\"automated_checks\":["), "\(printed)")

        let document = try JSONSerialization.jsonObject(with: Data(try curl([warta.baseURL + "/api/v2/checks.json"]).utf8))
        let checks = try #require((document as? [String: Any])?["checks"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: checks.map { ($0["name"] as? String ?? "", $0) })
        #expect(byName["Autogate API"]?["state"] as? String == "failing", "\(checks)")
        #expect(byName["Autogate API"]?["acknowledged"] as? Bool == false)
        #expect(byName["Passport sync"]?["state"] as? String == "up", "\(checks)")
        // The staff's word is unchanged: the component is as they left it.
        let summary = try JSONSerialization.jsonObject(with: Data(try curl([warta.baseURL + "/api/v2/summary.json"]).utf8))
        let components = try #require((summary as? [String: Any])?["components"] as? [[String: Any]])
        #expect(components.first { $0["name"] as? String == "Autogate Terminal 3" }?["status"] as? String == "operational")

        let english = try curl(["-H", "Accept-Language: en", warta.baseURL + "/"])
        #expect(english.contains("Automatic check «Autogate API»"), "\(english)")
        #expect(english.contains("not yet confirmed by staff"))
        let indonesian = try curl(["-H", "Accept-Language: id", warta.baseURL + "/"])
        #expect(indonesian.contains("Pemeriksaan otomatis «Autogate API»"))
    }

    /// The mail blocks: the relay line run as written (aiosmtpd from .venv-mail/), the server
    /// started with the flags of the `make run` line, and the subscriber and incident lines,
    /// whose mail the relay prints.
    @Test func mailLinesWorkAsWritten() throws {
        let readme = try Self.readme
        let relayBlock = try Self.shellBlock(startingWith: "# A relay to try it with", in: readme)
        let lines = relayBlock.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        let relayLine = try #require(lines.first { $0.contains("aiosmtpd") })
        let runLine = try #require(lines.first { $0.hasPrefix("make run ARGS=") })
        let relayPort = String(try Self.freePort())
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let folder = try TemporaryFolder("e2e")
        // The relay line without its `&`, as a child of this test that is stopped at the end
        // (`exec`: the child is the relay itself, not a shell that would outlive the signal).
        let relay = Process()
        relay.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        relay.arguments = ["python3", "-c",
                           "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
                               + "os.execv('/bin/bash', ['bash', '-c', sys.argv[1]])",
                           "exec " + relayLine.replacingOccurrences(of: ".venv-mail/", with: repository + "/.venv-mail/")
                               .replacingOccurrences(of: "8025", with: relayPort)
                               .trimmingCharacters(in: CharacterSet(charactersIn: " &"))]
        relay.currentDirectoryURL = folder.url
        relay.standardInput = FileHandle.nullDevice
        relay.standardOutput = FileHandle.nullDevice
        relay.standardError = FileHandle.nullDevice
        try relay.run()
        defer {
            relay.terminate()
            relay.waitUntilExit()
        }
        // Wait for the relay to listen: it is a real process starting up, not a time-driven rule.
        for _ in 0..<100 where TestClient.isRefused(port: Int(relayPort) ?? 0) { usleep(50_000) }

        let arguments = try #require(runLine.split(separator: "\"").dropFirst().first)
            .replacingOccurrences(of: "8025", with: relayPort).split(separator: " ").map(String.init)
        #expect(arguments.contains("--smtp-url"))
        let warta = try WartaProcess(arguments, folder: folder)
        defer { warta.stop() }
        let script = (try Self.curlBlock(readme) + "\n" + (try Self.shellBlock(startingWith: "# A subscriber added by staff", in: readme)))
            .replacingOccurrences(of: "http://127.0.0.1:8080", with: warta.baseURL)
            .replacingOccurrences(of: ".build/release/warta", with: WartaProcess.executable.path)
        let (status, printed, complaints) = try Self.run(script, in: folder)
        #expect(status == 0, "\(complaints)\n\(printed)")
        #expect(printed.contains("Investigating: Passport counters slow"), "\(printed)")
        // Only the subscriber's component: the README's other incidents named other ones or
        // were posted before anyone subscribed.
        let log = try String(contentsOfFile: folder.file("mail.log"), encoding: .utf8)
        #expect(log.components(separatedBy: "\nSubject:").count - 1 == 1, "\(log)")
        #expect(log.contains("To: traveller@example.org"))
    }

    @Test func curlLinesWorkAsWritten() throws {
        let folder = try TemporaryFolder("e2e")
        let warta = try WartaProcess(folder: folder)
        defer { warta.stop() }
        let script = try Self.curlBlock(try Self.readme)
            .replacingOccurrences(of: "http://127.0.0.1:8080", with: warta.baseURL)
            .replacingOccurrences(of: ".build/release/warta", with: WartaProcess.executable.path)
        #expect(script.contains("incident[next_update_in]"))

        let (status, printed, complaints) = try Self.run(
            script + "\necho\necho \"PAGE=$PAGE COMPONENT=$COMPONENT INCIDENT=$INCIDENT\"", in: folder)
        #expect(status == 0, "\(complaints)\n\(printed)")

        let ids = try #require(printed.split(separator: "\n").last { $0.hasPrefix("PAGE=") })
        #expect(ids.split(separator: " ").allSatisfy { $0.split(separator: "=").last?.count == 12 }, "\(ids)")

        let incidents = try JSONSerialization.jsonObject(with: Data(try curl([warta.baseURL + "/api/v2/incidents.json"]).utf8))
        let list = try #require((incidents as? [String: Any])?["incidents"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0) })
        #expect(byName["Autogates down at Terminal 3"]?["status"] as? String == "resolved")
        #expect((byName["Autogates down at Terminal 3"]?["incident_updates"] as? [Any])?.count == 3)
        #expect(byName["e-Visa card payments failing"]?["impact"] as? String == "minor")
        let templated = try #require(byName["Autogate tidak berfungsi: Autogate Terminal 3"], "\(byName.keys)")
        #expect(templated["status"] as? String == "resolved")
        let templatedBody = (templated["incident_updates"] as? [[String: Any]])?.last?["body"] as? String ?? ""
        #expect(templatedBody.hasPrefix("Autogate di Autogate Terminal 3 tidak berfungsi sejak "), "\(templatedBody)")
        #expect(!templatedBody.contains("{"), "\(templatedBody)")
        // The English page names the component as the README's translation does.
        let english = try curl([warta.baseURL + "/?lang=en"])
        #expect(english.contains(#"<span class="name">Terminal 3 autogates</span>"#))
        #expect(!english.contains(#"<span class="name">Autogate Terminal 3</span>"#))

        let upcoming = try JSONSerialization.jsonObject(with: Data(try curl([warta.baseURL + "/api/v2/scheduled-maintenances/upcoming.json"]).utf8))
        let maintenances = try #require((upcoming as? [String: Any])?["scheduled_maintenances"] as? [[String: Any]])
        #expect(maintenances.map { $0["name"] as? String } == ["e-Visa upgrade"])
        #expect((maintenances.first?["components"] as? [[String: Any]])?.first?["name"] as? String == "Autogate Terminal 3")
    }
}
