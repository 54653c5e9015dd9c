#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import HTTPServer

/// Deadlines: the pure rules with plain numbers, then a live server on a manual clock.
@Suite struct TimeoutTests {
    static let second = nanosecondsPerSecond

    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.keepAliveTimeout = 15 * second
        configuration.headerReadTimeout = 10 * second
        configuration.bodyReadTimeout = 30 * second
        configuration.writeTimeout = 20 * second
        configuration.lingerTimeout = 2 * second
        return configuration
    }

    // MARK: - ConnectionTimeouts, a pure function

    @Test func deadlineOfEachPhase() {
        let timeouts = ConnectionTimeouts(Self.configuration())
        let since: UInt64 = 1_000
        #expect(timeouts.deadline(for: .idle, since: since) == since + 15 * Self.second)
        #expect(timeouts.deadline(for: .readingHead, since: since) == since + 10 * Self.second)
        #expect(timeouts.deadline(for: .readingBody, since: since) == since + 30 * Self.second)
        #expect(timeouts.deadline(for: .awaitingResponder, since: since) == nil)
        #expect(timeouts.deadline(for: .writing, since: since) == since + 20 * Self.second)
        #expect(timeouts.deadline(for: .lingering, since: since) == since + 2 * Self.second)
    }

    struct PhaseRule: Sendable, CustomTestStringConvertible {
        let phase: ConnectionTimeouts.Phase
        let timeout: UInt64
        let action: ConnectionTimeouts.Action

        var testDescription: String { "\(phase) → \(action) after \(timeout / TimeoutTests.second) s" }
    }

    @Test(arguments: [
        PhaseRule(phase: .idle, timeout: 15 * second, action: .close),
        PhaseRule(phase: .readingHead, timeout: 10 * second, action: .requestTimeout),
        PhaseRule(phase: .readingBody, timeout: 30 * second, action: .requestTimeout),
        PhaseRule(phase: .writing, timeout: 20 * second, action: .close),
        PhaseRule(phase: .lingering, timeout: 2 * second, action: .close),
    ])
    func actionAtTheDeadline(_ rule: PhaseRule) {
        let timeouts = ConnectionTimeouts(Self.configuration())
        let since: UInt64 = 5 * Self.second
        #expect(timeouts.action(for: rule.phase, since: since, now: since) == nil)
        #expect(timeouts.action(for: rule.phase, since: since, now: since + rule.timeout - 1) == nil)
        #expect(timeouts.action(for: rule.phase, since: since, now: since + rule.timeout) == rule.action)
        #expect(timeouts.action(for: rule.phase, since: since, now: since + rule.timeout + 60 * Self.second) == rule.action)
    }

    @Test func awaitingResponderNeverTimesOut() {
        let timeouts = ConnectionTimeouts(Self.configuration())
        #expect(timeouts.action(for: .awaitingResponder, since: 0, now: 0) == nil)
        #expect(timeouts.action(for: .awaitingResponder, since: 0, now: 3_600 * Self.second) == nil)
        #expect(timeouts.action(for: .awaitingResponder, since: 0, now: .max) == nil)
    }

    @Test func deadlineDoesNotTrapNearTheEndOfTheClock() {
        let timeouts = ConnectionTimeouts(Self.configuration())
        // Wrapping arithmetic rather than a crash, however late `since` is.
        #expect(timeouts.deadline(for: .idle, since: .max - 1) != nil)
    }

    // MARK: - A live server on a manual clock

    /// A server whose deadlines are the test's `configuration()` on a clock that moves only
    /// when the test moves it; `server.checkDeadlines()` makes it act on the new time.
    static func withServer(configure: (inout Configuration) -> Void = { _ in },
                           _ body: (HTTPServer, ManualMonotonicClock) throws -> Void) throws {
        try TestServer.withManualClock(configure: {
            let deadlines = configuration()
            $0.keepAliveTimeout = deadlines.keepAliveTimeout
            $0.headerReadTimeout = deadlines.headerReadTimeout
            $0.bodyReadTimeout = deadlines.bodyReadTimeout
            $0.writeTimeout = deadlines.writeTimeout
            $0.lingerTimeout = deadlines.lingerTimeout
            configure(&$0)
        }, body)
    }

    static let problem408 = #"{"type":"about:blank","title":"Request Timeout","status":408,"detail":"The request was not received in time."}"#

    /// Reads the one answer to a request cut off by a deadline: the exact 408 problem.
    static func expectRequestTimeout(_ client: TestClient, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let response = try client.readResponse()
        #expect(response.status == 408, sourceLocation: sourceLocation)
        #expect(response.reason == "Request Timeout", sourceLocation: sourceLocation)
        #expect(response.header("Connection") == "close", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/problem+json", sourceLocation: sourceLocation)
        #expect(response.text == problem408, sourceLocation: sourceLocation)
    }

    /// Expects the server's one connection to be open a nanosecond before `duration` passes
    /// on `clock` and closed when it has.
    static func expectClosed(after duration: UInt64, server: HTTPServer, clock: ManualMonotonicClock,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        clock.advance(by: duration - 1)
        server.checkDeadlines()
        #expect(server.openConnectionCount == 1, "closed before its deadline", sourceLocation: sourceLocation)
        clock.advance(by: 1)
        server.checkDeadlines()
        #expect(server.openConnectionCount == 0, "open after its deadline", sourceLocation: sourceLocation)
    }

    /// Slowloris: half a head, then a byte a second. The head deadline counts from the first
    /// byte, so at 10 s the client is answered 408 while still sending, and it reads the 408
    /// rather than a reset; another client on the same loop is served meanwhile.
    @Test func slowHeaderIsAnswered408WhileOthersAreServed() throws {
        try Self.withServer { server, clock in
            let slow = try TestClient(port: server.port)
            try slow.send("GET /hello HTTP/1.1\r\nHost: a\r\n")
            server.checkDeadlines()
            for second in 1...9 {
                clock.advance(by: Self.second)
                try slow.send("X")
                server.checkDeadlines()
                #expect(!slow.hasPendingInput(), "answered after \(second) s, before the 10 s deadline")
                if second == 5 {
                    let other = try TestClient(port: server.port)
                    try other.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                    #expect(try other.readResponse().text == "hello")
                }
            }
            clock.advance(by: Self.second)
            server.checkDeadlines()
            // Still sending after the deadline: these bytes are discarded, not a reset.
            try slow.send("-Drip: still going\r\n")
            try Self.expectRequestTimeout(slow)
            slow.shutdownWrite()
            #expect(slow.readToEnd() == ([], .closed))
        }
    }

    @Test func slowBodyIsAnswered408AtTheBodyDeadline() throws {
        try Self.withServer { server, clock in
            let client = try TestClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nab")
            server.checkDeadlines()
            clock.advance(by: 30 * Self.second - 1)
            try client.send("c")
            server.checkDeadlines()
            #expect(!client.hasPendingInput())
            clock.advance(by: 1)
            server.checkDeadlines()
            try client.send("defg")
            try Self.expectRequestTimeout(client)
            client.shutdownWrite()
            #expect(client.readToEnd() == ([], .closed))
            server.checkDeadlines()
            #expect(server.openConnectionCount == 0)
        }
    }

    /// After a 408 the server lingers for the linger deadline, not forever.
    @Test func lingeringAfterATimeoutEndsAtTheLingerDeadline() throws {
        try Self.withServer { server, clock in
            let client = try TestClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\n")
            server.checkDeadlines()
            clock.advance(by: 10 * Self.second)
            server.checkDeadlines()
            try Self.expectRequestTimeout(client)
            #expect(server.openConnectionCount == 1)
            Self.expectClosed(after: 2 * Self.second, server: server, clock: clock)
            #expect(client.readToEnd() == ([], .closed))
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        try Self.withServer { server, clock in
            let client = try TestClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "hello")
            Self.expectClosed(after: 15 * Self.second, server: server, clock: clock)
            #expect(client.readToEnd() == ([], .closed))
        }
    }

    @Test func connectionThatNeverSendsIsClosed() throws {
        try Self.withServer { server, clock in
            let client = try TestClient(port: server.port)
            server.checkDeadlines()
            #expect(server.openConnectionCount == 1)
            clock.advance(by: 15 * Self.second)
            server.checkDeadlines()
            #expect(client.readToEnd() == ([], .closed))
            #expect(server.openConnectionCount == 0)
        }
    }

    @Test func keepAliveTimerRestartsWithEachRequest() throws {
        try Self.withServer { server, clock in
            let client = try TestClient(port: server.port)
            // Three requests 14 s apart span 42 s, past the 15 s keep-alive timeout.
            for index in 0..<3 {
                try client.send("GET /n/\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try client.readResponse().text == "n=\(index)")
                clock.advance(by: 14 * Self.second)
                server.checkDeadlines()
            }
            try client.send("GET /n/last HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "n=last")
        }
    }

    @Test func connectionsOverTheLimitGet503() throws {
        try TestServer.with(configure: {
            $0.maxConnections = 3
            $0.eventLoops = 1
        }) { server in
            let clients = try (0..<3).map { _ in try TestClient(port: server.port) }
            for (index, client) in clients.enumerated() {
                try client.send("GET /n/\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try client.readResponse().text == "n=\(index)")
            }
            #expect(server.openConnectionCount == 3)

            let refused = try TestClient(port: server.port)
            let response = try refused.readResponse()
            #expect(response.status == 503)
            #expect(response.reason == "Service Unavailable")
            #expect(response.header("Retry-After") == "1")
            #expect(response.header("Connection") == "close")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.text.contains(#""status":503"#))
            #expect(refused.readToEnd() == ([], .closed))

            for (index, client) in clients.enumerated() {
                try client.send("GET /n/again\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try client.readResponse().text == "n=again\(index)")
            }
            #expect(server.openConnectionCount == 3)

            // A freed slot is usable again, once the loop has seen the close.
            clients[0].close()
            server.checkDeadlines()
            #expect(server.openConnectionCount == 2)
            let next = try TestClient(port: server.port)
            try next.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try next.readResponse().text == "hello")
        }
    }

    /// A client that never reads its response is dropped after the write timeout, whether it
    /// stays silent or keeps sending: the deadline counts from the last progress in writing,
    /// and bytes the client sends are not progress, or a client that never reads could hold a
    /// connection (and its queued response) forever by sending a byte now and then.
    @Test(arguments: [false, true])
    func readerThatNeverReadsIsDropped(keepsSending: Bool) throws {
        try Self.withServer(configure: { $0.maxPendingOutputBytes = 64 << 20 }) { server, clock in
            let client = try TestClient(port: server.port, receiveBufferSize: 4096)
            try client.send("GET /bytes/16000000 HTTP/1.1\r\nHost: a\r\n\r\n")
            server.checkDeadlines()
            #expect(server.openConnectionCount == 1)
            // The kernel may still take a few bytes after the first stall (real progress, which
            // restarts the deadline once), so the connection goes within two write timeouts.
            var openFor = 0
            while openFor < 40, server.openConnectionCount == 1 {
                clock.advance(by: Self.second)
                openFor += 1
                // Empty lines before a request line are allowed (RFC 9112 §2.2).
                if keepsSending { try? client.send("\r\n") }
                server.checkDeadlines()
            }
            #expect(server.openConnectionCount == 0, "still open after 40 s against a 20 s write timeout")
            #expect(openFor >= 20, "dropped after \(openFor) s, before the 20 s write timeout")
        }
    }

    /// After an error response the server lingers to let the client read it, but not forever.
    @Test func lingeringAfterAnErrorEnds() throws {
        try Self.withServer { server, clock in
            let client = try TestClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\n\r\nmore bytes after the error")
            let response = try client.readResponse()
            #expect(response.status == 400)
            // The server's write side is shut at once ...
            #expect(client.readToEnd() == ([], .closed))
            // ... and the connection is gone after the linger timeout, though the client
            // keeps its side open.
            server.checkDeadlines()
            #expect(server.openConnectionCount == 1)
            clock.advance(by: 2 * Self.second)
            server.checkDeadlines()
            #expect(server.openConnectionCount == 0)
        }
    }

    /// Past `maxLingerBytes` of discarded input the linger ends before its deadline.
    @Test func lingeringEndsAfterMaxLingerBytes() throws {
        try Self.withServer(configure: { $0.maxLingerBytes = 1_000 }) { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\n\r\n")
            #expect(try client.readResponse().status == 400)
            server.checkDeadlines()
            #expect(server.openConnectionCount == 1)
            try client.send(String(repeating: "x", count: 1_001))
            server.checkDeadlines()
            #expect(server.openConnectionCount == 0)
        }
    }
}
