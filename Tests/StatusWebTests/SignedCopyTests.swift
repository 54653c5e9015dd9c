import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// Signed static copies: the manifest lists every file of the copy with its size and
/// SHA-256, its signature verifies with the database's public key, and `CopyVerifier`
/// accepts an untouched copy and names the first thing wrong with a tampered one.
@Suite struct SignedCopyTests {
    typealias PageServer = PublicPagesTests.PageServer
    static let actor = Actor(tokenName: "signing-test", clientAddress: "127.0.0.1")

    /// A populated page with a signing key, exported to a folder.
    struct SignedCopy {
        let site: PageServer
        let key: SigningKey
        let export: StaticExport
        let folder: TemporaryFolder

        static func make() throws -> SignedCopy {
            let site = try PageServer.make()
            _ = try StaticSiteTests.populate(site)
            let key = try site.store.createSigningKey(replacing: false, by: SignedCopyTests.actor, now: PublicPagesTests.start)
            let export = try StaticExport(snapshot: site.publisher.snapshots.current, assets: try Assets(), store: site.store,
                                          baseURL: "https://status.example.id")
            let folder = try TemporaryFolder("signed")
            try export.write(to: folder.path)
            return SignedCopy(site: site, key: key, export: export, folder: folder)
        }

        var verifier: CopyVerifier { CopyVerifier(key: key.publicKey) }

        func bytes(_ path: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: folder.url.appendingPathComponent(path)))
        }

        func overwrite(_ path: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: folder.url.appendingPathComponent(path))
        }

        func close() {
            folder.remove()
            site.close()
        }
    }

    @Test func manifestListsEveryFileWithSizeAndHash() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        let manifest = try #require(copy.export.manifest)
        #expect(manifest.generatedAt == "2031-03-10T05:00:00.000Z")
        let listed = manifest.files.map(\.path)
        let expected = copy.export.files.keys.filter { $0 != "manifest.json" && $0 != "manifest.json.sig" }.sorted()
        #expect(listed == expected)
        for path in ["index.html", "index.html.gz", "index.html.br", "api/v2/summary.json", "api/v2/summary.json.gz",
                     "api/v2/summary.json.br", "style.css",
                     ".well-known/warta-signing-key"] {
            #expect(listed.contains(path), "\(path) not listed")
        }
        let index = try #require(manifest.files.first { $0.path == "index.html" })
        let onDisk = try copy.bytes("index.html")
        #expect(index.size == onDisk.count)
        #expect(index.sha256 == CopyManifest.sha256Hex(onDisk))
        #expect(CopyManifest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

        // The file is exactly what `bytes` writes, and reads back to the same manifest.
        let text = try copy.bytes("manifest.json")
        #expect(text == manifest.bytes)
        #expect(String(decoding: text, as: UTF8.self).hasPrefix(
            #"{"generated_at":"2031-03-10T05:00:00.000Z","files":[{"path":".well-known/warta-signing-key","size":45,"sha256":""#))
        #expect(try CopyManifest(parsing: text) == manifest)
        #expect(try copy.bytes(".well-known/warta-signing-key") == Array((copy.key.publicKey.base64 + "\n").utf8))
    }

    @Test func signatureVerifiesWithThePublicKey() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        let signatureText = String(decoding: try copy.bytes("manifest.json.sig"), as: UTF8.self)
        #expect(signatureText.hasSuffix("\n"))
        let signature = try #require(Data(base64Encoded: signatureText.trimmingCharacters(in: .newlines)))
        #expect(signature.count == 64)
        let manifest = try copy.bytes("manifest.json")
        #expect(copy.key.publicKey.isValidSignature([UInt8](signature), for: manifest))
        #expect(!copy.key.publicKey.isValidSignature([UInt8](signature), for: manifest + [0x20]))
        // The key as stored, read back, is the same key.
        let stored = try #require(try copy.site.store.signingKey())
        #expect(stored.publicKey == copy.key.publicKey)
        #expect(PublicSigningKey(base64: copy.key.publicKey.base64 + "\n") == copy.key.publicKey)
        #expect(copy.key.publicKey.base64.count == 44)
    }

    @Test func untouchedCopyVerifies() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        let manifest = try copy.verifier.verify(directory: copy.folder.path).get()
        #expect(manifest.files.count == copy.export.files.count - 2)
        #expect(manifest.generatedAt == "2031-03-10T05:00:00.000Z")
        // A temporary file of an atomic write in progress is not extra.
        try copy.overwrite(".index.html.4F1C.tmp", Array("half".utf8))
        #expect(throws: Never.self) { try copy.verifier.verify(directory: copy.folder.path).get() }
    }

    @Test func oneChangedByteNamesTheFile() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        var bytes = try copy.bytes("history.rss")
        bytes[bytes.count / 2] ^= 0x01
        try copy.overwrite("history.rss", bytes)
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.changed("history.rss")))
        #expect("\(CopyVerifier.Problem.changed("history.rss"))" == "changed: history.rss")
    }

    @Test func sameSizeDifferentBytesIsChanged() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        var bytes = try copy.bytes("api/v2/status.json")
        bytes[0] = UInt8(ascii: "[")
        try copy.overwrite("api/v2/status.json", bytes)
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.changed("api/v2/status.json")))
    }

    @Test func theFirstProblemInPathOrderIsNamed() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        try copy.overwrite("robots.txt", Array("User-agent: *\nDisallow: /\n".utf8))
        try FileManager.default.removeItem(at: copy.folder.url.appendingPathComponent("badge.svg"))
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.missing("badge.svg")))
    }

    @Test func aRemovedFileIsMissing() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        try FileManager.default.removeItem(at: copy.folder.url.appendingPathComponent("lang/en/index.html.gz"))
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.missing("lang/en/index.html.gz")))
    }

    @Test func anAddedFileIsExtra() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        try FileManager.default.createDirectory(at: copy.folder.url.appendingPathComponent("incidents/zz"),
                                                withIntermediateDirectories: true)
        try copy.overwrite("incidents/zz/index.html", Array("<p>Everything is fine.</p>".utf8))
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.extra("incidents/zz/index.html")))
        // Also past the last listed file, and hidden.
        try FileManager.default.removeItem(at: copy.folder.url.appendingPathComponent("incidents/zz"))
        try copy.overwrite("zzz.html", [])
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.extra("zzz.html")))
        try FileManager.default.removeItem(at: copy.folder.url.appendingPathComponent("zzz.html"))
        try copy.overwrite(".htaccess", Array("Redirect / https://evil.example/\n".utf8))
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.extra(".htaccess")))
    }

    @Test func anEditedManifestIsABadSignature() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        // Hide a changed page by listing its new hash: the manifest no longer matches its signature.
        let forged = try copy.bytes("index.html") + Array("<!-- -->".utf8)
        try copy.overwrite("index.html", forged)
        let manifest = try #require(copy.export.manifest)
        let edited = CopyManifest(generatedAt: Timestamp.parse(manifest.generatedAt)!, files: copy.export.files
            .filter { !["manifest.json", "manifest.json.sig"].contains($0.key) }
            .merging(["index.html": forged]) { _, new in new })
        try copy.overwrite("manifest.json", edited.bytes)
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.badSignature))
        #expect("\(CopyVerifier.Problem.badSignature)" == "bad signature")
    }

    @Test func aGarbledSignatureIsABadSignature() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        try copy.overwrite("manifest.json.sig", Array("not base64 at all\n".utf8))
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.badSignature))
    }

    @Test func anotherKeyIsABadSignature() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        let other = SigningKey.generate(now: PublicPagesTests.start).publicKey
        #expect(other != copy.key.publicKey)
        #expect(CopyVerifier(key: other).verify(directory: copy.folder.path) == .failure(.badSignature))
        // A copy re-signed with another key, carrying that key, fails against the real one.
        let forger = SigningKey.generate(now: PublicPagesTests.start)
        let manifest = try copy.bytes("manifest.json")
        try copy.overwrite("manifest.json.sig", try CopyManifest.signature(of: manifest, with: forger))
        #expect(copy.verifier.verify(directory: copy.folder.path) == .failure(.badSignature))
        #expect(CopyVerifier(key: forger.publicKey).verify(directory: copy.folder.path).map(\.files.count)
            == .success(copy.export.files.count - 2))
    }

    @Test func anUnsignedCopyIsMissingItsManifest() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let export = try StaticExport(snapshot: site.publisher.snapshots.current, assets: try Assets(), store: site.store,
                                      baseURL: "https://status.example.id")
        #expect(export.manifest == nil)
        #expect(export.files["manifest.json"] == nil && export.files[".well-known/warta-signing-key"] == nil)
        let folder = try TemporaryFolder("unsigned")
        defer { folder.remove() }
        try export.write(to: folder.path)
        let key = SigningKey.generate(now: PublicPagesTests.start).publicKey
        #expect(CopyVerifier(key: key).verify(directory: folder.path) == .failure(.missing("manifest.json")))
    }

    @Test func manifestParsingRefusesWhatItDoesNotWrite() throws {
        func parse(_ text: String) -> CopyManifestError? {
            do { _ = try CopyManifest(parsing: Array(text.utf8)); return nil } catch { return error }
        }
        let hash = String(repeating: "a", count: 64)
        #expect(parse(#"{"generated_at":"2031-03-10T05:00:00.000Z","files":[{"path":"a","size":1,"sha256":"\#(hash)"}]}"#) == nil)
        #expect(parse(#"{"generated_at":"yesterday","files":[]}"#) != nil)
        #expect(parse(#"{"generated_at":"2031-03-10T05:00:00.000Z","files":[{"path":"../etc/passwd","size":1,"sha256":"\#(hash)"}]}"#) != nil)
        #expect(parse(#"{"generated_at":"2031-03-10T05:00:00.000Z","files":[{"path":"/a","size":1,"sha256":"\#(hash)"}]}"#) != nil)
        #expect(parse(#"{"generated_at":"2031-03-10T05:00:00.000Z","files":[{"path":"b","size":1,"sha256":"\#(hash)"},{"path":"a","size":1,"sha256":"\#(hash)"}]}"#)
            == CopyManifestError("a is out of order or listed twice"))
        #expect(parse(#"{"generated_at":"2031-03-10T05:00:00.000Z","files":[{"path":"a","size":-1,"sha256":"\#(hash)"}]}"#) != nil)
        #expect(parse(#"{"generated_at":"2031-03-10T05:00:00.000Z","files":[{"path":"a","size":1,"sha256":"XYZ"}]}"#) != nil)
    }

    @Test func pagesOfACopySayWhenItWasMade() throws {
        let copy = try SignedCopy.make()
        defer { copy.close() }
        let notice = #"<p class="copy-notice" role="note">"#
        let indonesian = #"\#(notice)Salinan per <time datetime="2031-03-10T12:00:00.000+07:00">10 Mar 2031, 12.00 WIB</time></p>"#
        let english = #"\#(notice)Copy as of <time datetime="2031-03-10T12:00:00.000+07:00">Mar 10, 2031, 12:00 WIB</time></p>"#
        #expect(String(decoding: try copy.bytes("index.html"), as: UTF8.self).contains(indonesian))
        #expect(String(decoding: try copy.bytes("lang/id/index.html"), as: UTF8.self).contains(indonesian))
        #expect(String(decoding: try copy.bytes("lang/en/index.html"), as: UTF8.self).contains(english))
        #expect(String(decoding: try copy.bytes("lang/en/history/index.html"), as: UTF8.self).contains(english))
        #expect(String(decoding: try copy.bytes("404.html"), as: UTF8.self).contains(indonesian))
        // Right at the start of the main content, where a reader and a screen reader meet it first.
        #expect(String(decoding: try copy.bytes("index.html"), as: UTF8.self).contains("<main id=\"main\" class=\"wrap\">\n" + notice))
        // The live server's pages say nothing of the kind.
        for target in ["/", "/?lang=en", "/history", "/no-such-page"] {
            let served = try copy.site.get(target)
            #expect(!served.text.contains("copy-notice"), "\(target)")
            #expect(!served.text.contains("Salinan per") && !served.text.contains("Copy as of"), "\(target)")
        }
    }

    @Test func theServerPublishesThePublicKey() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let none = try site.get("/.well-known/warta-signing-key")
        #expect(none.status == 404)
        #expect(none.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(none.text == "This site has no signing key; its copies are unsigned.\n")
        #expect(none.header("Cache-Control") == "public, max-age=60")

        let key = try site.store.createSigningKey(replacing: false, by: Self.actor, now: PublicPagesTests.start)
        let served = try site.get("/.well-known/warta-signing-key")
        #expect(served.status == 200)
        #expect(served.text == key.publicKey.base64 + "\n")
        #expect(served.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(served.header("Cache-Control") == "public, max-age=300, stale-if-error=86400")
        #expect(served.header("Last-Modified") == "Mon, 10 Mar 2031 05:00:00 GMT")
        let etag = try #require(served.header("ETag"))
        let revalidated = try site.get("/.well-known/warta-signing-key", ["If-None-Match": etag])
        #expect(revalidated.status == 304)
        #expect(revalidated.body.isEmpty)
    }

    @Test func anExistingKeyIsReplacedOnlyWhenAsked() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let first = try site.store.createSigningKey(replacing: false, by: Self.actor, now: PublicPagesTests.start)
        #expect(throws: SigningKeyError.exists(createdAt: PublicPagesTests.start)) {
            try site.store.createSigningKey(replacing: false, by: Self.actor, now: PublicPagesTests.start.addingTimeInterval(60))
        }
        #expect(try site.store.signingKey()?.publicKey == first.publicKey)
        let second = try site.store.createSigningKey(replacing: true, by: Self.actor, now: PublicPagesTests.start.addingTimeInterval(60))
        #expect(second.publicKey != first.publicKey)
        #expect(try site.store.signingKey()?.publicKey == second.publicKey)
        let actions = try site.store.auditLog().map(\.action)
        #expect(actions.prefix(2) == ["signing_key.replace", "signing_key.create"])
    }
}
