import Foundation
import TestSupport
import Testing

/// `warta export`, `serve --mirror` and `--max-age`, as an operator runs them.
@Suite(.serialized) struct ExportEndToEndTests {
    typealias Fixture = ManagementAPITests.Fixture

    static func file(_ folder: TemporaryFolder, _ path: String) -> String? {
        FileManager.default.contents(atPath: folder.file(path)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func exportWritesWhatTheServerServes() throws {
        let fixture = try Fixture()
        let component = try fixture.request("POST", "/v1/pages/{page}/components", form: ["component[name]=Autogate T3"])
        #expect(component.status == 201)
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let exported = try PublicPagesEndToEndTests.runUntilExit(
            ["export", folder.path, "--db", fixture.databasePath, "--base-url", fixture.base])
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(exported.standardOutput.hasPrefix("Wrote "))
        for (path, file) in [("/", "index.html"), ("/?lang=en", "lang/en/index.html"), ("/api/v2/summary.json", "api/v2/summary.json"),
                             ("/api/v2/components.json", "api/v2/components.json"), ("/history.atom", "history.atom"),
                             ("/history", "history/index.html"), ("/style.css", "style.css")] {
            let served = parseCurlResponse(try curl(["-i", fixture.base + path]))
            #expect(served.status == 200, "\(path)")
            // Pages of a copy say they are one (SignedExportTests); the rest is the same.
            let onDisk = file.hasSuffix(".html") ? Self.file(folder, file).flatMap(withoutCopyNotice) : Self.file(folder, file)
            #expect(onDisk == served.body, "\(file) differs from GET \(path)")
        }
        #expect(Self.file(folder, "index.html.gz") != nil)
        #expect(Self.file(folder, "api/v2/components.json")?.contains("Autogate T3") == true)
    }

    @Test func exportWithoutABaseURLSaysWhatIsMissingAndHowToCallExport() throws {
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let database = folder.file("warta.db")
        _ = try ManagementAPITests.Fixture.cli(["token", "create", "tester", "--db", database])
        let run = try PublicPagesEndToEndTests.runUntilExit(["export", folder.file("site"),
                                                             "--db", database])
        #expect(run.status == 64)
        let lines = run.standardError.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "Error: the feeds need the site's public URL: set the page's url (PATCH /v1/pages/{page_id}) or pass --base-url")
        #expect(lines.dropFirst().first?.hasPrefix("Usage: warta export <directory> ") == true, "\(run.standardError)")
        #expect(run.standardError.contains("  See 'warta export --help' for more information.\n"))
        #expect(!run.standardError.contains("<subcommand>"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("site/index.html")))
        let bad = try PublicPagesEndToEndTests.runUntilExit(["export", folder.file("site"),
                                                             "--db", database, "--base-url", "ftp://example"])
        #expect(bad.status == 64)
        #expect(bad.standardError.hasPrefix("Error: --base-url ftp://example is not an http(s) URL\nUsage: warta export "))
    }

    /// Commands that only read never create the database they were pointed at, and a refusal
    /// that is not about the command line comes without usage text.
    @Test(arguments: [["export", "{folder}/site"], ["check"], ["backup", "{folder}/copy.db"]])
    func readingCommandsRefuseAMissingDatabase(command: [String]) throws {
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let missing = folder.file("missing.db")
        let arguments = command.map { $0.replacingOccurrences(of: "{folder}", with: folder.path) } + ["--db", missing]
        let run = try PublicPagesEndToEndTests.runUntilExit(arguments)
        #expect(run.status == 1)
        #expect(run.standardError == "Error: the database \(missing) does not exist; pass --db (or set WARTA_DB) to the file `warta serve` uses\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func mirrorFollowsEveryWrite() throws {
        let mirror = try TemporaryFolder("e2e")
        defer { mirror.remove() }
        let fixture = try Fixture(["--mirror", mirror.path, "--base-url", "https://status.example.id"])
        #expect(Self.file(mirror, "index.html").flatMap(withoutCopyNotice) == parseCurlResponse(try curl(["-i", fixture.base + "/"])).body)
        #expect(Self.file(mirror, "history.rss")?.contains("<link>https://status.example.id/</link>") == true)

        let created = try fixture.request("POST", "/v1/pages/{page}/components", form: ["component[name]=e-Visa portal"])
        #expect(created.status == 201)
        var seen = false
        let deadline = Date().addingTimeInterval(10)
        while !seen, Date() < deadline {
            seen = Self.file(mirror, "api/v2/components.json")?.contains("e-Visa portal") == true
            if !seen { usleep(20_000) }
        }
        #expect(seen, "the mirror did not show the new component within 10 s")
    }

    /// `--mirror-hook` with rclone (Debian) syncing the mirror to a second folder, as the
    /// README's example syncs it to object storage: the copy follows a write made through the
    /// API, and the staff request did not wait for it.
    @Test func mirrorHookCopiesEachWriteElsewhere() throws {
        let mirror = try TemporaryFolder("e2e"), copy = try TemporaryFolder("e2e")
        defer { mirror.remove(); copy.remove() }
        let fixture = try Fixture(["--mirror", mirror.path, "--base-url", "https://status.example.id",
                                   "--mirror-hook", "rclone sync --config /dev/null \"$WARTA_MIRROR_DIR\" '\(copy.path)'"])
        /// The hook's runs so far, by outcome, from the server's /metrics.
        func runs(_ outcome: String) throws -> Int? {
            let metrics = parseCurlResponse(try curl(["-i", fixture.base + "/metrics"])).body
            let prefix = "warta_mirror_hook_runs_total{outcome=\"\(outcome)\"} "
            return metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) }
        }
        /// Waits (20 s at most) until `done` holds.
        func eventually(_ done: () throws -> Bool) rethrows -> Bool {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if try done() { return true }
                usleep(50_000)
            }
            return false
        }
        // The first run copies what serve wrote at start.
        #expect(try eventually { try runs("succeeded") ?? 0 >= 1 }, "the first mirror write was not copied within 20 s")
        #expect(Self.file(copy, "api/v2/components.json")?.contains("\"components\"") == true)
        let created = try fixture.request("POST", "/v1/pages/{page}/components", form: ["component[name]=Autogate T3"])
        #expect(created.status == 201)
        // rclone copies files side by side: the copy is whole once the page and the document
        // there equal the mirror's, both with the new component.
        #expect(eventually {
            Self.file(copy, "api/v2/components.json")?.contains("Autogate T3") == true
                && Self.file(copy, "index.html") == Self.file(mirror, "index.html")
                && Self.file(mirror, "index.html")?.contains("Autogate T3") == true
        }, "the copy did not follow the write within 20 s")
        #expect(try eventually { try runs("succeeded") ?? 0 >= 2 })
        #expect(try runs("failed") == 0)

        let refused = try PublicPagesEndToEndTests.runUntilExit(["serve", "--port", "0", "--mirror-hook", "true"])
        #expect(refused.status == 64)
        #expect(refused.standardError.hasPrefix("Error: --mirror-hook runs after each --mirror write: pass --mirror DIR too."))
    }

    @Test func maxAgeIsTheOperatorsAndIsChecked() throws {
        let warta = try WartaProcess(["--max-age", "30"])
        defer { warta.stop() }
        let summary = parseCurlResponse(try curl(["-i", warta.baseURL + "/api/v2/summary.json"]))
        // 30, unless midnight in the page's zone (which cuts it) is under 30 s away.
        let maxAge = summary.headers["cache-control"]?.split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("max-age=") }
            .flatMap { Int($0.dropFirst("max-age=".count)) }
        #expect(summary.headers["cache-control"]?.hasSuffix(", stale-while-revalidate=30, stale-if-error=86400") == true)
        #expect(maxAge.map { (11...30).contains($0) } == true, "\(summary.headers["cache-control"] ?? "none")")
        let refused = try PublicPagesEndToEndTests.runUntilExit(["serve", "--port", "0", "--max-age", "-5"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("--max-age"))
    }
}
