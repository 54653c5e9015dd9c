import Foundation
import HTTPServer
import Outbound
import StatusCore
import Synchronization
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The prober against real targets on 127.0.0.1: an HTTP server the test starts and stops,
/// a listener that never answers, ports nothing listens on. The clock only dates reports and
/// ages the control target's answer; the one real wait is the 1 s timeout.
@Suite struct ProberTests {
    static let start = instant("2024-06-20T04:15:00Z")
    let clock = ManualClock(ProberTests.start)

    // MARK: http

    @Test func anAnsweringServiceIsUpAndItsRequestCarriesNoCredentials() throws {
        let target = try ProbeTarget()
        let report = Prober(clock: clock).probe(.http(target.url("/ok")), at: Self.start)
        #expect(report.outcome == .success)
        #expect(report.detail == "HTTP 200")
        #expect(report.at == Self.start)
        #expect(try #require(report.latencyMilliseconds) >= 0)
        let request = try #require(target.requests.first)
        #expect(target.requests.count == 1)
        #expect(request.method == .get && request.target == "/ok")
        #expect(request.headers[HTTPHeaderName("User-Agent")] == "Warta/\(Version.current) (check)")
        #expect(request.headers[.authorization] == nil && request.headers[HTTPHeaderName("Cookie")] == nil)
    }

    @Test func aServiceThatFailsIsDownWithItsStatus() throws {
        let target = try ProbeTarget()
        let report = Prober(clock: clock).probe(.http(target.url("/status/503")), at: Self.start)
        #expect(report.outcome == .failure)
        #expect(report.detail == "HTTP 503")
    }

    @Test func aStoppedServiceIsDownWithConnectionRefused() throws {
        let target = try ProbeTarget()
        let url = target.url("/ok")
        target.stop()
        let report = Prober(clock: clock).probe(.http(url), at: Self.start)
        #expect(report.outcome == .failure)
        #expect(report.detail == "connection refused")
    }

    @Test func expectedStatusesReplaceAny2xx() throws {
        let target = try ProbeTarget()
        let prober = Prober(clock: clock)
        var teapot = Check.http(target.url("/status/418"))
        teapot.expectedStatuses = [418, 429]
        #expect(prober.probe(teapot, at: Self.start).outcome == .success)
        teapot.url = target.url("/ok")
        let report = prober.probe(teapot, at: Self.start)
        #expect(report.outcome == .failure)
        #expect(report.detail == "HTTP 200")
        // Without a list, any 2xx is up, and nothing else.
        #expect(prober.probe(.http(target.url("/status/204")), at: Self.start).outcome == .success)
        #expect(prober.probe(.http(target.url("/status/429")), at: Self.start).detail == "HTTP 429")
    }

    @Test func headAsksForNoBody() throws {
        let target = try ProbeTarget()
        var check = Check.http(target.url("/ok"))
        check.method = .HEAD
        let report = Prober(clock: clock).probe(check, at: Self.start)
        #expect(report.outcome == .success)
        #expect(report.detail == "HTTP 200")
        #expect(target.requests.map(\.method) == [.head])
    }

    @Test func theBodyMustContainTheExpectedText() throws {
        let target = try ProbeTarget()
        let prober = Prober(clock: clock)
        var check = Check.http(target.url("/ok"))
        check.bodyContains = "berjalan normal"
        #expect(prober.probe(check, at: Self.start).outcome == .success)
        check.bodyContains = "gangguan"
        let report = prober.probe(check, at: Self.start)
        #expect(report.outcome == .failure)
        #expect(report.detail == "body lacks the expected text")
    }

    /// Only the first MiB of a body is read: text beyond it is not seen.
    @Test func onlyTheFirstMebibyteOfTheBodyIsRead() throws {
        let target = try ProbeTarget()
        let prober = Prober(clock: clock)
        var check = Check.http(target.url("/large"))
        check.bodyContains = ProbeTarget.largeHead
        #expect(prober.probe(check, at: Self.start).outcome == .success)
        check.bodyContains = ProbeTarget.largeTail
        #expect(prober.probe(check, at: Self.start).detail == "body lacks the expected text")
    }

    @Test func aRedirectIsTheAnswerUnlessTheCheckFollowsIt() throws {
        let target = try ProbeTarget()
        let prober = Prober(clock: clock)
        var check = Check.http(target.url("/moved"))
        let answered = prober.probe(check, at: Self.start)
        #expect(answered.outcome == .failure)
        #expect(answered.detail == "HTTP 302")
        #expect(target.requests.map(\.target) == ["/moved"])

        check.followRedirects = true
        let followed = prober.probe(check, at: Self.start)
        #expect(followed.outcome == .success)
        #expect(followed.detail == "HTTP 200")
        #expect(target.requests.map(\.target) == ["/moved", "/moved", "/ok"])
    }

    @Test func redirectsAreFollowedFiveTimesAtMost() throws {
        let target = try ProbeTarget()
        var check = Check.http(target.url("/loop"))
        check.followRedirects = true
        let report = Prober(clock: clock).probe(check, at: Self.start)
        #expect(report.outcome == .failure)
        #expect(report.detail == "Maximum (5) redirects followed")
        #expect(target.requests.count == 6)
    }

    /// A listener that never accepts: the connection is made (the kernel's backlog), the
    /// request is sent, no answer comes.
    @Test func aServiceThatNeverAnswersTimesOut() throws {
        let silent = try RawListener()
        var check = Check.http("http://127.0.0.1:\(silent.port)/ok")
        check.timeout = 1
        let report = Prober(clock: clock).probe(check, at: Self.start)
        #expect(report.outcome == .failure)
        #expect(report.detail == "timed out after 1 s")
        #expect(try #require(report.latencyMilliseconds) >= 1000)
    }

    // MARK: tcp

    @Test func aListeningPortIsUpAndAClosedOneRefused() throws {
        let listener = try RawListener()
        let prober = Prober(clock: clock)
        let open = prober.probe(.tcp("tcp://localhost:\(listener.port)"), at: Self.start)
        #expect(open.outcome == .success)
        #expect(open.detail == "connected")
        #expect(listener.waitUntilQueued(1))

        let port = listener.port
        listener.close()
        let closed = prober.probe(.tcp("tcp://127.0.0.1:\(port)"), at: Self.start)
        #expect(closed.outcome == .failure)
        #expect(closed.detail == "connection refused")
    }

    @Test func aHeartbeatIsNotProbed() throws {
        let check = Check.make(kind: .heartbeat, url: nil)
        let report = Prober(clock: clock).probe(check, at: Self.start)
        #expect(report.outcome == .inconclusive)
    }

    // MARK: control target

    @Test func aFailureWhileTheControlTargetIsDownIsInconclusive() throws {
        let closedPort = try RawListener.closedPort()
        let prober = Prober(controlTarget: "http://127.0.0.1:\(try RawListener.closedPort())/", clock: clock)
        let report = prober.probe(.tcp("tcp://127.0.0.1:\(closedPort)"), at: Self.start)
        #expect(report.outcome == .inconclusive)
        #expect(report.detail == "control target unreachable")

        let tcpControl = Prober(controlTarget: "tcp://127.0.0.1:\(try RawListener.closedPort())", clock: clock)
        #expect(tcpControl.probe(.tcp("tcp://127.0.0.1:\(closedPort)"), at: Self.start).outcome == .inconclusive)
    }

    @Test func theControlTargetIsAskedOnlyAfterAFailureAndItsAnswerKeptFiveSeconds() throws {
        let control = try ProbeTarget()
        let service = try ProbeTarget()
        let prober = Prober(controlTarget: control.url("/ok"), clock: clock)

        #expect(prober.probe(.http(service.url("/ok")), at: Self.start).outcome == .success)
        #expect(control.requests.isEmpty)

        let failing = Check.http(service.url("/status/503"))
        for _ in 0..<3 {
            let report = prober.probe(failing, at: clock.now())
            #expect(report.outcome == .failure)
            #expect(report.detail == "HTTP 503")
        }
        #expect(control.requests.map(\.method) == [.head])
        clock.advance(by: 4.9)
        _ = prober.probe(failing, at: clock.now())
        #expect(control.requests.count == 1)
        clock.advance(by: 0.1)
        _ = prober.probe(failing, at: clock.now())
        #expect(control.requests.count == 2)

        // The control's own answer need not be 2xx: any answer shows the network works.
        let picky = Prober(controlTarget: control.url("/status/404"), clock: clock)
        #expect(picky.probe(failing, at: clock.now()).outcome == .failure)
    }
}

// MARK: - Fixtures

extension Check {
    /// A check as the store would hold it, probed every 10 s with a 5 s timeout.
    static func make(id: String = "chk" + String(UUID().uuidString.prefix(8)).lowercased(), kind: Kind,
                     url: String?, interval: Int = 10) -> Check {
        var check = Check(id: id, name: "Check \(id)", componentID: "cmpnt0000001", kind: kind, url: url,
                          createdAt: ProberTests.start, updatedAt: ProberTests.start)
        check.interval = interval
        check.timeout = 5
        return check
    }

    static func http(_ url: String) -> Check { make(kind: .http, url: url) }

    static func tcp(_ url: String) -> Check { make(kind: .tcp, url: url) }
}

/// A service to probe, on 127.0.0.1, port 0: `/ok` (200 and a short text), `/status/NNN`,
/// `/moved` (302 to `/ok`), `/loop` (302 to itself) and `/large` (more than a MiB, with a
/// text at each end). It keeps every request it gets.
final class ProbeTarget: Sendable {
    static let okText = "Layanan paspor berjalan normal"
    static let largeHead = "awal-dokumen"
    static let largeTail = "akhir-dokumen"

    final class Routes: HTTPResponder {
        let requests = Mutex<[HTTPRequest]>([])

        func respond(to request: HTTPRequest) -> HTTPReply {
            requests.withLock { $0.append(request) }
            let path = request.path
            if path == "/ok" { return .response(HTTPResponse(contentType: "text/plain", body: ProbeTarget.okText)) }
            if path == "/moved" || path == "/loop" {
                return .response(HTTPResponse(status: .found, headers: [.location: path == "/moved" ? "/ok" : "/loop"]))
            }
            if path == "/large" {
                let body = ProbeTarget.largeHead + String(repeating: "a", count: Prober.bodyLimit) + ProbeTarget.largeTail
                return .response(HTTPResponse(contentType: "text/plain", body: body))
            }
            if path.hasPrefix("/status/"), let code = Int(path.dropFirst("/status/".count)) {
                return .response(HTTPResponse(status: HTTPStatus(code: code, reasonPhrase: "Scripted")))
            }
            return .response(.notFound(path))
        }
    }

    private let routes = Routes()
    private let server: LocalHTTPServer

    init() throws {
        server = try LocalHTTPServer(routes)
    }

    func url(_ path: String) -> String { server.url + path }

    var requests: [HTTPRequest] { routes.requests.withLock { $0 } }

    func stop() { server.stop() }
}

/// A test's responder served on 127.0.0.1, port 0, until `stop()` or until released.
final class LocalHTTPServer: Sendable {
    private let server: HTTPServer
    private let running = Mutex(true)

    init(_ responder: some HTTPResponder) throws {
        var configuration = Configuration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.accessLog = false
        server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(server.port)" }

    func stop() {
        guard running.withLock({ running in defer { running = false }; return running }) else { return }
        server.shutdown()
        server.wait()
    }
}

/// A TCP listener on 127.0.0.1, port 0, that never accepts on its own: connections complete
/// in the kernel's backlog and their requests go unanswered. `acceptAndHold()` takes them
/// one by one and keeps them open until the test answers each; `acceptAndClose()` closes
/// them at once.
final class RawListener: @unchecked Sendable {
    private(set) var descriptor: Int32
    let port: Int
    private let condition = NSCondition()
    private var held: [Int32] = []
    private var accepted = 0
    private var mostHeld = 0
    private var closed = false
    /// Signalled when the accepting thread has returned: the descriptor is closed only then,
    /// so the thread never accepts on a number the process has since given to another socket.
    private let acceptorDone = DispatchSemaphore(value: 0)
    private var acceptorRunning = false

    init(backlog: Int32 = 128) throws {
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listening, $0, length) == 0 && listen(listening, backlog) == 0 && getsockname(listening, $0, &length) == 0
            }
        }
        guard listening >= 0, ready else { throw ProbeTestFailure("listener: \(String(cString: strerror(errno)))") }
        descriptor = listening
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close() }

    /// A port nothing listens on: bound for a moment, then released.
    static func closedPort() throws -> Int {
        let listener = try RawListener()
        listener.close()
        return listener.port
    }

    /// Whether `count` connections wait in the backlog (the kernel completed them), by
    /// accepting them; waits at most 10 s.
    func waitUntilQueued(_ count: Int) -> Bool {
        var pending = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        for _ in 0..<count {
            guard poll(&pending, 1, 10_000) == 1 else { return false }
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else { return false }
            Glibc.close(connection)
        }
        return true
    }

    /// Accepts every connection on a thread of its own and holds it unanswered.
    func acceptAndHold() {
        acceptInBackground(hold: true)
    }

    /// Accepts every connection on a thread of its own and closes it at once.
    func acceptAndClose() {
        acceptInBackground(hold: false)
    }

    private func acceptInBackground(hold: Bool) {
        condition.withLock { acceptorRunning = true }
        Thread { [self] in
            defer { acceptorDone.signal() }
            while true {
                let connection = accept(descriptor, nil, nil)
                guard connection >= 0 else { return }
                condition.withLock {
                    accepted += 1
                    if hold { held.append(connection) } else { Glibc.close(connection) }
                    mostHeld = max(mostHeld, held.count)
                    condition.broadcast()
                }
            }
        }.start()
    }

    /// Waits (10 s at most) until `count` connections have been accepted in all.
    func waitUntilAccepted(_ count: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: 10)
        while accepted < count {
            guard condition.wait(until: deadline) else { return false }
        }
        return true
    }

    /// How many connections have been accepted, how many are held now, and the most held at once.
    var counts: (accepted: Int, held: Int, mostHeld: Int) {
        condition.withLock { (accepted, held.count, mostHeld) }
    }

    /// Reads the request on the connection held longest, answers it 200 and closes it.
    func answerOldest() throws {
        let connection = try condition.withLock {
            guard !held.isEmpty else { throw ProbeTestFailure("no connection held") }
            return held.removeFirst()
        }
        let client = TestClient(connectedDescriptor: connection)
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while TestClient.find([13, 10, 13, 10], in: request) == nil {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw ProbeTestFailure("request not read") }
            request += chunk[..<count]
        }
        try client.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        client.close()
    }

    func close() {
        let waitForAcceptor: Bool = condition.withLock {
            guard !closed else { return false }
            closed = true
            // Wakes a thread blocked in accept(2): it returns an error and the thread ends.
            shutdown(descriptor, Int32(SHUT_RDWR))
            return acceptorRunning
        }
        if waitForAcceptor { acceptorDone.wait() }
        condition.withLock {
            guard descriptor >= 0 else { return }
            Glibc.close(descriptor)
            descriptor = -1
            held.forEach { Glibc.close($0) }
            held.removeAll()
        }
    }
}

/// A fixture that could not do its part.
struct ProbeTestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
