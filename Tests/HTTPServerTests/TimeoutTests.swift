#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import HTTPServer

/// Deadlines: the pure rules with plain numbers, then a live server with short timeouts.
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

    // MARK: - A live server

    static func short(_ configuration: inout Configuration) {
        configuration.headerReadTimeout = second / 2
        configuration.bodyReadTimeout = second / 2
        configuration.keepAliveTimeout = second / 2
        configuration.writeTimeout = second / 2
        configuration.lingerTimeout = second / 2
    }

    /// `short`, except that an idle connection (a fresh one included) waits 5 s: tests of the
    /// other deadlines then do not race a loaded machine between connecting and sending.
    static func shortButPatientWhenIdle(_ configuration: inout Configuration) {
        short(&configuration)
        configuration.keepAliveTimeout = 5 * second
    }

    /// Slowloris: half a head, then a byte every 100 ms. Cut off at the header deadline, which
    /// counts from the first byte, while another client on the same loop is served.
    @Test func slowHeaderIsCutOffWhileOthersAreServed() throws {
        try TestServer.with(configure: {
            Self.shortButPatientWhenIdle(&$0)
            $0.eventLoops = 1
        }) { server in
            let slow = try TestClient(port: server.port)
            let start = monotonicSeconds()
            try slow.send("GET /hello HTTP/1.1\r\nHost: a\r\n")
            var cutOffAfter: Double?
            var servedMeanwhile = false
            for tick in 0..<50 {
                usleep(100_000)
                if slow.hasPendingInput() {
                    cutOffAfter = monotonicSeconds() - start
                    break
                }
                do {
                    try slow.send("X")
                } catch {
                    cutOffAfter = monotonicSeconds() - start
                    break
                }
                if tick == 1 {
                    let other = try TestClient(port: server.port)
                    try other.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                    servedMeanwhile = try other.readResponse().text == "hello"
                }
            }
            #expect(servedMeanwhile)
            let elapsed = try #require(cutOffAfter, "a client dribbling its head for 5 s was not cut off")
            #expect(elapsed >= 0.45, "cut off after \(elapsed) s, before the 0.5 s deadline")
            let (bytes, ending) = slow.readToEnd()
            #expect(ending != .timedOut)
            if !bytes.isEmpty {
                #expect(TestClient.text(bytes).hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            }
        }
    }

    @Test func slowBodyIsCutOff() throws {
        try TestServer.with(configure: Self.shortButPatientWhenIdle) { server in
            let client = try TestClient(port: server.port)
            let start = monotonicSeconds()
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nab")
            let (bytes, ending) = client.readToEnd()
            let elapsed = monotonicSeconds() - start
            #expect(ending != .timedOut)
            #expect(elapsed >= 0.45)
            if !bytes.isEmpty {
                #expect(TestClient.text(bytes).hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            }
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        try TestServer.with(configure: Self.short) { server in
            // A fresh connection is idle too: on a loaded machine the server may close it before
            // the request is sent. That is correct, so try again with a new connection.
            var answered: TestClient?
            for _ in 0..<5 where answered == nil {
                let client = try TestClient(port: server.port)
                try? client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                if (try? client.readResponse().text) == "hello" { answered = client }
            }
            let client = try #require(answered, "no connection was answered in five tries")
            let start = monotonicSeconds()
            #expect(client.readToEnd() == ([], .closed))
            #expect(monotonicSeconds() - start >= 0.45)
            #expect(eventually { server.openConnectionCount == 0 })
        }
    }

    @Test func connectionThatNeverSendsIsClosed() throws {
        try TestServer.with(configure: Self.short) { server in
            let client = try TestClient(port: server.port)
            #expect(client.readToEnd() == ([], .closed))
        }
    }

    @Test func keepAliveTimerRestartsWithEachRequest() throws {
        try TestServer.with(configure: {
            Self.short(&$0)
            $0.keepAliveTimeout = 2 * nanosecondsPerSecond
        }) { server in
            let client = try TestClient(port: server.port)
            // Three requests 0.8 s apart span 2.4 s, past one keep-alive timeout.
            for index in 0..<3 {
                try client.send("GET /n/\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try client.readResponse().text == "n=\(index)")
                usleep(800_000)
            }
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

            // A freed slot is usable again.
            clients[0].close()
            try #require(eventually { server.openConnectionCount == 2 })
            let next = try TestClient(port: server.port)
            try next.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try next.readResponse().text == "hello")
        }
    }

    /// A client that never reads its response is dropped after the write timeout.
    @Test func readerThatNeverReadsIsDropped() throws {
        try TestServer.with(configure: {
            Self.shortButPatientWhenIdle(&$0)
            $0.maxPendingOutputBytes = 64 << 20
        }) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /bytes/16000000 HTTP/1.1\r\nHost: a\r\n\r\n")
            try #require(eventually { server.openConnectionCount == 1 })
            #expect(eventually(timeout: 8) { server.openConnectionCount == 0 })
        }
    }

    /// The write deadline counts from the last progress in writing; bytes the client sends
    /// are not progress, or a client that never reads can hold a connection (and its queued
    /// response) forever by sending a byte now and then.
    @Test func readerThatNeverReadsButKeepsSendingIsDropped() throws {
        try TestServer.with(configure: {
            Self.shortButPatientWhenIdle(&$0)
            $0.maxPendingOutputBytes = 64 << 20
        }) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /bytes/16000000 HTTP/1.1\r\nHost: a\r\n\r\n")
            try #require(eventually { server.openConnectionCount == 1 })
            var dropped = false
            for _ in 0..<40 {
                usleep(100_000)
                if server.openConnectionCount == 0 {
                    dropped = true
                    break
                }
                // Empty lines before a request line are allowed (RFC 9112 §2.2).
                try? client.send("\r\n")
            }
            #expect(dropped, "still open after 4 s against a 0.5 s write timeout")
        }
    }

    /// After an error response the server lingers to let the client read it, but not forever.
    @Test func lingeringAfterAnErrorEnds() throws {
        try TestServer.with(configure: Self.shortButPatientWhenIdle) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\n\r\nmore bytes after the error")
            let response = try client.readResponse()
            #expect(response.status == 400)
            // The server's write side is shut at once ...
            #expect(client.readToEnd() == ([], .closed))
            // ... and the connection is gone after the linger timeout, though the client
            // keeps its side open.
            #expect(eventually { server.openConnectionCount == 0 })
        }
    }
}
