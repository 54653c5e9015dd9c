import Foundation
import HTTPServer
import Outbound
import StatusCore
import Synchronization
import TestSupport
import Testing

/// What a remote prober says to its server, against a stand-in for the management API on
/// 127.0.0.1: reading the checks (in pages, with the token), posting results in the fixed
/// format, retrying when the server says so and the clock allows, keeping the last list.
@Suite struct ProbeReportingTests {
    static let token = "wt_probe_jakarta_2"
    static let start = instant("2024-06-20T07:59:00Z")

    @Test func theServersCheckObjectsBecomeChecks() throws {
        let server = try ManagementStandIn(checks: [ManagementStandIn.mpaspor, ManagementStandIn.sftp,
                                                     ManagementStandIn.backupJob, ManagementStandIn.unknownKind,
                                                     #"{"id":"brokencheck1","name":"no type"}"#])
        let client = ManagementClient(server: server.url + "/", token: Self.token)
        #expect(try client.pageID() == "pg0000000001")
        let checks = try client.checks(pageID: "pg0000000001")

        var mpaspor = Check(id: "mpaspor00001", name: "M-Paspor API", componentID: "cmpmpaspor01", kind: .http,
                            url: "https://mpaspor.imigrasi.go.id/health",
                            createdAt: instant("2024-06-01T02:00:00Z"), updatedAt: instant("2024-06-19T08:30:00.250Z"))
        mpaspor.method = .HEAD
        mpaspor.expectedStatuses = [200, 204]
        mpaspor.followRedirects = true
        mpaspor.interval = 30
        mpaspor.timeout = 8
        mpaspor.thresholds = CheckThresholds(failures: 4, successes: 1)
        var sftp = Check(id: "sftp00000001", name: "SFTP <paspor> & \"visa\"", componentID: "cmpsftp00001", kind: .tcp,
                         url: "tcp://10.20.0.5:22", createdAt: instant("2024-06-01T02:00:00Z"),
                         updatedAt: instant("2024-06-01T02:00:00Z"))
        sftp.interval = 60
        sftp.timeout = 10
        var backup = Check(id: "backupjob001", name: "Nightly backup", componentID: "cmpsftp00001", kind: .heartbeat,
                           url: nil, createdAt: instant("2024-06-01T02:00:00Z"), updatedAt: instant("2024-06-01T02:00:00Z"))
        backup.interval = 86_400
        backup.timeout = 10
        backup.grace = 3600
        backup.lastBeatAt = instant("2024-06-19T19:00:00Z")
        backup.thresholds = CheckThresholds(failures: 1, successes: 1)
        #expect(checks == [mpaspor, sftp, backup])
        #expect(server.requests.allSatisfy { $0.headers[.authorization] == "OAuth \(Self.token)" })
    }

    @Test func checksAreReadAHundredAtATime() throws {
        let documents = (0..<150).map { ManagementStandIn.mpaspor.replacingOccurrences(of: "mpaspor00001", with: String(format: "mpaspor%05d", $0)) }
        let server = try ManagementStandIn(checks: documents)
        let checks = try ManagementClient(server: server.url, token: Self.token).checks(pageID: "pg0000000001")
        #expect(checks.map(\.id) == (0..<150).map { String(format: "mpaspor%05d", $0) })
        #expect(server.requests.map(\.target) == ["/v1/pages/pg0000000001/checks?per_page=100&page=1",
                                                  "/v1/pages/pg0000000001/checks?per_page=100&page=2"])
    }

    @Test func aRefusedTokenIsSaidPlainly() throws {
        let server = try ManagementStandIn(checks: [])
        let client = ManagementClient(server: server.url, token: "revoked")
        #expect(throws: ManagementClient.Failure.refused(status: 401)) { try client.pageID() }
        server.stop()
        #expect(throws: ManagementClient.Failure.unreachable("connection refused")) { try client.pageID() }
    }

    @Test func aResultIsPostedInTheFixedFormat() throws {
        let server = try ManagementStandIn(checks: [])
        let uploader = ResultUploader(client: ManagementClient(server: server.url, token: Self.token),
                                      pageID: "pg0000000001", clock: ManualClock(Self.start))
        uploader.enqueue([
            CheckResult(checkID: "mpaspor00001", location: "jakarta-2",
                        report: ProbeReport(outcome: .failure, at: Self.start, latencyMilliseconds: 12, detail: "HTTP 503")),
            CheckResult(checkID: "sftp00000001", location: "jakarta-2",
                        report: ProbeReport(outcome: .inconclusive, at: Self.start, detail: "control target unreachable")),
        ])
        #expect(uploader.uploadDue() == 2)
        let posts = server.requests.sorted { $0.target < $1.target }
        #expect(posts.map(\.target) == ["/v1/pages/pg0000000001/checks/mpaspor00001/results",
                                        "/v1/pages/pg0000000001/checks/sftp00000001/results"])
        #expect(posts.allSatisfy { $0.method == .post && $0.headers[.contentType] == "application/json"
                                   && $0.headers[.authorization] == "OAuth \(Self.token)" })
        #expect(posts.map { String(decoding: $0.body, as: UTF8.self) } == [
            #"{"result":{"detail":"HTTP 503","latency_ms":12,"location":"jakarta-2","outcome":"failure"}}"#,
            #"{"result":{"detail":"control target unreachable","location":"jakarta-2","outcome":"inconclusive"}}"#,
        ])
        #expect(uploader.statistics == ResultUploader.Counts(delivered: 2, retried: 0, dropped: 0))
        #expect(uploader.waiting == 0)
    }

    @Test func aPostTheServerCouldNotTakeIsRetriedWhenTheClockSays() throws {
        let server = try ManagementStandIn(checks: [], resultStatuses: [503, 429, 200])
        let clock = ManualClock(Self.start)
        let uploader = ResultUploader(client: ManagementClient(server: server.url, token: Self.token),
                                      pageID: "pg0000000001", clock: clock)
        uploader.enqueue([Self.result])
        #expect(uploader.uploadDue() == 1)
        // Waits of 2 s, then 4 s.
        for wait in [2.0, 4.0] {
            clock.advance(by: wait - 0.5)
            #expect(uploader.uploadDue() == 0)
            clock.advance(by: 0.5)
            #expect(uploader.uploadDue() == 1)
        }
        #expect(server.requests.count == 3)
        #expect(uploader.statistics == ResultUploader.Counts(delivered: 1, retried: 2, dropped: 0))
        #expect(uploader.waiting == 0)
    }

    @Test func aResultIsDroppedAfterFourAttemptsOrAtOnceWhenTheServerRefusesIt() throws {
        let server = try ManagementStandIn(checks: [], resultStatuses: [500, 500, 500, 500, 404, 422])
        let clock = ManualClock(Self.start)
        let uploader = ResultUploader(client: ManagementClient(server: server.url, token: Self.token),
                                      pageID: "pg0000000001", clock: clock)
        uploader.enqueue([Self.result])
        for _ in 0..<4 {
            #expect(uploader.uploadDue() == 1)
            clock.advance(by: 60)
        }
        #expect(uploader.waiting == 0)
        #expect(uploader.statistics == ResultUploader.Counts(delivered: 0, retried: 3, dropped: 1))
        // A deleted check (404) and a result the server finds wrong (422): no retry.
        uploader.enqueue([Self.result, Self.result])
        #expect(uploader.uploadDue() == 2)
        #expect(uploader.waiting == 0)
        #expect(uploader.statistics.dropped == 3)
    }

    @Test func anAbsentServerIsRetriedAndTheQueueIsBounded() throws {
        let port = try RawListener.closedPort()
        let clock = ManualClock(Self.start)
        let uploader = ResultUploader(client: ManagementClient(server: "http://127.0.0.1:\(port)", token: Self.token),
                                      pageID: "pg0000000001", clock: clock,
                                      policy: ResultUploader.Policy(queueLimit: 3))
        uploader.enqueue([Self.result])
        #expect(uploader.uploadDue() == 1)
        #expect(uploader.statistics == ResultUploader.Counts(delivered: 0, retried: 1, dropped: 0))
        uploader.enqueue(Array(repeating: Self.result, count: 4))
        #expect(uploader.waiting == 3)
        #expect(uploader.statistics.dropped == 2)
    }

    @Test func theLastListIsKeptWhileTheServerIsAway() throws {
        let server = try ManagementStandIn(checks: [ManagementStandIn.mpaspor])
        let list = RemoteCheckList(client: ManagementClient(server: server.url, token: Self.token), pageID: "pg0000000001")
        #expect(list.checks.isEmpty)
        #expect(list.refresh())
        #expect(list.checks.map(\.id) == ["mpaspor00001"])
        server.stop()
        #expect(!list.refresh())
        #expect(list.checks.map(\.id) == ["mpaspor00001"])
    }

    static let result = CheckResult(checkID: "mpaspor00001", location: "jakarta-2",
                                    report: ProbeReport(outcome: .success, at: start, latencyMilliseconds: 40, detail: "HTTP 200"))
}

/// The management API as a remote prober sees it, on 127.0.0.1, port 0: one page, the
/// given check objects (100 a page), and result posts answered with the scripted statuses
/// (then 200). Anything without the token gets 401.
final class ManagementStandIn: Sendable {
    static let mpaspor = #"""
        {"id":"mpaspor00001","page_id":"pg0000000001","component_id":"cmpmpaspor01","name":"M-Paspor API","type":"http","url":"https://mpaspor.imigrasi.go.id/health","method":"HEAD","expected_statuses":[200,204],"body_contains":null,"follow_redirects":true,"interval":30,"timeout":8,"grace":null,"failure_threshold":4,"success_threshold":1,"state":"failing","since":"2024-06-20T11:17:00.000+07:00","last_checked_at":"2024-06-20T21:58:30.000+07:00","last_beat_at":null,"locations":[{"name":"local","state":"failing","since":"2024-06-20T11:17:00.000+07:00","last_report_at":"2024-06-20T21:58:30.000+07:00","latency_ms":8000,"detail":"timed out after 8 s","silent":false}],"created_at":"2024-06-01T09:00:00.000+07:00","updated_at":"2024-06-19T15:30:00.250+07:00"}
        """#
    static let sftp = #"""
        {"id":"sftp00000001","page_id":"pg0000000001","component_id":"cmpsftp00001","name":"SFTP <paspor> & \"visa\"","type":"tcp","url":"tcp://10.20.0.5:22","method":"GET","expected_statuses":[],"body_contains":null,"follow_redirects":false,"interval":60,"timeout":10,"grace":null,"failure_threshold":3,"success_threshold":2,"state":"unknown","since":null,"last_checked_at":null,"last_beat_at":null,"locations":[],"created_at":"2024-06-01T02:00:00.000Z","updated_at":"2024-06-01T02:00:00.000Z"}
        """#
    static let backupJob = #"""
        {"id":"backupjob001","page_id":"pg0000000001","component_id":"cmpsftp00001","name":"Nightly backup","type":"heartbeat","url":null,"method":"GET","expected_statuses":[],"body_contains":null,"follow_redirects":false,"interval":86400,"timeout":10,"grace":3600,"failure_threshold":1,"success_threshold":1,"state":"up","since":"2024-06-19T19:00:00.000Z","last_checked_at":"2024-06-19T19:00:00.000Z","last_beat_at":"2024-06-19T19:00:00.000Z","locations":[],"created_at":"2024-06-01T02:00:00.000Z","updated_at":"2024-06-01T02:00:00.000Z"}
        """#
    /// A kind a newer server may know; this prober leaves it out.
    static let unknownKind = #"""
        {"id":"dnscheck0001","page_id":"pg0000000001","component_id":"cmpsftp00001","name":"DNS","type":"dns","url":"dns://imigrasi.go.id","method":"GET","expected_statuses":[],"body_contains":null,"follow_redirects":false,"interval":60,"timeout":10,"grace":null,"failure_threshold":3,"success_threshold":2,"state":"unknown","since":null,"last_checked_at":null,"last_beat_at":null,"locations":[],"created_at":"2024-06-01T02:00:00.000Z","updated_at":"2024-06-01T02:00:00.000Z"}
        """#

    final class Routes: HTTPResponder {
        let checks: [String]
        let state: Mutex<(statuses: [Int], requests: [HTTPRequest])>

        init(checks: [String], statuses: [Int]) {
            self.checks = checks
            state = Mutex((statuses, []))
        }

        func respond(to request: HTTPRequest) -> HTTPReply {
            let scripted = state.withLock { state in
                state.requests.append(request)
                return request.method == .post && !state.statuses.isEmpty ? state.statuses.removeFirst() : 200
            }
            guard request.headers[.authorization] == "OAuth \(ProbeReportingTests.token)" else {
                return .response(.problem(.unauthorized, detail: "The token is not valid."))
            }
            let page = "/v1/pages/pg0000000001"
            switch (request.method, request.path) {
            case (.get, "/v1/pages"):
                return .response(Self.json(#"[{"id":"pg0000000001","name":"Direktorat Jenderal Imigrasi"}]"#))
            case (.get, page + "/checks"):
                let query = Dictionary(request.queryItems.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                let size = Int(query["per_page"] ?? "") ?? 100
                let number = Int(query["page"] ?? "") ?? 1
                let slice = checks.dropFirst((number - 1) * size).prefix(size)
                return .response(Self.json("[" + slice.joined(separator: ",") + "]"))
            case (.post, let path) where path.hasPrefix(page + "/checks/") && path.hasSuffix("/results"):
                return .response(HTTPResponse(status: HTTPStatus(code: scripted, reasonPhrase: "Scripted"),
                                              contentType: "application/json", body: "{}"))
            default:
                return .response(.notFound(request.path))
            }
        }

        static func json(_ text: String) -> HTTPResponse {
            HTTPResponse(contentType: "application/json", body: text)
        }
    }

    private let routes: Routes
    private let server: LocalHTTPServer

    init(checks: [String], resultStatuses: [Int] = []) throws {
        routes = Routes(checks: checks, statuses: resultStatuses)
        server = try LocalHTTPServer(routes)
    }

    var url: String { server.url }

    var requests: [HTTPRequest] { routes.state.withLock { $0.requests } }

    func stop() { server.stop() }
}
