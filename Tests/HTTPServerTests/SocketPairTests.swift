#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing
@testable import HTTPServer

/// A connection served over one end of a `socketpair()`, the test holding the other: no
/// listener, no port, the same event loop and state machine as a TCP client gets.
@Suite struct SocketPairTests {
    static func withConnection(responder: any HTTPResponder = TestRoutes.make(),
                               configure: (inout Configuration) -> Void = { _ in },
                               _ body: (HTTPServer, TestClient, ManualMonotonicClock) throws -> Void) throws {
        try TestServer.withManualClock(responder: responder, configure: configure) { server, clock in
            let (serverEnd, client) = try TestClient.socketPair()
            server.serve(connectedSocket: serverEnd)
            try body(server, client, clock)
        }
    }

    @Test func keepAliveRequestsAreAnsweredInOrder() throws {
        try Self.withConnection { _, client, _ in
            try client.send("GET /n/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "n=1")
            #expect(try client.readResponse().text == "n=2")
            try client.send("GET /n/3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            let last = try client.readResponse()
            #expect(last.text == "n=3")
            #expect(last.header("Connection") == "close")
            #expect(client.readToEnd() == ([], .closed))
        }
    }

    /// A parse error half-closes: the client reads the whole 400 while it is still sending,
    /// then the end of the stream, never a reset.
    @Test func parseErrorIsReadInFullWhileTheClientKeepsSending() throws {
        try Self.withConnection { server, client, _ in
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
            try client.send(String(repeating: "more input the server will never parse\r\n", count: 100))
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Connection") == "close")
            #expect(client.readToEnd() == ([], .closed))
            server.checkDeadlines()
            #expect(server.openConnectionCount == 1, "the server lingers until the client closes")
            client.shutdownWrite()
            server.checkDeadlines()
            #expect(server.openConnectionCount == 0)
        }
    }

    @Test func slowHeadIsAnswered408() throws {
        try Self.withConnection { server, client, clock in
            try client.send("GET /hello HTTP/1.1\r\nHo")
            server.checkDeadlines()
            clock.advance(by: server.configuration.headerReadTimeout)
            server.checkDeadlines()
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.text == TimeoutTests.problem408)
        }
    }

    /// Over `maxQueuedBlockingRequests`, a blocking request is answered 503 with Retry-After
    /// at once instead of waiting in an unbounded queue; the connection stays usable.
    @Test func blockingRequestsBeyondTheQueueLimitGet503() throws {
        let gate = Gate()
        try Self.withConnection(responder: TestRoutes.make(slowBehind: gate), configure: { $0.maxQueuedBlockingRequests = 1 }) { server, held, _ in
            try held.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            try #require(gate.waitUntilReached())

            let (serverEnd, refused) = try TestClient.socketPair()
            server.serve(connectedSocket: serverEnd)
            try refused.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            let busy = try refused.readResponse()
            #expect(busy.status == 503)
            #expect(busy.header("Retry-After") == "1")
            #expect(busy.header("Content-Type") == "application/problem+json")
            #expect(busy.text.contains("The server is busy with other requests; try again shortly."))
            try refused.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try refused.readResponse().text == "hello")

            gate.release()
            #expect(try held.readResponse().text == "slow")
            // The slot is free again.
            try refused.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            try #require(gate.waitUntilReached())
            gate.release()
            #expect(try refused.readResponse().text == "slow")
        }
    }

    /// The chunk-size line limit is the configuration's.
    @Test func chunkSizeLineOverTheConfiguredLimitIs400() throws {
        try Self.withConnection(configure: { $0.maxChunkSizeLineBytes = 16 }) { _, client, _ in
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=valuevalue\r\nhello\r\n0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.text.contains("chunk size line"))
        }
        try Self.withConnection(configure: { $0.maxChunkSizeLineBytes = 64 }) { _, client, _ in
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=valuevalue\r\nhello\r\n0\r\n\r\n")
            #expect(try client.readResponse().text == "hello")
        }
    }
}
