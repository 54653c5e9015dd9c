import Foundation
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

    /// The `sh` block that starts with `WARTA=`.
    static func curlBlock(_ readme: String) throws -> String {
        let blocks = readme.components(separatedBy: "```sh\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        return try #require(blocks.first { $0.hasPrefix("WARTA=") })
    }

    @Test func curlLinesWorkAsWritten() throws {
        let folder = try TemporaryFolder("e2e")
        let warta = try WartaProcess(folder: folder)
        defer { warta.stop() }
        let script = try Self.curlBlock(try Self.readme)
            .replacingOccurrences(of: "http://127.0.0.1:8080", with: warta.baseURL)
            .replacingOccurrences(of: ".build/release/warta", with: WartaProcess.executable.path)
        #expect(script.contains("incident[next_update_in]"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -euo pipefail\n" + script + "\necho\necho \"PAGE=$PAGE COMPONENT=$COMPONENT INCIDENT=$INCIDENT\""]
        process.currentDirectoryURL = folder.url
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(complaints)\n\(printed)")

        let ids = try #require(printed.split(separator: "\n").last { $0.hasPrefix("PAGE=") })
        #expect(ids.split(separator: " ").allSatisfy { $0.split(separator: "=").last?.count == 12 }, "\(ids)")

        let incidents = try JSONSerialization.jsonObject(with: Data(try curl([warta.baseURL + "/api/v2/incidents.json"]).utf8))
        let list = try #require((incidents as? [String: Any])?["incidents"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0) })
        #expect(byName["Autogates down at Terminal 3"]?["status"] as? String == "resolved")
        #expect((byName["Autogates down at Terminal 3"]?["incident_updates"] as? [Any])?.count == 3)
        #expect(byName["e-Visa card payments failing"]?["impact"] as? String == "minor")

        let upcoming = try JSONSerialization.jsonObject(with: Data(try curl([warta.baseURL + "/api/v2/scheduled-maintenances/upcoming.json"]).utf8))
        let maintenances = try #require((upcoming as? [String: Any])?["scheduled_maintenances"] as? [[String: Any]])
        #expect(maintenances.map { $0["name"] as? String } == ["e-Visa upgrade"])
        #expect((maintenances.first?["components"] as? [[String: Any]])?.first?["name"] as? String == "Autogate Terminal 3")
    }
}
