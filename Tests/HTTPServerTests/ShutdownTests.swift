#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import HTTPServer

/// Graceful shutdown: stop accepting, close idle connections, finish what is in flight.
@Suite struct ShutdownTests {
    static func router(_ gate: Gate) -> Router {
        TestRoutes.make(slowBehind: gate, body: "finished after shutdown")
    }

    @Test func inFlightRequestCompletesWhileNewConnectionsAreRefused() throws {
        let gate = Gate()
        let server = try TestServer.make(responder: Self.router(gate))
        let port = server.port

        let idle = try TestClient(port: port)
        try idle.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try idle.readResponse().text == "hello")

        let busy = try TestClient(port: port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
        try #require(gate.waitUntilReached())

        server.shutdown()
        let waiting = Background { server.wait() }

        // The idle connection is closed; no new connection is accepted.
        #expect(idle.readToEnd() == ([], .closed))
        // `shutdown()` shuts the listening socket before it returns.
        #expect(TestClient.isRefused(port: port))
        #expect(!busy.hasPendingInput())

        // The request in flight is still answered, whole, and told the connection ends.
        gate.release()
        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "finished after shutdown")
        #expect(response.header("Connection") == "close")
        #expect(busy.readToEnd() == ([], .closed))

        let finished = waiting.join(timeout: 10)
        #expect(finished != nil, "wait() did not return after the last connection closed")
        #expect(server.openConnectionCount == 0)
    }

    /// A request half-sent when shutdown starts is still read and answered, as its last.
    @Test func halfSentRequestIsStillAnswered() throws {
        let server = try TestServer.make()
        let port = server.port
        let client = try TestClient(port: port)
        try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n")
        server.checkDeadlines()
        try #require(server.openConnectionCount == 1)
        server.shutdown()
        #expect(TestClient.isRefused(port: port))
        try client.send("\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "hello")
        #expect(response.header("Connection") == "close")
        #expect(client.readToEnd() == ([], .closed))
        #expect(Background { server.wait() }.join(timeout: 10) != nil)
    }

    @Test func gracePeriodBoundsShutdown() throws {
        let gate = Gate()
        let clock = ManualMonotonicClock()
        let server = try TestServer.make(responder: Self.router(gate)) {
            $0.shutdownGracePeriod = 5 * nanosecondsPerSecond
            $0.clock = clock
        }
        let busy = try TestClient(port: server.port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
        try #require(gate.waitUntilReached())

        server.shutdown()
        let waiting = Background { server.wait() }
        // Until the grace period has passed on the server's clock, the request may still finish.
        #expect(server.openConnectionCount == 1)
        clock.advance(by: 5 * nanosecondsPerSecond)
        let finished = waiting.join(timeout: 10)
        #expect(finished != nil, "wait() did not return after the grace period")
        // The connection was cut without a response.
        #expect(busy.readToEnd() == ([], .closed))
        gate.release()
    }

    @Test func shutdownWithoutConnectionsReturnsPromptly() throws {
        let server = try TestServer.make()
        let port = server.port
        #expect(port > 0)
        server.shutdown()
        let finished = Background { server.wait() }.join(timeout: 10)
        #expect(finished != nil)
        #expect(TestClient.isRefused(port: port))
        // A second shutdown is harmless.
        server.shutdown()
        server.wait()
    }

    @Test func waitBeforeStartReturns() {
        let server = HTTPServer(configuration: Configuration(), responder: TestRoutes.make())
        #expect(server.port == 0)
        server.shutdown()
        server.wait()
    }

    /// A second server on a port another server already serves must fail to start, not
    /// quietly take half of its connections (SO_REUSEPORT balances between every socket of
    /// the same user bound there, another process's included).
    @Test
    func startFailsWhenAnotherServerHasThePort() throws {
        let first = try TestServer.make()
        defer {
            first.shutdown()
            first.wait()
        }
        var configuration = Configuration()
        configuration.port = first.port
        configuration.accessLog = false
        let second = HTTPServer(configuration: configuration, responder: TestRoutes.make())
        #expect(throws: SocketError.self) { try second.start() }
        second.shutdown()
        second.wait()
    }

    /// Port 65536 is no port; getaddrinfo takes it modulo 65536 and the server lands on a
    /// port nobody asked for (65536 + 8080 serves on 8080).
    @Test
    func startRejectsAPortOutOfRange() {
        var configuration = Configuration()
        configuration.port = 65536
        configuration.accessLog = false
        let server = HTTPServer(configuration: configuration, responder: TestRoutes.make())
        #expect(throws: (any Error).self) { try server.start() }
        #expect(server.port == 0)
        server.shutdown()
        server.wait()
    }

    @Test func startFailsWhenThePortIsTaken() throws {
        // Without SO_REUSEPORT on the other socket, binding the same port must fail.
        let blocker = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(blocker) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(blocker, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        try #require(listen(blocker, 1) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(blocker, $0, &length) }
        }
        var configuration = Configuration()
        configuration.port = Int(UInt16(bigEndian: address.sin_port))
        configuration.accessLog = false
        let server = HTTPServer(configuration: configuration, responder: TestRoutes.make())
        #expect(throws: SocketError.self) { try server.start() }
        server.wait()
    }
}
