import Foundation
import HTTPServer
import StatusCore
@testable import StatusWeb
import TestSupport
import Testing

/// A second `warta` process as another location: `warta probe` reads the checks over the
/// management API, probes a real service on 127.0.0.1 and posts its results; the server
/// counts them under the location's name. Killed, the location falls silent by the server's
/// clock, moved by hand, and is left out of the vote.
@Suite(.serialized)
struct RemoteProbeTests {
    struct OK: HTTPResponder {
        func respond(to request: HTTPRequest) -> HTTPReply {
            .response(HTTPResponse(status: .ok, contentType: "text/plain", body: "ok"))
        }
    }

    static func listen(_ responder: some HTTPResponder, port: Int = 0) throws -> HTTPServer {
        var configuration = Configuration()
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.eventLoops = 1
        configuration.accessLog = false
        let server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
        return server
    }

    /// Waits (real time: the prober is another process on its own clock) until `condition`
    /// holds, at most `seconds`.
    static func eventually(_ seconds: Double = 30, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    @Test func aRemoteLocationReportsAndFallsSilentWhenKilled() throws {
        let folder = try TemporaryFolder("probe")
        defer { folder.remove() }
        let store = try Store(path: folder.file("warta.db"))
        defer { store.close() }
        let clock = ManualClock(instant("2031-03-10T05:00:00.000Z"))
        let publisher = try Publisher(store: store, clock: clock)
        let server = try Self.listen(StatusRoutes(publisher: publisher, assets: try Assets()))
        defer { server.shutdown(); server.wait() }
        let actor = Actor(tokenName: "test", clientAddress: "127.0.0.1")
        let token = try store.createToken(name: "singapore-prober", by: actor, now: clock.now())

        let service = try Self.listen(OK())
        let servicePort = service.port
        let component = try publisher.write { store, now in
            try store.createComponent(ComponentDraft(name: "e-Visa"), by: actor, now: now)
        }
        var draft = CheckDraft(name: "e-Visa site", componentID: component.id, kind: .http,
                               url: "http://127.0.0.1:\(servicePort)/")
        draft.interval = 1
        draft.timeout = 1
        let check = try publisher.write { store, now in try store.createCheck(draft, by: actor, now: now).check }

        let probe = Process()
        probe.executableURL = WartaProcess.executable
        probe.arguments = ["probe", "--server", "http://127.0.0.1:\(server.port)", "--token", token,
                           "--location", "singapore"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        defer { if probe.isRunning { probe.terminate(); probe.waitUntilExit() } }

        func location() throws -> CheckVerdict.Location? {
            try store.checkStatus(id: check.id, now: clock.now()).locations.first { $0.name == "singapore" }
        }
        #expect(try Self.eventually { try location()?.state == .up })
        #expect(try store.checkStatus(id: check.id, now: clock.now()).state == .up)

        service.shutdown()
        service.wait()
        #expect(try Self.eventually { try store.checkStatus(id: check.id, now: clock.now()).state == .failing })
        let reports = try store.checkLocations(id: check.id)
        #expect(reports.map(\.location) == ["singapore"])
        #expect(reports.first?.detail?.isEmpty == false)

        // Killed: no more reports. Three intervals later by the server's clock it is silent,
        // left out, and with no other location the check is unknown, not failing.
        probe.terminate()
        probe.waitUntilExit()
        clock.advance(by: 3.5)
        try publisher.tick()
        let status = try store.checkStatus(id: check.id, now: clock.now())
        #expect(status.locations.map(\.silent) == [true])
        #expect(status.state == .unknown)
        let document = try TestClient.fetch(port: server.port, "/api/v2/checks.json")
        #expect(document.text.contains("\"silent\":true"), "\(document.text)")
    }
}
