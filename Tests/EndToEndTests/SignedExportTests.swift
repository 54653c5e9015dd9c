import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

/// Signed copies as an operator makes and checks them with the real binary: `warta key
/// create`, `warta export`, `serve --mirror`, `/.well-known/warta-signing-key` and `warta verify`.
@Suite(.serialized) struct SignedExportTests {
    typealias Fixture = ManagementAPITests.Fixture

    static func run(_ arguments: [String]) throws -> PublicPagesEndToEndTests.Run {
        try PublicPagesEndToEndTests.runUntilExit(arguments)
    }

    static func text(_ folder: TemporaryFolder, _ path: String) -> String? {
        FileManager.default.contents(atPath: folder.file(path)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// How many files `path` holds, the manifest and its signature left out.
    static func listedFileCount(_ path: String) -> Int {
        let all = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String }.filter { relative in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &isDirectory) && !isDirectory.boolValue
        } ?? []
        return all.filter { $0 != "manifest.json" && $0 != "manifest.json.sig" }.count
    }

    @Test func keyCreateExportAndVerify() throws {
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let database = folder.file("warta.db")
        let created = try Self.run(["key", "create", "--db", database])
        #expect(created.status == 0, "\(created.standardError)")
        let key = created.standardOutput.trimmingCharacters(in: .newlines)
        #expect(created.standardOutput == key + "\n")
        #expect(key.count == 44 && Data(base64Encoded: key)?.count == 32, "\(key)")
        #expect(created.standardError.hasPrefix("Signing key created."))

        // A second key only when asked for: copies signed with the first would stop verifying.
        let again = try Self.run(["key", "create", "--db", database])
        #expect(again.status == 64)
        #expect(again.standardError.hasPrefix("Error: the database already has a signing key (created "), "\(again.standardError)")
        #expect(again.standardError.contains("pass --replace to make a new one"))
        #expect(again.standardOutput.isEmpty)
        let shown = try Self.run(["key", "show", "--db", database])
        #expect(shown.status == 0 && shown.standardOutput == key + "\n")

        let site = folder.file("site")
        let exported = try Self.run(["export", site, "--db", database, "--base-url", "https://status.example.id"])
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(!exported.standardError.contains("unsigned"))
        let count = Self.listedFileCount(site)
        #expect(count > 30)

        let verified = try Self.run(["verify", site, "--key", key])
        #expect(verified.status == 0, "\(verified.standardOutput)\(verified.standardError)")
        let manifest = try #require(Self.text(folder, "site/manifest.json"))
        let signedAt = try #require(manifest.split(separator: "\"").dropFirst(3).first.map(String.init))
        #expect(verified.standardOutput == "OK: \(count) files, signed at \(signedAt)\n")
        #expect(verified.standardError.isEmpty)

        // With the copy's own key: it passes, with a warning that this proves integrity only.
        let own = try Self.run(["verify", site])
        #expect(own.status == 0)
        #expect(own.standardOutput == verified.standardOutput)
        #expect(own.standardError.hasPrefix("warning: checked with the key the copy itself carries"))

        // One byte changed.
        let statusPath = folder.file("site/api/v2/status.json")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: statusPath)))
        bytes[bytes.count - 2] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: statusPath))
        let changed = try Self.run(["verify", site, "--key", key])
        #expect(changed.status == 1)
        #expect(changed.standardOutput == "changed: api/v2/status.json\n")
        bytes[bytes.count - 2] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: statusPath))

        // Another key.
        let other = try Self.run(["key", "create", "--db", folder.file("other.db")]).standardOutput
            .trimmingCharacters(in: .newlines)
        let wrongKey = try Self.run(["verify", site, "--key", other])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.standardOutput == "bad signature\n")

        // Not a key at all.
        let garbage = try Self.run(["verify", site, "--key", "c2hvcnQ="])
        #expect(garbage.status == 64)
        #expect(garbage.standardError.hasPrefix("Error: --key c2hvcnQ= is not a public signing key"))

        // An extra file, and a file removed.
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder.file("site/api/v2/extra.json")))
        let extra = try Self.run(["verify", site, "--key", key])
        #expect(extra.status == 1 && extra.standardOutput == "extra: api/v2/extra.json\n")
        try FileManager.default.removeItem(atPath: folder.file("site/api/v2/extra.json"))
        try FileManager.default.removeItem(atPath: folder.file("site/robots.txt"))
        let missing = try Self.run(["verify", site, "--key", key])
        #expect(missing.status == 1 && missing.standardOutput == "missing: robots.txt\n")

        // Replacing the key: the old copy no longer verifies against the new key.
        let replaced = try Self.run(["key", "create", "--replace", "--db", database])
        #expect(replaced.status == 0)
        let newKey = replaced.standardOutput.trimmingCharacters(in: .newlines)
        #expect(newKey != key && newKey.count == 44)
        #expect(try Self.run(["verify", site, "--key", newKey]).standardOutput == "bad signature\n")
    }

    @Test func anUnsignedExportSaysSoAndHowToSignIt() throws {
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let database = folder.file("warta.db")
        _ = try Fixture.cli(["token", "create", "tester", "--db", database])
        let exported = try Self.run(["export", folder.file("site"), "--db", database, "--base-url", "https://status.example.id"])
        #expect(exported.status == 0)
        #expect(exported.standardOutput.hasPrefix("Wrote "))
        #expect(exported.standardError.contains("The copy is unsigned: the database has no signing key. Make one with `warta key create`"),
                "\(exported.standardError)")
        #expect(!folder.fileExists("site/manifest.json") && !folder.fileExists("site/.well-known/warta-signing-key"))
        let verified = try Self.run(["verify", folder.file("site")])
        #expect(verified.status == 1)
        #expect(verified.standardError.contains("the copy carries no key at .well-known/warta-signing-key"))
        let key = try Self.run(["key", "create", "--db", folder.file("other.db")]).standardOutput.trimmingCharacters(in: .newlines)
        let withKey = try Self.run(["verify", folder.file("site"), "--key", key])
        #expect(withKey.status == 1 && withKey.standardOutput == "missing: manifest.json\n")
    }

    /// The server publishes the key `key create` printed; its mirror verifies against the key
    /// fetched from the server, before and after a write; its pages say they are a copy while
    /// the server's do not.
    @Test func serverPublishesTheKeyAndItsMirrorVerifies() throws {
        let folder = try TemporaryFolder("e2e")
        let mirror = try TemporaryFolder("e2e")
        defer { mirror.remove() }
        let database = folder.file("warta.db")
        let key = try Self.run(["key", "create", "--db", database]).standardOutput
        #expect(key.count == 45)
        let token = try Fixture.cli(["token", "create", "tester", "--db", database]).trimmingCharacters(in: .newlines)
        let warta = try WartaProcess(["--mirror", mirror.path, "--base-url", "https://status.example.id"], folder: folder)
        defer { warta.stop() }

        let published = parseCurlResponse(try curl(["-i", warta.baseURL + "/.well-known/warta-signing-key"]))
        #expect(published.status == 200)
        #expect(published.body == key)
        #expect(published.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(published.headers["cache-control"] == "public, max-age=300, stale-if-error=86400")

        // The mirror is written before the server listens; loopback is fine for a URL typed here.
        let first = try Self.run(["verify", mirror.path, "--key", warta.baseURL + "/.well-known/warta-signing-key"])
        #expect(first.status == 0, "\(first.standardOutput)\(first.standardError)")
        #expect(first.standardOutput.hasPrefix("OK: \(Self.listedFileCount(mirror.path)) files, signed at "))
        let unreachable = try Self.run(["verify", mirror.path, "--key", warta.baseURL + "/no-such-key"])
        #expect(unreachable.status == 1)
        #expect(unreachable.standardError.contains("cannot read the key: \(warta.baseURL)/no-such-key: HTTP 404"))

        let served = parseCurlResponse(try curl(["-i", warta.baseURL + "/"])).body
        let servedEnglish = parseCurlResponse(try curl(["-i", warta.baseURL + "/?lang=en"])).body
        let pages = try Fixture.request(base: warta.baseURL, token: token, "GET", "/v1/pages")
        let pageID = try #require(((pages.json as? [[String: Any]])?.first?["id"]) as? String)
        let component = try Fixture.request(base: warta.baseURL, token: token, "POST", "/v1/pages/\(pageID)/components",
                                            form: ["component[name]=e-Visa portal"])
        #expect(component.status == 201)
        // Shutting down waits for the mirror to finish the write's copy.
        warta.signal(SIGTERM)
        #expect(warta.waitForExit() == 0)

        let after = try Self.run(["verify", mirror.path, "--key", key])
        #expect(after.status == 0, "\(after.standardOutput)")
        #expect(Self.text(mirror, "api/v2/components.json")?.contains("e-Visa portal") == true)
        #expect(Self.text(mirror, "index.html")?.contains("<p class=\"copy-notice\" role=\"note\">Salinan per <time datetime=\"") == true)
        #expect(Self.text(mirror, "lang/en/index.html")?.contains("<p class=\"copy-notice\" role=\"note\">Copy as of <time datetime=\"") == true)
        #expect(!served.contains("Salinan per") && !served.contains("copy-notice"))
        #expect(!servedEnglish.contains("Copy as of") && !servedEnglish.contains("copy-notice"))
    }
}
