import Foundation
import SQLite
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built binary, started as `warta serve --port 0`, answered by curl and raw sockets.
@Suite(.serialized)
struct ServeTests {
    @Test func healthzReportsVersionAndDatabase() throws {
        let warta = try WartaProcess()
        defer { warta.stop() }
        let response = parseCurlResponse(try curl(["-i", warta.baseURL + "/healthz"]))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.body == #"{"status":"ok","version":"0.1.0","database":"ok"}"#)
        #expect(response.headers["date"]?.hasSuffix(" GMT") == true)
    }

    @Test func staticFileHasValidatorsAndAnswers304() throws {
        let warta = try WartaProcess()
        defer { warta.stop() }
        let first = parseCurlResponse(try curl(["-i", warta.baseURL + "/robots.txt"]))
        #expect(first.status == 200)
        #expect(first.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(first.body == "User-agent: *\nAllow: /\n")
        let etag = try #require(first.headers["etag"])
        // "<length in hex>-<16 hex digits>": robots.txt is 23 = 0x17 bytes.
        #expect(etag.hasPrefix("\"17-") && etag.hasSuffix("\"") && etag.count == 21)
        let lastModified = try #require(first.headers["last-modified"])

        let byTag = parseCurlResponse(try curl(["-i", "-H", "If-None-Match: \(etag)", warta.baseURL + "/robots.txt"]))
        #expect(byTag.status == 304)
        #expect(byTag.headers["etag"] == etag)
        #expect(byTag.body.isEmpty)

        let byDate = parseCurlResponse(try curl(["-i", "-H", "If-Modified-Since: \(lastModified)", warta.baseURL + "/robots.txt"]))
        #expect(byDate.status == 304)

        let stale = parseCurlResponse(try curl(["-i", "-H", "If-None-Match: \"0000000000000000\"", warta.baseURL + "/robots.txt"]))
        #expect(stale.status == 200)
        #expect(stale.body == "User-agent: *\nAllow: /\n")
    }

    @Test func unknownPathIs404AndTraversalIsRefused() throws {
        let warta = try WartaProcess()
        defer { warta.stop() }
        // A reader gets the HTML 404 page; an API client a problem naming the path.
        let missing = parseCurlResponse(try curl(["-i", warta.baseURL + "/no-such-file.css"]))
        #expect(missing.status == 404)
        #expect(missing.headers["content-type"] == "text/html; charset=utf-8")
        #expect(missing.body.contains("<h1>Halaman tidak ditemukan</h1>"))
        let missingAPI = parseCurlResponse(try curl(["-i", warta.baseURL + "/api/v2/no-such-document.json"]))
        #expect(missingAPI.status == 404)
        #expect(missingAPI.headers["content-type"] == "application/problem+json")
        #expect(missingAPI.body.contains("/api/v2/no-such-document.json"))

        for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd", "/%00robots.txt"] {
            let response = parseCurlResponse(try curl(["-i", "--path-as-is", warta.baseURL + path]))
            #expect(response.status == 400, "\(path)")
            #expect(!response.body.contains("root:"), "\(path)")
        }
        for path in ["/templates/", "/templates/overview.html"] {
            #expect(parseCurlResponse(try curl(["-i", warta.baseURL + path])).status == 404, "\(path)")
        }
    }

    @Test func createsAndMigratesTheDatabaseInTheWorkingDirectory() throws {
        let warta = try WartaProcess()
        let path = warta.folder.file("warta.db")
        #expect(FileManager.default.fileExists(atPath: path))
        warta.signal(SIGTERM)
        #expect(warta.waitForExit() == 0)
        let database = try Database(path: path)
        defer {
            database.close()
            warta.folder.remove()
        }
        let names = try database.query("SELECT name FROM schema_migrations ORDER BY name").map { try $0.string(0) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("migrations").path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(names == files)
        #expect(names.first == "0001_init.sql")
        let page = try #require(try database.queryOne("SELECT id, name FROM page"))
        #expect(try page.string("id").count == 12)
    }

    @Test func refusesADatabaseFromANewerVersion() throws {
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let first = try WartaProcess(folder: folder)
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0)
        let database = try Database(path: folder.file("warta.db"))
        try database.execute("INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ('9999_future.sql', 'x', 'now')")
        database.close()

        let error = try #require(throws: WartaProcess.StartError.self) { try WartaProcess(folder: folder) }
        #expect(error.output.contains("9999_future.sql"))
        #expect(error.output.contains("refusing to start"))
    }

    @Test func publicDirOverridesEmbeddedFiles() throws {
        let overrides = try TemporaryFolder("e2e")
        defer { overrides.remove() }
        try "User-agent: *\nDisallow: /\n".write(to: overrides.url.appendingPathComponent("robots.txt"), atomically: true, encoding: .utf8)
        try "body{}".write(to: overrides.url.appendingPathComponent("extra.css"), atomically: true, encoding: .utf8)
        let warta = try WartaProcess(["--public-dir", overrides.path])
        defer { warta.stop() }

        let robots = parseCurlResponse(try curl(["-i", warta.baseURL + "/robots.txt"]))
        #expect(robots.body == "User-agent: *\nDisallow: /\n")
        let extra = parseCurlResponse(try curl(["-i", warta.baseURL + "/extra.css"]))
        #expect(extra.status == 200)
        #expect(extra.headers["content-type"] == "text/css; charset=utf-8")
        let favicon = parseCurlResponse(try curl(["-i", warta.baseURL + "/favicon.svg"]))
        #expect(favicon.status == 200)
        #expect(favicon.headers["content-type"] == "image/svg+xml")
    }

    /// SIGTERM while a request is in flight: the request is answered, new connections are
    /// refused, and the process exits 0.
    @Test func sigtermFinishesTheInFlightRequestAndExitsZero() throws {
        let warta = try WartaProcess()
        defer { warta.stop() }
        let inFlight = try TestClient(port: warta.port, receiveTimeout: 10)
        try inFlight.send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf ")
        let idle = try TestClient(port: warta.port, receiveTimeout: 10)
        try idle.send("GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(200_000)

        warta.signal(SIGTERM)
        usleep(300_000)
        #expect(TestClient.isRefused(port: warta.port))
        #expect(warta.process.isRunning)

        try inFlight.send("body!")
        let response = TestClient.text(inFlight.readToEnd().bytes)
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("Connection: close\r\n"))
        #expect(response.hasSuffix(#"{"status":"ok","version":"0.1.0","database":"ok"}"#))

        let idleResponse = TestClient.text(idle.readToEnd().bytes)
        #expect(idleResponse.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(warta.waitForExit() == 0)
        #expect(warta.standardError().contains("event=stopped"))
    }

    @Test func logsOneLinePerRequestWithoutHeaders() throws {
        let warta = try WartaProcess()
        _ = try curl(["-H", "Authorization: Bearer warta_secret", warta.baseURL + "/robots.txt?x=1&q=ana@example.org"])
        warta.signal(SIGTERM)
        #expect(warta.waitForExit() == 0)
        let log = warta.standardError()
        let lines = log.split(separator: "\n").filter { $0.contains("method=") }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.contains("method=GET path=\"/robots.txt?x&q\" status=200 bytes=23 duration_us="))
        #expect(!log.contains("warta_secret"))
        // A query's values are left out: one may be a subscriber's address.
        #expect(!log.contains("ana@example.org"))
        warta.folder.remove()
    }
}
