import Foundation
import HTTPServer
import StatusCore
import Synchronization
import TestSupport
import Testing
@testable import StatusWeb

/// `warta export` and `serve --mirror`: the static site holds, byte for byte, what the
/// server sends, and a mirror's reader never sees a file half written.
@Suite struct StaticSiteTests {
    static let actor = Actor(tokenName: "static-test", clientAddress: "127.0.0.1")
    typealias PageServer = PublicPagesTests.PageServer

    /// A page with a URL, a component, an open incident with an English translation.
    static func populate(_ site: PageServer) throws -> (component: Component, incident: Incident) {
        try site.write { store, now in
            _ = try store.updatePage(PagePatch(url: "https://status.example.id"), by: Self.actor, now: now)
            let component = try store.createComponent(ComponentDraft(name: "Autogate Terminal 3"), by: Self.actor, now: now)
            let incident = try store.createIncident(IncidentDraft(
                name: "Autogates down", nameTranslations: ["en": "Autogates down"], body: "Paspor diperiksa manual.",
                bodyTranslations: ["en": "Passports are checked by hand."],
                components: [component.id: .majorOutage]), by: Self.actor, now: now)
            return (component, incident)
        }
    }

    /// The codings a static copy holds siblings for: the `Content-Encoding` token, the file
    /// suffix, and the decoder.
    static let siblingCodings: [(token: String, suffix: String, decode: @Sendable ([UInt8]) -> [UInt8]?)] = [
        ("gzip", ".gz", { Gzip.decompress($0) }), ("br", ".br", { Brotli.decompress($0) }),
    ]

    @Test func exportedFilesAreTheBytesTheServerSends() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let (component, incident) = try Self.populate(site)
        // Exported from the snapshot the write published, which leaves its Brotli forms for
        // later: the export makes them itself, and the server is compared once it has too.
        #expect(site.publisher.snapshots.current.lacksBrotli)
        let exported = try StaticExport(snapshot: site.publisher.snapshots.current, assets: try Assets(), store: site.store,
                                      baseURL: "https://status.example.id")
        site.publisher.completeBrotli()
        let folder = try TemporaryFolder("static")
        defer { folder.remove() }
        #expect(try exported.write(to: folder.path) == exported.files.count)

        let pairs: [(target: String, file: String)] = [
            ("/", "index.html"), ("/?lang=id", "lang/id/index.html"), ("/?lang=en", "lang/en/index.html"),
            ("/incidents/\(incident.id)", "incidents/\(incident.id)/index.html"),
            ("/incidents/\(incident.id)?lang=en", "lang/en/incidents/\(incident.id)/index.html"),
            ("/history", "history/index.html"), ("/history?lang=en", "lang/en/history/index.html"),
            ("/api/v2/summary.json", "api/v2/summary.json"), ("/api/v2/incidents/unresolved.json", "api/v2/incidents/unresolved.json"),
            ("/api/v2/uptime.json", "api/v2/uptime.json"),
            ("/history.rss", "history.rss"), ("/history.atom", "history.atom"), ("/badge.svg", "badge.svg"),
            ("/components/\(component.id)/badge.svg", "components/\(component.id)/badge.svg"),
            ("/style.css", "style.css"), ("/theme.css", "theme.css"), ("/robots.txt", "robots.txt"),
            ("/api/openapi.json", "api/openapi.json"),
        ]
        var compressed = Self.siblingCodings.map { _ in 0 }
        for (target, file) in pairs {
            let served = try site.get(target)
            #expect(served.status == 200, "\(target)")
            let isPage = file.hasSuffix(".html")
            var onDisk = try [UInt8](Data(contentsOf: folder.url.appendingPathComponent(file)))
            if isPage { onDisk = try #require(withoutCopyNotice(onDisk), "\(file) does not say it is a copy") }
            #expect(onDisk == served.body, "\(file) differs from GET \(target)")

            // Each compressed sibling holds what that coding's request gets, and exists only
            // where the server sends that coding.
            for (index, coding) in Self.siblingCodings.enumerated() {
                let encoded = try site.get(target, ["Accept-Encoding": coding.token])
                let sibling = folder.url.appendingPathComponent(file + coding.suffix)
                if encoded.header("Content-Encoding") == coding.token {
                    compressed[index] += 1
                    let siblingBytes = try [UInt8](Data(contentsOf: sibling))
                    if isPage {
                        #expect(coding.decode(siblingBytes).flatMap(withoutCopyNotice) == served.body, "\(file)\(coding.suffix)")
                    } else {
                        #expect(siblingBytes == encoded.body, "\(file)\(coding.suffix)")
                    }
                    #expect(coding.decode(encoded.body) == served.body, "\(target) \(coding.token)")
                } else {
                    #expect(!FileManager.default.fileExists(atPath: sibling.path), "\(file)\(coding.suffix) without a \(coding.token) response")
                }
            }
        }
        #expect(compressed.allSatisfy { $0 >= 12 }, "\(compressed)")
        // The 404 page, for a web server's error_page.
        let missing = try site.get("/no-such-page")
        #expect(withoutCopyNotice(try [UInt8](Data(contentsOf: folder.url.appendingPathComponent("404.html")))) == missing.body)
        // No temporary file is left behind.
        let leftovers = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".tmp") } ?? []
        #expect(leftovers.isEmpty)
    }

    @Test func rewritingSkipsUnchangedFilesAndRemovesGoneOnes() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let (_, incident) = try Self.populate(site)
        let folder = try TemporaryFolder("static")
        defer { folder.remove() }
        let assets = try Assets()
        let first = try StaticExport(snapshot: site.publisher.snapshots.current, assets: assets, store: site.store,
                                   baseURL: "https://status.example.id")
        try first.write(to: folder.path)
        #expect(try first.write(to: folder.path, previous: first.files) == 0)

        try site.write { store, now in try store.deleteIncident(id: incident.id, by: Self.actor, now: now) }
        let second = try StaticExport(snapshot: site.publisher.snapshots.current, assets: assets, store: site.store,
                                    baseURL: "https://status.example.id")
        let written = try second.write(to: folder.path, previous: first.files)
        #expect(written > 0 && written < second.files.count)
        #expect(!folder.fileExists("incidents/\(incident.id)/index.html"))
        #expect(folder.fileExists("robots.txt"))
    }

    /// A reader polls the mirror while 40 writes go through: every file it reads is whole
    /// (HTML ends with </html>, JSON parses, gzip inflates, Brotli decodes), and once the mirror is flushed
    /// it holds what the server sends.
    @Test func mirrorReadersNeverSeeAPartialFile() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let (_, incident) = try Self.populate(site)
        let folder = try TemporaryFolder("static")
        defer { folder.remove() }
        let mirror = Mirror(directory: folder.path, assets: try Assets(), store: site.store, baseURL: "https://status.example.id")
        try mirror.writeNow(site.publisher.snapshots.current)
        site.publisher.observe { mirror.publish($0) }

        let shared = ReaderState()
        let reader = Thread {
            while !shared.stop.load(ordering: .relaxed) {
                for name in ["index.html", "api/v2/summary.json", "api/v2/summary.json.gz", "index.html.gz", "index.html.br"] {
                    guard let data = FileManager.default.contents(atPath: folder.file(name)) else {
                        shared.problems.withLock { $0.append("\(name) missing") }
                        continue
                    }
                    shared.reads.add(1, ordering: .relaxed)
                    var bytes = [UInt8](data)
                    if name.hasSuffix(".gz") {
                        guard let inflated = Gzip.decompress(bytes) else {
                            shared.problems.withLock { $0.append("\(name): \(bytes.count) bytes that do not inflate") }
                            continue
                        }
                        bytes = inflated
                    }
                    if name.hasSuffix(".br") {
                        guard let decoded = Brotli.decompress(bytes) else {
                            shared.problems.withLock { $0.append("\(name): \(bytes.count) bytes that do not decode") }
                            continue
                        }
                        bytes = decoded
                    }
                    if name.contains("index.html"), !String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</html>") {
                        shared.problems.withLock { $0.append("\(name): cut at \(bytes.count) bytes") }
                    }
                    if name.contains(".json"), (try? JSONSerialization.jsonObject(with: Data(bytes))) == nil {
                        shared.problems.withLock { $0.append("\(name): \(bytes.count) bytes of invalid JSON") }
                    }
                }
            }
        }
        reader.start()
        for number in 1...40 {
            _ = try site.write { store, now in
                try store.updateIncident(id: incident.id, IncidentPatch(body: "Update number \(number)."), by: Self.actor, now: now)
            }
        }
        mirror.flush()
        shared.stop.store(true, ordering: .relaxed)
        while !reader.isFinished { usleep(1000) }

        let problems = shared.problems.withLock { $0 }
        #expect(problems.isEmpty, "\(problems.count) bad reads, first: \(problems.prefix(3))")
        #expect(shared.reads.load(ordering: .relaxed) > 40)
        let served = try site.get("/api/v2/summary.json")
        #expect(served.text.contains("Update number 40."))
        #expect(try [UInt8](Data(contentsOf: folder.url.appendingPathComponent("api/v2/summary.json"))) == served.body)
        #expect(withoutCopyNotice(try [UInt8](Data(contentsOf: folder.url.appendingPathComponent("index.html"))))
            == (try site.get("/")).body)
    }

    /// What the reader thread and the test share.
    final class ReaderState: Sendable {
        let stop = Atomic<Bool>(false)
        let problems = Mutex<[String]>([])
        let reads = Atomic<Int>(0)
    }
}
