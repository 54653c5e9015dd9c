#if canImport(Glibc)
import Glibc
#endif
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing
@testable import HTTPServer

/// The whole server on port 0, driven byte for byte by a raw socket client.
@Suite struct ConnectionTests {
    @Test func thousandRequestsOnOneKeepAliveConnection() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            for index in 0..<1000 {
                try client.send("GET /n/\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "n=\(index)")
                if response.status != 200 || response.text != "n=\(index)" { break }
            }
            #expect(server.openConnectionCount == 1)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /n/1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\ntwo"
                + "GET /n/3 HTTP/1.1\r\nHost: a\r\n\r\n")
            let responses = try (0..<3).map { _ in try client.readResponse() }
            #expect(responses.map(\.status) == [200, 200, 200])
            #expect(responses.map(\.text) == ["n=1", "two", "n=3"])
            // And the connection is still usable.
            try client.send("GET /n/4 HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "n=4")
        }
    }

    /// A GET whose Content-Length covers a second request line: one request, one response.
    @Test func requestLineInsideABodyGetsNoResponseOfItsOwn() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            let smuggled = "GET /n/smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
            try client.send("GET /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(smuggled.utf8.count)\r\n\r\n" + smuggled
                + "GET /n/after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            let (bytes, ending) = client.readToEnd()
            #expect(ending == .closed)
            #expect(TestClient.count("HTTP/1.1 ", in: bytes) == 2)
            #expect(TestClient.count("n=smuggled", in: bytes) == 0)
            let text = TestClient.text(bytes)
            #expect(text.hasSuffix("\r\n\r\nn=after"))
            #expect(text.contains("\r\n\r\n" + smuggled + "HTTP/1.1 200 OK\r\n"))
        }
    }

    /// `Connection: close` on 1.1, and 1.0 without keep-alive: answered, said, then closed.
    @Test(arguments: [
        "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET /hello HTTP/1.0\r\n\r\n",
    ])
    func closingRequestIsAnsweredThenClosed(_ request: String) throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            try client.send(request)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello")
            #expect(response.header("Connection") == "close")
            #expect(client.readToEnd() == ([], .closed))
        }
    }

    @Test func http10WithKeepAliveStaysOpen() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            for index in 1...3 {
                try client.send("GET /n/\(index) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "n=\(index)")
                #expect(response.header("Connection") == "keep-alive")
            }
        }
    }

    @Test func http11KeepAliveResponseHasNoConnectionField() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Connection") == nil)
            #expect(response.header("Content-Length") == "5")
            #expect(response.header("Content-Type") == "text/plain")
            #expect(response.header("Server") == "warta")
            #expect(response.reason == "OK")
        }
    }

    @Test func serverFieldCanBeTurnedOff() throws {
        try TestServer.with(configure: { $0.serverName = nil }) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Server") == nil)
        }
    }

    @Test func connectionCloseInAPipelineEndsIt() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /n/1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /n/2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                + "GET /n/3 HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "n=1")
            let last = try client.readResponse()
            #expect(last.text == "n=2")
            #expect(last.header("Connection") == "close")
            // The request after the close is not answered.
            #expect(client.readToEnd() == ([], .closed))
        }
    }

    /// The exact bytes of a response: status line, Date, the responder's fields in order,
    /// Content-Length, blank line, body.
    @Test func responseBytesOnTheWire() throws {
        var router = Router()
        router.get("/exact") { _, _ in
            .response(HTTPResponse(status: .created, headers: [.contentType: "text/plain", "X-Two": "a", "x-two": "b"],
                                   body: Array("made".utf8)))
        }
        router.get("/empty") { _, _ in .response(HTTPResponse(status: .noContent, headers: ["X-A": "1"])) }
        try TestServer.with(responder: router, configure: { $0.serverName = nil }) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /exact HTTP/1.1\r\nHost: a\r\n\r\nGET /empty HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            let (bytes, ending) = client.readToEnd()
            #expect(ending == .closed)
            let text = Self.withoutDates(TestClient.text(bytes))
            #expect(text == "HTTP/1.1 201 Created\r\nDate: *\r\nContent-Type: text/plain\r\nX-Two: a\r\nx-two: b\r\n"
                + "Content-Length: 4\r\n\r\nmade"
                + "HTTP/1.1 204 No Content\r\nDate: *\r\nX-A: 1\r\nConnection: close\r\n\r\n")
        }
    }

    /// A CR or LF in a field value from the application must not start a new field or
    /// response (response splitting).
    @Test func controlCharactersInResponseFieldsAreNeutralised() throws {
        var router = Router()
        router.get("/split") { _, _ in
            .response(HTTPResponse(headers: ["X-Name": "a\r\nSet-Cookie: evil=1\r\n\r\nbody\u{0}"], body: Array("ok".utf8)))
        }
        try TestServer.with(responder: router) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /split HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Set-Cookie") == nil)
            #expect(response.header("X-Name") == "a  Set-Cookie: evil=1    body")
            #expect(response.text == "ok")
            #expect(!client.hasPendingInput())
        }
    }

    @Test func preparedResponseIsSentLikeAnyOther() throws {
        let prepared = HTTPResponse(headers: [.contentType: "text/css", .cacheControl: "max-age=60"],
                                    body: Array("a{}".utf8)).prepared()
        let changed = {
            var copy = prepared
            copy.headers.set(.cacheControl, "no-store")
            return copy
        }()
        var router = Router()
        router.get("/prepared") { _, _ in .response(prepared) }
        router.get("/changed") { _, _ in .response(changed) }
        try TestServer.with(responder: router) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /prepared HTTP/1.1\r\nHost: a\r\n\r\nHEAD /prepared HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /changed HTTP/1.1\r\nHost: a\r\n\r\n")
            let get = try client.readResponse()
            #expect(get.header("Content-Type") == "text/css")
            #expect(get.header("Cache-Control") == "max-age=60")
            #expect(get.text == "a{}")
            let head = try client.readResponse(bodyless: true)
            #expect(head.header("Content-Length") == "3")
            let other = try client.readResponse()
            #expect(other.header("Cache-Control") == "no-store")
            #expect(other.count("Cache-Control") == 1)
            #expect(other.text == "a{}")
        }
    }

    @Test func tooManyHeaderFieldsOverTheWireIs431() throws {
        try TestServer.with(configure: { $0.maxHeaderCount = 4 }) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 431)
            #expect(response.reason == "Request Header Fields Too Large")
            #expect(response.header("Connection") == "close")
            #expect(response.text.contains("More than 4 header fields."))
        }
    }

    @Test func expectContinueIsAnsweredBeforeTheBodyIsSent() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            #expect(interim.reason == "Continue")
            #expect(interim.body.isEmpty)
            try client.send("payload")
            let final = try client.readResponse()
            #expect(final.status == 200)
            #expect(final.text == "payload")
        }
    }

    @Test func oversizedContentLengthIsRefusedWithoutReadingTheBody() throws {
        try TestServer.with(configure: { $0.maxBodyBytes = 1000 }) { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.reason == "Content Too Large")
            #expect(response.header("Connection") == "close")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.text.contains(#""status":413"#))
            #expect(response.text.contains("1000000"))
            // No 100 Continue came first, and the server closes (its write side).
            #expect(client.readToEnd() == ([], .closed))
        }
    }

    @Test func oversizedContentLengthWithoutExpectIsRefusedToo() throws {
        try TestServer.with(configure: { $0.maxBodyBytes = 1000 }) { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
        }
    }

    @Test func headHasTheContentLengthOfGetAndNoBody() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            try client.send("HEAD /bytes/1234 HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try client.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "1234")
            #expect(head.header("Content-Type") == "application/octet-stream")
            // Were the 1234 bytes sent anyway, this would read them as a status line.
            let next = try client.readResponse()
            #expect(next.status == 200)
            #expect(next.text == "hello")
            #expect(!client.hasPendingInput())
        }
    }

    @Test func wrongMethodIs405WithAllow() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            try client.send("DELETE /echo HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD, OPTIONS, POST")
            #expect(response.header("Content-Type") == "application/problem+json")
            // The connection stays usable after a 405.
            try client.send("OPTIONS /echo HTTP/1.1\r\nHost: a\r\n\r\n")
            let options = try client.readResponse()
            #expect(options.status == 204)
            #expect(options.header("Allow") == "GET, HEAD, OPTIONS, POST")
            #expect(options.header("Content-Length") == nil)
        }
    }

    @Test func everyResponseHasADate() throws {
        try TestServer.with(configure: { $0.maxBodyBytes = 10 }) { server in
            let requests = [
                "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n",
                "PUT /hello HTTP/1.1\r\nHost: a\r\n\r\n",
                "OPTIONS /hello HTTP/1.1\r\nHost: a\r\n\r\n",
                "HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n",
                "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n",
                "GET /hello HTTP/1.1\r\n\r\n",
            ]
            let now = Int(Date().timeIntervalSince1970)
            var statuses: [Int] = []
            for request in requests {
                let client = try TestClient(port: server.port)
                try client.send(request)
                let response = try client.readResponse(bodyless: request.hasPrefix("HEAD"))
                statuses.append(response.status)
                #expect(response.count("Date") == 1)
                let date = try #require(response.header("Date").flatMap(HTTPDate.parse))
                #expect(abs(date - now) < 120)
            }
            #expect(statuses == [200, 404, 405, 204, 200, 413, 400])
        }
    }

    @Test func malformedRequestGets400ProblemAndTheConnectionIsClosed() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.reason == "Bad Request")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.header("Connection") == "close")
            #expect(response.text == #"{"type":"about:blank","title":"Bad Request","status":400,"#
                + #""detail":"The request has more than one Content-Length field."}"#)
            // Nothing after the bad request is answered; the server closes.
            #expect(client.readToEnd() == ([], .closed))
        }
    }

    @Test func problemsOverTheWireHaveTheirStatus() throws {
        try TestServer.with { server in
            let cases: [(String, Int, String)] = [
                ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "HTTP Version Not Supported"),
                ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "Not Implemented"),
                ("GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n", 400, "Bad Request"),
                ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, "URI Too Long"),
                ("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 200-ok\r\n\r\n", 417, "Expectation Failed"),
            ]
            for (request, status, reason) in cases {
                let client = try TestClient(port: server.port)
                try client.send(request)
                let response = try client.readResponse()
                #expect(response.status == status)
                #expect(response.reason == reason)
                #expect(response.header("Connection") == "close")
                #expect(response.text.contains(#""status":\#(status)"#))
            }
        }
    }

    @Test func clientHalfCloseStillGetsTheResponse() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /n/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: a\r\n\r\n")
            client.shutdownWrite()
            #expect(try client.readResponse().text == "n=1")
            #expect(try client.readResponse().text == "n=2")
            #expect(client.readToEnd() == ([], .closed))
            server.checkDeadlines()
            #expect(server.openConnectionCount == 0)
        }
    }

    /// A `.blocking` handler runs off the event loop: while it is held, another connection on
    /// the same (single) loop is answered.
    @Test func blockingResponderDoesNotHoldTheLoop() throws {
        let gate = Gate()
        let router = TestRoutes.make(slowBehind: gate)
        try TestServer.with(responder: router, configure: { $0.eventLoops = 1 }) { server in
            let slow = try TestClient(port: server.port)
            try slow.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            try #require(gate.waitUntilReached())

            let fast = try TestClient(port: server.port)
            try fast.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let fastResponse = try fast.readResponse()
            #expect(fastResponse.text == "hello")
            #expect(!slow.hasPendingInput(), "the slow response must still be held")

            gate.release()
            let slowResponse = try slow.readResponse()
            #expect(slowResponse.status == 200)
            #expect(slowResponse.text == "slow")
            #expect(slowResponse.header("Date") != nil)
        }
    }

    @Test func pipelinedRequestsBehindABlockingOneStayInOrder() throws {
        let gate = Gate()
        let router = TestRoutes.make(slowBehind: gate)
        try TestServer.with(responder: router) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /n/1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nthree"
                + "HEAD /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /n/5 HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "n=1")
            try #require(gate.waitUntilReached())
            #expect(!client.hasPendingInput(), "nothing may overtake the held response")
            gate.release()
            #expect(try client.readResponse().text == "slow")
            #expect(try client.readResponse().text == "three")
            try #require(gate.waitUntilReached())
            gate.release()
            let head = try client.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "4")
            #expect(try client.readResponse().text == "n=5")
        }
    }

    @Test func badRequestBehindABlockingOneIsAnsweredInOrder() throws {
        let gate = Gate()
        let router = TestRoutes.make(slowBehind: gate)
        try TestServer.with(responder: router) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /bad HTTP/1.1\r\n\r\n")
            try #require(gate.waitUntilReached())
            #expect(!client.hasPendingInput())
            gate.release()
            let slow = try client.readResponse()
            #expect(slow.text == "slow")
            #expect(slow.header("Connection") == nil)
            let bad = try client.readResponse()
            #expect(bad.status == 400)
            #expect(bad.header("Connection") == "close")
            #expect(client.readToEnd() == ([], .closed))
        }
    }

    @Test func clientVanishingMidResponseDoesNotHurtTheServer() throws {
        try TestServer.with(configure: { $0.eventLoops = 1 }) { server in
            for _ in 0..<3 {
                let client = try TestClient(port: server.port, receiveBufferSize: 4096)
                try client.send("GET /bytes/8000000 HTTP/1.1\r\nHost: a\r\n\r\n")
                var first = [UInt8](repeating: 0, count: 100)
                #expect(recv(client.fd, &first, first.count, 0) > 0)
                client.abort()
            }
            let quitter = try TestClient(port: server.port, receiveBufferSize: 4096)
            try quitter.send("GET /bytes/8000000 HTTP/1.1\r\nHost: a\r\n\r\n")
            quitter.close()

            let later = try TestClient(port: server.port)
            try later.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try later.readResponse().text == "hello")
            later.close()
            // The loops take in every reset and end of input before they answer.
            server.checkDeadlines()
            #expect(server.openConnectionCount == 0)
        }
    }

    @Test func connectionsAreSharedEvenlyAmongTheLoops() throws {
        try TestServer.with(configure: { $0.eventLoops = 3 }) { server in
            // Opened in one burst, so one loop's wake-up finds most of them waiting.
            let clients = try (0..<61).map { _ in try TestClient(port: server.port) }
            for client in clients {
                try client.send("GET /remote HTTP/1.1\r\nHost: a\r\n\r\n")
                // A connection served by another loop than the one that accepted it keeps its
                // client's address.
                #expect(try client.readResponse().text.hasPrefix("127.0.0.1"))
            }
            var perLoop = server.connectionsPerLoop
            #expect(perLoop.reduce(0, +) == 61)
            #expect(perLoop.max()! - perLoop.min()! <= 1, "connections per loop: \(perLoop)")

            // Closed ones leave the loops that served them; new ones fill the gaps.
            for client in clients.prefix(30) { client.close() }
            server.checkDeadlines()
            #expect(server.openConnectionCount == 31)
            let more = try (0..<30).map { _ in try TestClient(port: server.port) }
            for client in more {
                try client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try client.readResponse().text == "hello")
            }
            perLoop = server.connectionsPerLoop
            #expect(perLoop.reduce(0, +) == 61)
            #expect(perLoop.max()! - perLoop.min()! <= 1, "connections per loop: \(perLoop)")
        }
    }

    @Test func aLoopTakesHandedOffConnectionsUntilItStops() throws {
        var configuration = Configuration()
        configuration.port = 0
        configuration.accessLog = false
        let context = ServerContext(configuration: configuration, responder: TestRoutes.make(), openFileLimit: 1024)
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 16)
        defer { close(listener.fd) }
        let loop = try EventLoop(context: context, listenerFD: listener.fd)
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            loop.run()
            stopped.signal()
        }

        // Running, it serves the connection with the address the accepting loop read.
        let (served, client) = try TestClient.socketPair()
        _ = fcntl(served, F_SETFL, fcntl(served, F_GETFL) | O_NONBLOCK)   // as accepted sockets are
        context.openConnections.add(1, ordering: .relaxed)
        #expect(loop.handOff(fd: served, remoteAddress: "192.0.2.7"))
        try client.send("GET /remote HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try client.readResponse().text == "192.0.2.7")
        #expect(loop.load.load(ordering: .relaxed) == 1)

        // Stopped, it refuses: the accepting loop keeps the connection instead of leaving it
        // in a mailbox nobody reads.
        loop.post(.shutdown(deadline: 0))
        try #require(stopped.wait(timeout: .now() + 10) == .success)
        #expect(client.readToEnd().ending == .closed)
        let (late, lateClient) = try TestClient.socketPair()
        #expect(!loop.handOff(fd: late, remoteAddress: ""))
        #expect(loop.load.load(ordering: .relaxed) == 0)
        #expect(context.openConnections.load(ordering: .relaxed) == 0)
        close(late)
        lateClient.close()
    }

    @Test func largeResponseArrivesWhole() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port, receiveBufferSize: 8192)
            try client.send("GET /bytes/3000000 HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.body.count == 3_000_000)
            #expect(response.body == TestRoutes.pattern(3_000_000))
            try client.send("GET /n/after HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "n=after")
        }
    }

    /// Back-pressure stops the server from answering more than `maxPendingOutputBytes` ahead
    /// of a slow reader; once that output is written, requests already read and buffered must
    /// be answered without waiting for more input. With the default limit (1 MiB), a request
    /// pipelined behind any larger response is never answered.
    @Test
    func requestPipelinedBehindALargeResponseIsAnswered() throws {
        try TestServer.with { server in
            let client = try TestClient(port: server.port, receiveTimeout: 3)
            try client.send("GET /bytes/2000000 HTTP/1.1\r\nHost: a\r\n\r\nGET /n/after HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().body.count == 2_000_000)
            #expect(try client.readResponse().text == "n=after")
        }
    }

    /// The same stall with many small responses and a small limit.
    @Test
    func pipelinedRequestsBeyondThePendingOutputLimitAreAllAnswered() throws {
        try TestServer.with(configure: { $0.maxPendingOutputBytes = 1000 }) { server in
            let client = try TestClient(port: server.port, receiveTimeout: 3)
            try client.send((1...6).map { "GET /bytes/\(600 + $0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined())
            for index in 1...6 {
                #expect(try client.readResponse().body.count == 600 + index)
            }
        }
    }

    @Test func urlSessionGetAndPost() async throws {
        let server = try TestServer.make()
        defer {
            server.shutdown()
            server.wait()
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        let session = URLSession(configuration: configuration)
        defer { session.invalidateAndCancel() }

        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/n/url%20session?x=1"))
        let (data, response) = try await session.data(from: url)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "Content-Type") == "text/plain")
        #expect(String(decoding: data, as: UTF8.self) == "n=url session")

        var post = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(server.port)/echo")))
        post.httpMethod = "POST"
        post.httpBody = Data("posted body".utf8)
        let (echoed, postResponse) = try await session.data(for: post)
        #expect((postResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: echoed, as: UTF8.self) == "posted body")

        let (_, missing) = try await session.data(from: try #require(URL(string: "http://127.0.0.1:\(server.port)/missing")))
        #expect((missing as? HTTPURLResponse)?.statusCode == 404)
        #expect((missing as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") == "application/problem+json")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "needs curl"))
    func curlWithExpectContinueAndConnectionReuse() throws {
        try TestServer.with { server in
            let base = "http://127.0.0.1:\(server.port)"
            let post = try Self.curl(["-sS", "-i", "--http1.1", "-H", "Expect: 100-continue",
                                      "--data-binary", "from curl", "\(base)/echo"])
            #expect(post.status == 0)
            let postLines = post.output.components(separatedBy: "\r\n")
            #expect(postLines.first == "HTTP/1.1 100 Continue")
            #expect(postLines.contains("HTTP/1.1 200 OK"))
            #expect(post.output.hasSuffix("\r\n\r\nfrom curl"))

            // Two URLs in one invocation reuse the connection (curl says so with -v).
            let reuse = try Self.curl(["-sS", "-v", "--http1.1", "\(base)/n/1", "\(base)/n/2"])
            #expect(reuse.status == 0)
            #expect(reuse.output == "n=1n=2")
            #expect(reuse.errors.contains("Re-using existing") || reuse.errors.contains("Reusing existing"))
        }
    }

    /// The text with every Date value replaced by `*`.
    static func withoutDates(_ text: String) -> String {
        text.components(separatedBy: "\r\n").map { line in
            line.hasPrefix("Date: ") ? "Date: *" : line
        }.joined(separator: "\r\n")
    }

    static func curl(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["--max-time", "10"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self),
                String(decoding: errorData, as: UTF8.self))
    }
}
