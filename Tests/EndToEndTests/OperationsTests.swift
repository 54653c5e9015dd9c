import Foundation
import TestSupport
import Testing

/// What an operator sees: `/metrics` in the Prometheus text format, logs that tie a request to
/// what it changed, and the systemd unit in contrib/.
@Suite(.serialized)
struct OperationsTests {
    typealias Fixture = ManagementAPITests.Fixture

    /// `name{labels} value` lines of a scrape, by the part before the value.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func metricsCountRequestsByRouteAndReportTheQueue() throws {
        let fixture = try Fixture(["--webhook-allow-private"])
        for _ in 0..<3 { _ = try curl([fixture.base + "/api/v2/summary.json"]) }
        _ = try curl([fixture.base + "/no/such/page"])
        // A receiver that is not there: the delivery stays queued.
        let subscribed = try fixture.request("POST", "/v1/pages/{page}/subscribers",
                                             form: ["subscriber[endpoint]=http://127.0.0.1:9/unreachable"])
        #expect(subscribed.status == 201)
        let created = try fixture.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=Queue check"])
        #expect(created.status == 201)

        let scrape = parseCurlResponse(try curl(["-i", fixture.base + "/metrics"]))
        #expect(scrape.status == 200)
        #expect(scrape.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let samples = Self.samples(scrape.body)
        #expect(samples[#"warta_http_requests_total{route="/api/v2/summary.json",status="200"}"#] == 3)
        #expect(samples[#"warta_http_requests_total{route="/v1/pages/{page_id}/incidents",status="201"}"#] == 1)
        // Unrouted paths share one series: clients cannot create series at will.
        #expect(samples[#"warta_http_requests_total{route="other",status="404"}"#] == 1)
        #expect(!scrape.body.contains("/no/such/page"))
        // The histogram is cumulative and ends with +Inf equal to the count.
        let route = #"route="/api/v2/summary.json""#
        let buckets = samples.filter { $0.key.hasPrefix("warta_http_request_duration_seconds_bucket{\(route)") }
            .sorted { $0.value < $1.value }.map(\.value)
        #expect(buckets.count == 14 && buckets.last == 3)
        #expect(samples[#"warta_http_request_duration_seconds_bucket{\#(route),le="+Inf"}"#] == 3)
        #expect(samples["warta_http_request_duration_seconds_count{\(route)}"] == 3)
        #expect((samples["warta_http_open_connections"] ?? 0) >= 1)
        #expect((samples["warta_snapshot_builds_total"] ?? 0) >= 1)
        #expect((samples["warta_last_write_timestamp_seconds"] ?? 0) > Date().timeIntervalSince1970 - 120)
        #expect(samples["warta_webhook_queue_depth"] == 1)
        #expect(samples["warta_disk_full_writes_total"] == 0)
        #expect(samples[#"warta_build_info{version="0.1.0"}"#] == 1)
        // Every family is announced with its type before its samples.
        for family in ["warta_http_requests_total counter", "warta_http_request_duration_seconds histogram",
                       "warta_webhook_queue_depth gauge", "warta_disk_full_writes_total counter"] {
            #expect(scrape.body.contains("# TYPE \(family)\n"))
        }
    }

    @Test func aWriteIsLoggedWithItsRequestIDAndNeverItsToken() throws {
        let fixture = try Fixture()
        let created = try fixture.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=Logged"],
                                          token: .some(nil))
        #expect(created.status == 401)
        var arguments = ["-i", "-X", "POST", fixture.base + "/v1/pages/\(fixture.pageID)/incidents",
                         "-H", "Authorization: Bearer \(fixture.token)", "-H", "X-Request-Id: desk-42",
                         "--data-urlencode", "incident[name]=Logged"]
        #expect(parseCurlResponse(try curl(arguments)).status == 201)
        // An id that could forge log fields is replaced by the server's own.
        arguments[7] = "X-Request-Id: x status=200 actor=admin"
        #expect(parseCurlResponse(try curl(arguments)).status == 201)

        fixture.warta.signal(SIGTERM)
        fixture.warta.waitForExit()
        let log = fixture.warta.standardError()
        let lines = log.split(separator: "\n")
        let tagged = lines.filter { $0.contains("request_id=desk-42") }
        // The access line and the write line, with who wrote.
        #expect(tagged.count == 2, "\(tagged)")
        #expect(tagged.contains { $0.contains("event=write") && $0.contains("actor=tester") && $0.contains("status=201") })
        #expect(tagged.contains { $0.contains("method=POST") && $0.contains("duration_us=") })
        #expect(!log.contains("actor=admin") && !log.contains("request_id=x "))
        #expect(lines.filter { $0.contains("event=write") }.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("time=") })
        #expect(!log.contains(fixture.token) && !log.contains("Bearer") && !log.lowercased().contains("authorization"))
    }

    /// The unit passes `systemd-analyze verify` with the built binary in place, keeps its
    /// sandbox, and its command line starts a server.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "needs systemd-analyze"))
    func systemdUnitVerifiesAndItsCommandLineServes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let unit = try String(contentsOf: root.appendingPathComponent("contrib/warta.service"), encoding: .utf8)
        for setting in ["DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=warta", "NoNewPrivileges=yes"] {
            #expect(unit.contains("\n\(setting)\n"), "\(setting)")
        }
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let installed = folder.url.appendingPathComponent("warta.service")
        try unit.replacingOccurrences(of: "/usr/local/bin/warta", with: WartaProcess.executable.path)
            .write(to: installed, atomically: true, encoding: .utf8)
        let verify = Process()
        verify.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        verify.arguments = ["verify", installed.path]
        let errors = Pipe()
        verify.standardError = errors
        try verify.run()
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        verify.waitUntilExit()
        #expect(verify.terminationStatus == 0, "\(complaints)")

        // ExecStart's options, with the state directory and port swapped for the test's.
        let execStart = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        var arguments = execStart.split(separator: " ").dropFirst(2).map(String.init)
        let port = try #require(arguments.firstIndex(of: "--port"))
        arguments.removeSubrange(port...(port + 1))
        if let db = arguments.firstIndex(of: "--db") { arguments[db + 1] = folder.file("warta.db") }
        let warta = try WartaProcess(arguments, folder: folder)
        defer { warta.stop() }
        #expect(parseCurlResponse(try curl(["-i", warta.baseURL + "/healthz"])).status == 200)
    }
}
