import Dispatch
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built binary under attack: smuggling, oversized and malformed requests, slow drips,
/// floods and traversal, each sent over real sockets to `warta serve`. Every test checks the
/// exact answer to the attacker and that a separate, fresh client is still served.
///
/// The parser's verdicts are unit-tested from literals in `HTTPServerTests/ParserTests`; here
/// the question is whether the shipped server, with its shipped limits, answers them the same
/// way over a socket, closes the connection, and keeps serving everyone else.
///
/// The limits are `Configuration`'s defaults: request line 8 KiB, header section 16 KiB,
/// 100 fields, body 1 MiB. The slow-drip tests shorten the header and body deadlines with
/// `--header-timeout` and `--body-timeout`, so they take half a second rather than 10 and 30.
@Suite struct HostileRequestTests {
    // MARK: - Request smuggling

    /// A request that a front end honouring the other reading of the framing would forward
    /// as a second request: it must never be answered on its own.
    static let hiddenRequest = "GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n"
    /// An empty chunked body followed by the hidden request: all body under Content-Length,
    /// a complete body and then a second request under chunked framing.
    static let smuggledBody = "0\r\n\r\n" + hiddenRequest
    static let smuggledLength = smuggledBody.utf8.count

    struct Attack: Sendable, CustomTestStringConvertible {
        let name: String
        let request: [UInt8]
        let status: Int
        /// A phrase the problem's detail must contain, so the client learns what was wrong.
        let detail: String

        init(_ name: String, _ request: String, status: Int = 400, detail: String) {
            self.init(name, Array(request.utf8), status: status, detail: detail)
        }

        init(_ name: String, _ request: [UInt8], status: Int = 400, detail: String) {
            self.name = name
            self.request = request
            self.status = status
            self.detail = detail
        }

        var testDescription: String { "\(name) → \(status)" }
    }

    /// A POST head with `fields` (Host first), followed by the smuggled body.
    static func smuggling(_ fields: [String], line: String = "POST / HTTP/1.1") -> String {
        head(line, ["Host: x"] + fields) + smuggledBody
    }

    /// RFC 9112 §2.2, §5, §6.1, §6.3 and §7.1: every framing a front end could read differently
    /// is a 400 (501 for a transfer coding the server does not implement, RFC 9112 §6.1).
    static let smugglingAttacks: [Attack] = [
        Attack("Content-Length and Transfer-Encoding",
               smuggling(["Content-Length: \(smuggledLength)", "Transfer-Encoding: chunked"]),
               detail: "both Content-Length and Transfer-Encoding"),
        Attack("Transfer-Encoding and Content-Length",
               smuggling(["Transfer-Encoding: chunked", "Content-Length: \(smuggledLength)"]),
               detail: "both Content-Length and Transfer-Encoding"),
        Attack("two differing Content-Length fields",
               smuggling(["Content-Length: \(smuggledLength)", "Content-Length: 5"]),
               detail: "more than one Content-Length field"),
        Attack("two equal Content-Length fields",
               smuggling(["Content-Length: \(smuggledLength)", "Content-Length: \(smuggledLength)"]),
               detail: "more than one Content-Length field"),
        Attack("Content-Length list",
               smuggling(["Content-Length: \(smuggledLength), 5"]),
               detail: "Content-Length is not a non-negative decimal number"),
        Attack("Content-Length with a plus sign",
               smuggling(["Content-Length: +\(smuggledLength)"]),
               detail: "Content-Length is not a non-negative decimal number"),
        Attack("Content-Length in hexadecimal",
               smuggling(["Content-Length: 0x\(String(smuggledLength, radix: 16))"]),
               detail: "Content-Length is not a non-negative decimal number"),
        Attack("Transfer-Encoding: chunked, identity",
               smuggling(["Transfer-Encoding: chunked, identity"]),
               status: 501, detail: #"The transfer coding "identity" is not supported."#),
        Attack("Transfer-Encoding: xchunked",
               smuggling(["Transfer-Encoding: xchunked"]),
               status: 501, detail: #"The transfer coding "xchunked" is not supported."#),
        Attack("Transfer-Encoding: quoted chunked",
               smuggling([#"Transfer-Encoding: "chunked""#]),
               status: 501, detail: "is not supported"),
        Attack("Transfer-Encoding: chunked twice in one field",
               smuggling(["Transfer-Encoding: chunked, chunked"]),
               detail: "chunked is applied more than once"),
        Attack("Transfer-Encoding: chunked in two fields",
               smuggling(["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"]),
               detail: "chunked is applied more than once"),
        Attack("vertical tab after chunked",
               smuggling(["Transfer-Encoding: chunked\u{0B}"]),
               detail: "control character"),
        Attack("form feed before chunked",
               smuggling(["Transfer-Encoding:\u{0C}chunked"]),
               detail: "control character"),
        Attack("NUL after chunked",
               smuggling(["Transfer-Encoding: chunked\u{0}"]),
               detail: "contains NUL"),
        Attack("space before the colon of Transfer-Encoding",
               smuggling(["Transfer-Encoding : chunked"]),
               detail: "White space between a header field name and its colon"),
        Attack("tab before the colon of Content-Length",
               smuggling(["Content-Length\t: \(smuggledLength)"]),
               detail: "White space between a header field name and its colon"),
        Attack("Transfer-Encoding folded onto the previous field",
               smuggling(["Content-Length: \(smuggledLength)", "X-Padding: a", " Transfer-Encoding: chunked"]),
               detail: "Obsolete line folding"),
        Attack("chunked as a folded continuation of Transfer-Encoding",
               smuggling(["Transfer-Encoding: identity", "\tchunked"]),
               detail: "Obsolete line folding"),
        Attack("Transfer-Encoding in HTTP/1.0",
               smuggling(["Transfer-Encoding: chunked"], line: "POST / HTTP/1.0"),
               detail: "Transfer-Encoding is not allowed in an HTTP/1.0 request"),
        Attack("chunk size overflowing 64 bits",
               head("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"])
                   + "ffffffffffffffffff\r\n" + hiddenRequest,
               detail: "A chunk size is too large"),
        Attack("chunk size with a sign",
               head("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"]) + "-0\r\n\r\n" + hiddenRequest,
               detail: "A chunk size is not a hexadecimal number"),
        Attack("bare LF line endings",
               "POST / HTTP/1.1\nHost: x\nContent-Length: \(smuggledLength)\n\n" + smuggledBody,
               detail: "bare LF"),
        Attack("bare LF ending the head",
               "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(smuggledLength)\r\n\n" + smuggledBody,
               detail: "bare LF"),
        Attack("bare LF after a chunk size",
               head("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"]) + "0\n\r\n" + hiddenRequest,
               detail: "bare LF"),
    ]

    /// Each ambiguous framing gets its status and a problem naming it, the connection is
    /// closed, and the request hidden in its body is never answered.
    @Test(.sharedServer, arguments: smugglingAttacks)
    func smugglingIsRefusedAndTheConnectionClosed(_ attack: Attack) throws {
        let warta = try #require(SharedServer.current)
        let exchange = try Exchange(attack.request, port: warta.port)
        expectRefusal(exchange, status: attack.status, detail: attack.detail)
        #expect(!exchange.text.contains("User-agent"), "the hidden request was answered")
        try expectOthersAreServed(port: warta.port)
    }

    /// The control: optional white space around `chunked` is OWS (RFC 9110 §5.5), not an
    /// ambiguity. The body ends at the zero chunk and what follows is the next request, as
    /// every conforming reader agrees.
    @Test func optionalWhiteSpaceAroundChunkedIsStillChunked() throws {
        let warta = try Self.start()
        defer { warta.stop() }
        let request = Self.head("POST /robots.txt HTTP/1.1", ["Host: x", "Transfer-Encoding: \tchunked \t"])
            + "5\r\nhello\r\n0\r\n\r\n" + Self.head("GET /robots.txt HTTP/1.1", ["Host: x", "Connection: close"])
        let exchange = try Exchange(Array(request.utf8), port: warta.port)
        #expect(exchange.responses.map(\.status) == [405, 200])
        #expect(exchange.responses.last?.text == "User-agent: *\nAllow: /\n")
        #expect(exchange.closed)
        try expectOthersAreServed(port: warta.port)
    }

    // MARK: - Oversized parts

    static let oversizedAttacks: [Attack] = [
        Attack("request line over 8 KiB",
               "GET /" + String(repeating: "a", count: 8 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n",
               status: 414, detail: "The request line is longer than 8192 bytes."),
        Attack("request line that never ends",
               "GET /" + String(repeating: "a", count: 32 * 1024),
               status: 414, detail: "The request line is longer than 8192 bytes."),
        Attack("one header field over 16 KiB",
               head("GET / HTTP/1.1", ["Host: x", "X-Big: " + String(repeating: "b", count: 16 * 1024)]),
               status: 431, detail: "The header section is larger than 16384 bytes."),
        Attack("header fields adding up to over 16 KiB",
               head("GET / HTTP/1.1", ["Host: x"] + (0..<40).map { "X-Part-\($0): " + String(repeating: "p", count: 450) }),
               status: 431, detail: "The header section is larger than 16384 bytes."),
        Attack("101 header fields",
               head("GET / HTTP/1.1", ["Host: x"] + (0..<100).map { "X-Field-\($0): 1" }),
               status: 431, detail: "More than 100 header fields."),
        Attack("Content-Length over 1 MiB, no body sent",
               head("POST / HTTP/1.1", ["Host: x", "Content-Length: 1048577"]),
               status: 413, detail: "The request body (1048577 bytes) is larger than 1048576 bytes."),
        Attack("one chunk over 1 MiB",
               head("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"]) + "100001\r\n",
               status: 413, detail: "The request body is larger than 1048576 bytes."),
        // Sixteen chunks of 64 KiB fill the limit exactly; the seventeenth goes over, after a
        // megabyte has really crossed the socket.
        Attack("chunks adding up to over 1 MiB",
               head("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"])
                   + String(repeating: "10000\r\n" + String(repeating: "c", count: 65536) + "\r\n", count: 17),
               status: 413, detail: "The request body is larger than 1048576 bytes."),
    ]

    /// Each limit answers with the status RFC 9110 gives it (§15.5.15, §15.5.14, RFC 6585 §5)
    /// and a detail naming the limit, then closes.
    @Test(.sharedServer, arguments: oversizedAttacks)
    func oversizedPartsAreRefusedWithTheirStatus(_ attack: Attack) throws {
        let warta = try #require(SharedServer.current)
        expectRefusal(try Exchange(attack.request, port: warta.port), status: attack.status, detail: attack.detail)
        try expectOthersAreServed(port: warta.port)
    }

    /// The control for the limits above: exactly 100 fields, and a request line of exactly
    /// 8 KiB, are served, so the refusals are the limits and not something else.
    @Test func requestsExactlyAtTheLimitsAreServed() throws {
        let warta = try Self.start()
        defer { warta.stop() }
        let hundredFields = Self.head("GET /robots.txt HTTP/1.1", ["Host: x", "Connection: close"] + (0..<98).map { "X-Field-\($0): 1" })
        let fields = try Exchange(Array(hundredFields.utf8), port: warta.port)
        #expect(fields.responses.map(\.status) == [200])
        #expect(fields.responses.first?.text == "User-agent: *\nAllow: /\n")

        // "GET " + target + " HTTP/1.1" is 13 bytes besides the target.
        let longTarget = "/robots.txt?" + String(repeating: "q", count: 8 * 1024 - 13 - 12)
        let longLine = Self.head("GET \(longTarget) HTTP/1.1", ["Host: x", "Connection: close"])
        #expect(Array(longLine.utf8).firstIndex(of: UInt8(ascii: "\r")) == 8 * 1024)
        let line = try Exchange(Array(longLine.utf8), port: warta.port)
        #expect(line.responses.map(\.status) == [200])
        try expectOthersAreServed(port: warta.port)
    }

    /// The header and body limits follow `--max-header-bytes` and `--max-body-bytes`.
    @Test func limitsSetByFlagsAreEnforced() throws {
        let warta = try Self.start(["--max-header-bytes", "1024", "--max-body-bytes", "10"])
        defer { warta.stop() }
        let bigHead = Self.head("GET /robots.txt HTTP/1.1", ["Host: x", "X-Pad: " + String(repeating: "p", count: 1024)])
        expectRefusal(try Exchange(Array(bigHead.utf8), port: warta.port), status: 431,
                      detail: "The header section is larger than 1024 bytes.")
        let bigBody = Self.head("POST /robots.txt HTTP/1.1", ["Host: x", "Content-Length: 11"]) + "12345678901"
        expectRefusal(try Exchange(Array(bigBody.utf8), port: warta.port), status: 413,
                      detail: "The request body (11 bytes) is larger than 10 bytes.")
        let fits = Self.head("GET /robots.txt HTTP/1.1", ["Host: x", "Connection: close", "X-Pad: " + String(repeating: "p", count: 900)])
        #expect(try Exchange(Array(fits.utf8), port: warta.port).responses.map(\.status) == [200])
    }

    // MARK: - Slow drip

    /// The deadlines the slow-drip tests give the server, in seconds.
    static let dripDeadline = 0.5

    static func startWithShortDeadlines() throws -> WartaProcess {
        try start(["--header-timeout", "\(dripDeadline)", "--body-timeout", "\(dripDeadline)"])
    }

    /// Slowloris: a head dripped a byte at a time, never finished. The header deadline counts
    /// from the first byte, so the steady drip is answered 408 while fresh clients are served
    /// throughout; the client, still sending, reads the whole 408 and then the end of the
    /// stream.
    @Test func headersDrippedByteByByteAreAnswered408AtTheHeaderDeadline() throws {
        let warta = try Self.startWithShortDeadlines()
        defer { warta.stop() }
        let slow = try TestClient(port: warta.port, receiveTimeout: 10)
        // 200 bytes at up to 20 a second: 10 s if never cut off, twenty times the deadline.
        let head = "GET /robots.txt HTTP/1.1\r\nHost: x\r\nX-Drip: " + String(repeating: "d", count: 160)
        let cutOff = try drip(Array(head.utf8), on: slow, whileServing: warta)
        #expect(cutOff, "a head dripped for 10 s was never cut off")
        expectTimedOut(slow)
        try expectOthersAreServed(port: warta.port)
    }

    /// The same for a body: the head arrives whole, then the body a byte at a time; the body
    /// deadline (from the end of the head) cuts it off with a 408.
    @Test func bodyDrippedByteByByteIsAnswered408AtTheBodyDeadline() throws {
        let warta = try Self.startWithShortDeadlines()
        defer { warta.stop() }
        let slow = try TestClient(port: warta.port, receiveTimeout: 10)
        try slow.send(Self.head("POST /robots.txt HTTP/1.1", ["Host: x", "Content-Length: 1000"]))
        let cutOff = try drip([UInt8](repeating: UInt8(ascii: "b"), count: 200), on: slow, whileServing: warta)
        #expect(cutOff, "a body dripped for 10 s was never cut off")
        expectTimedOut(slow)
        try expectOthersAreServed(port: warta.port)
    }

    /// Sends `bytes` one at a time, after each waiting up to 50 ms for the server to answer
    /// (that wait is the drip's pace; the server's timing is not measured here). Every fifth
    /// byte a fresh client must be served meanwhile. Once the server answers, a few more bytes
    /// are sent, as a client that has not looked yet would. Returns whether the server
    /// answered before the bytes ran out.
    private func drip(_ bytes: [UInt8], on connection: TestClient, whileServing warta: WartaProcess,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        for (index, byte) in bytes.enumerated() {
            guard (try? connection.send([byte])) != nil else { return true }
            if connection.waitForInput(milliseconds: 50) {
                try? connection.send("still sending")
                return true
            }
            if index % 5 == 4 { try expectOthersAreServed(port: warta.port, sourceLocation: sourceLocation) }
        }
        return false
    }

    /// A cut-off connection gets exactly one 408, then the end of the stream: the server
    /// half-closes and discards what the client still sends, so no reset destroys the answer.
    private func expectTimedOut(_ connection: TestClient, sourceLocation: SourceLocation = #_sourceLocation) {
        let (bytes, closed) = connection.readUntilClosed()
        #expect(closed, "the connection is still open after the cut-off", sourceLocation: sourceLocation)
        let exchange = Exchange(bytes, closed: closed)
        #expect(exchange.responses.map(\.status) == [408], "\(exchange.text)", sourceLocation: sourceLocation)
        #expect(exchange.responses.first?.header("Connection") == "close", sourceLocation: sourceLocation)
        #expect(exchange.responses.first?.problemDetail == "The request was not received in time.",
                sourceLocation: sourceLocation)
        #expect(exchange.rest.isEmpty, sourceLocation: sourceLocation)
    }

    // MARK: - Floods

    /// A hundred connections each send header lines continuously, 100 bytes every few
    /// milliseconds. Each is cut off with 431 once past 16 KiB, and fresh clients are served
    /// throughout.
    @Test func headerFloodOnManyConnectionsIsCutOffAndOthersAreServed() throws {
        let warta = try Self.start()
        defer { warta.stop() }
        let flooders = try (0..<100).map { _ in try TestClient(port: warta.port, receiveTimeout: 10) }
        for flooder in flooders { try flooder.send("GET / HTTP/1.1\r\nHost: x\r\n") }
        var answered = Set<Int>()
        // About 165 rounds fill 16 KiB; the bound only stops a hang.
        var round = 0
        while answered.count < flooders.count, round < 2_000 {
            round += 1
            let line = Array("X-Flood-\(round): \(String(repeating: "f", count: 84))\r\n".utf8)
            for (index, flooder) in flooders.enumerated() where !answered.contains(index) {
                if flooder.hasPendingInput() || (try? flooder.send(line)) == nil { answered.insert(index) }
            }
            if round % 50 == 0 { try expectOthersAreServed(port: warta.port) }
            usleep(2_000)
        }
        #expect(answered.count == flooders.count, "\(flooders.count - answered.count) flooders were never cut off")
        for flooder in flooders {
            let (bytes, closed) = flooder.readUntilClosed()
            expectRefusal(Exchange(bytes, closed: closed), status: 431,
                          detail: "The header section is larger than 16384 bytes.")
        }
        try expectOthersAreServed(port: warta.port)
    }

    /// 2,000 requests in one write, a blocking one (`/healthz`, off the event loop) every
    /// tenth: all answered, in order, on the one connection. Each 404 names its path, so
    /// order is checked response by response.
    @Test func twoThousandPipelinedRequestsAreAnsweredInOrder() throws {
        let warta = try Self.start()
        defer { warta.stop() }
        let count = 2_000
        let paths = (0..<count).map { $0 % 10 == 9 ? "/healthz" : "/api/v2/missing-\($0).json" }
        let requests = paths.enumerated().map { index, path in
            Self.head("GET \(path) HTTP/1.1", index == count - 1 ? ["Host: x", "Connection: close"] : ["Host: x"])
        }
        let connection = try TestClient(port: warta.port, receiveTimeout: 10)
        // Sent from another thread while this one reads, so neither side's buffers can fill
        // and stall the other.
        let sending = DispatchGroup()
        let (fd, bytes) = (connection.fd, Array(requests.joined().utf8))
        DispatchQueue.global().async(group: sending) { try? TestClient.send(bytes, on: fd) }
        let (received, closed) = connection.readUntilClosed()
        sending.wait()
        let exchange = Exchange(received, closed: closed)

        #expect(exchange.responses.count == count)
        #expect(exchange.rest.isEmpty)
        #expect(closed)
        for (index, (path, response)) in zip(paths, exchange.responses).enumerated() {
            if path == "/healthz" {
                #expect(response.status == 200, "response \(index)")
                #expect(response.text.contains(#""status":"ok""#), "response \(index)")
            } else {
                #expect(response.status == 404, "response \(index)")
                #expect(response.problemDetail == "Nothing is found at \(path).", "response \(index): \(response.text)")
            }
        }
        try expectOthersAreServed(port: warta.port)
    }

    /// 3,000 connections opened and dropped in batches of 100: a third closed at once, a
    /// third after half a request, a third reset after half a request. The server keeps
    /// answering and gives back every descriptor.
    @Test func thousandsOfDroppedConnectionsLeaveNoDescriptorsBehind() throws {
        let warta = try Self.start()
        defer { warta.stop() }
        try expectOthersAreServed(port: warta.port)
        let baseline = try Self.openDescriptorCount(warta)
        for batch in 0..<30 {
            var batchConnections: [TestClient] = []
            for index in 0..<100 {
                let connection = try TestClient(port: warta.port, receiveTimeout: 10)
                if index % 3 != 0 { try connection.send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Le") }
                if index % 3 == 2 { connection.resetOnClose() }
                batchConnections.append(connection)
            }
            batchConnections.removeAll()
            if batch % 10 == 5 { try expectOthersAreServed(port: warta.port) }
        }
        try expectOthersAreServed(port: warta.port)
        #expect(warta.process.isRunning)

        // The server closes a dropped connection when it next reads from it; give it a moment.
        var open = try Self.openDescriptorCount(warta)
        for _ in 0..<100 where open > baseline + Self.descriptorSlack {
            usleep(100_000)
            open = try Self.openDescriptorCount(warta)
        }
        #expect(open <= baseline + Self.descriptorSlack, "\(open) descriptors open, \(baseline) before")
    }

    /// Descriptors the server may hold beyond its baseline for reasons of its own (a
    /// connection still closing, a journal file).
    static let descriptorSlack = 8

    static func openDescriptorCount(_ warta: WartaProcess) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(warta.process.processIdentifier)/fd").count
    }

    // MARK: - Encoding

    /// A path is percent-decoded once and must then be UTF-8 without NUL (RFC 3986 §2.1,
    /// RFC 3629); a raw byte outside visible ASCII is not a request-target at all (RFC 9112
    /// §3.2). Each is a 400 naming the problem, never a 500.
    static let badlyEncodedTargets: [Attack] = [
        Attack("lone percent", target("/%"), detail: "invalid percent escape"),
        Attack("percent and one digit", target("/robots.txt%2"), detail: "invalid percent escape"),
        Attack("non-hex escape", target("/%zz"), detail: "invalid percent escape"),
        Attack("invalid UTF-8 sequence", target("/%c3%28"), detail: "not valid UTF-8"),
        Attack("escaped 0xff", target("/%ff"), detail: "not valid UTF-8"),
        Attack("escaped UTF-16 surrogate", target("/%ed%a0%80"), detail: "not valid UTF-8"),
        Attack("escaped NUL", target("/%00"), detail: "encoded NUL"),
        Attack("escaped NUL before an extension", target("/robots.txt%00.html"), detail: "encoded NUL"),
        Attack("raw 0xff in the path", target([0x2F, 0xFF]), detail: "character that is not allowed"),
        Attack("raw invalid UTF-8 in the path", target([0x2F, 0xC3, 0x28]), detail: "character that is not allowed"),
        Attack("raw 0xff in the query", target(Array("/robots.txt?q=".utf8) + [0xFF]), detail: "character that is not allowed"),
        Attack("raw NUL in the query", target(Array("/robots.txt?q=".utf8) + [0x00]), detail: "character that is not allowed"),
    ]

    @Test(.sharedServer, arguments: badlyEncodedTargets)
    func badlyEncodedTargetIs400(_ attack: Attack) throws {
        let warta = try #require(SharedServer.current)
        expectRefusal(try Exchange(attack.request, port: warta.port), status: attack.status, detail: attack.detail)
        try expectOthersAreServed(port: warta.port)
    }

    /// The query is left encoded for the handlers, which skip a pair they cannot decode
    /// (`FormDecoding`): a bad escape there is not an error, but must never be a 500.
    @Test func badlyEncodedQueryIsNeverAServerError() throws {
        let warta = try Self.start()
        defer { warta.stop() }
        let targets = ["/history?page=%", "/history?page=%zz", "/history?page=%c3%28", "/history?page=%00",
                       "/history?page=%ff%fe", "/?lang=%c0%ae", "/?lang=%", "/?%zz=%zz&lang=%00",
                       "/api/v2/summary.json?%", "/robots.txt?%c3%28", "/history.atom?page=%ed%a0%80"]
        for target in targets {
            let exchange = try Exchange(Array(Self.head("GET \(target) HTTP/1.1", ["Host: x", "Connection: close"]).utf8),
                                        port: warta.port)
            #expect(exchange.responses.count == 1, "\(target)")
            let status = exchange.responses.first?.status ?? 0
            #expect([200, 400, 404].contains(status), "\(target) → \(status)")
        }
        try expectOthersAreServed(port: warta.port)
    }

    // MARK: - Path traversal

    struct Traversal: Sendable, CustomTestStringConvertible {
        let target: String
        let status: Int
        var testDescription: String { "\(target) → \(status)" }
    }

    /// Every way of writing "go up" that a server decoding twice, or decoding after
    /// normalising, or treating `\` as a separator, would follow out of the public folder.
    /// A `..` above the root is a 400; anything that decodes to a harmless name is a 404.
    static let traversals: [Traversal] = [
        Traversal(target: "/../secret.txt", status: 400),
        Traversal(target: "/sub/../../secret.txt", status: 400),
        Traversal(target: "/./../secret.txt", status: 400),
        Traversal(target: "/%2e%2e/secret.txt", status: 400),
        Traversal(target: "/%2E%2E/secret.txt", status: 400),
        Traversal(target: "/.%2e/secret.txt", status: 400),
        Traversal(target: "/%2e%2e%2fsecret.txt", status: 400),
        Traversal(target: "/..%2fsecret.txt", status: 400),
        Traversal(target: "/sub/..%2f..%2fsecret.txt", status: 400),
        // Decoded once, `%252e` is the literal name `%2e`: a file that does not exist.
        Traversal(target: "/%252e%252e%252fsecret.txt", status: 404),
        Traversal(target: "/%252e%252e/secret.txt", status: 404),
        Traversal(target: "/..\\secret.txt", status: 400),
        Traversal(target: "/..%5csecret.txt", status: 400),
        Traversal(target: "/%5c..%5csecret.txt", status: 400),
        Traversal(target: "/%c0%ae%c0%ae/secret.txt", status: 400),
        Traversal(target: "/%c0%ae%c0%ae%c0%afsecret.txt", status: 400),
        Traversal(target: "/%e0%80%ae%e0%80%ae/secret.txt", status: 400),
        Traversal(target: "http://x/../../secret.txt", status: 400),
        Traversal(target: "http://x/%2e%2e/secret.txt", status: 400),
        Traversal(target: "/../../../../../../etc/passwd", status: 400),
        Traversal(target: "/..;/secret.txt", status: 404),
        Traversal(target: "/.../secret.txt", status: 404),
        Traversal(target: "//../secret.txt", status: 404),
        Traversal(target: "/secret.txt", status: 404),
    ]

    /// A secret sits in the server's working folder, beside the `--public-dir` folder. No
    /// spelling of a path reaches it.
    @Test(.sharedServer(Self.startWithSecretBesidePublicDir), arguments: traversals)
    func traversalNeverLeavesThePublicFolder(_ traversal: Traversal) throws {
        let warta = try #require(SharedServer.current)
        let secret = try String(contentsOf: warta.folder.url.appendingPathComponent("secret.txt"), encoding: .utf8)
        let request = Self.head("GET \(traversal.target) HTTP/1.1", ["Host: x", "Connection: close"])
        let exchange = try Exchange(Array(request.utf8), port: warta.port)
        #expect(exchange.responses.map(\.status) == [traversal.status], "\(exchange.text)")
        #expect(!exchange.text.contains(secret), "the secret was served")
        #expect(!exchange.text.contains("root:"), "/etc/passwd was served")
        #expect(exchange.closed)
        try expectOthersAreServed(port: warta.port)
    }

    /// The control: the public folder is served, also through dot segments that stay inside it.
    @Test func publicFilesAreServedThroughDotSegmentsInsideTheRoot() throws {
        let warta = try Self.startWithSecretBesidePublicDir()
        defer { warta.stop() }
        for target in ["/hello.txt", "/sub/../hello.txt", "/./hello.txt", "/sub/%2e%2e/hello.txt", "/%68ello.txt"] {
            let exchange = try Exchange(Array(Self.head("GET \(target) HTTP/1.1", ["Host: x", "Connection: close"]).utf8),
                                        port: warta.port)
            #expect(exchange.responses.map(\.status) == [200], "\(target)")
            #expect(exchange.responses.first?.text == "hello from public\n", "\(target)")
        }
        try expectOthersAreServed(port: warta.port)
    }

    /// A server whose working folder holds `secret.txt` (unique contents) and `public/`,
    /// its `--public-dir`, with `hello.txt` and `sub/inner.txt`.
    static func startWithSecretBesidePublicDir() throws -> WartaProcess {
        let folder = try TemporaryFolder("e2e")
        let publicDir = folder.url.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: publicDir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "hello from public\n".write(to: publicDir.appendingPathComponent("hello.txt"), atomically: true, encoding: .utf8)
        try "inner\n".write(to: publicDir.appendingPathComponent("sub/inner.txt"), atomically: true, encoding: .utf8)
        let secret = "secret-\(UUID().uuidString)"
        try secret.write(to: folder.url.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        return try start(["--public-dir", publicDir.path], folder: folder)
    }

    // MARK: - Helpers

    /// `warta serve` without the access log: `WartaProcess` reads standard error only after
    /// the process exits, so the thousands of lines these tests cause would fill the pipe
    /// and block the server's event loop on its next log write.
    static func start(_ arguments: [String] = [], folder: TemporaryFolder? = nil) throws -> WartaProcess {
        try WartaProcess(["--no-access-log"] + arguments, folder: folder)
    }

    /// `line`, then `fields`, each ended by CRLF, then the empty line that ends a head.
    static func head(_ line: String, _ fields: [String]) -> String {
        ([line] + fields).map { $0 + "\r\n" }.joined() + "\r\n"
    }

    /// A GET of `target` (bytes, so it can hold any byte) that asks to close afterwards.
    static func target(_ target: [UInt8]) -> [UInt8] {
        Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
    }

    static func target(_ target: String) -> [UInt8] {
        Self.target(Array(target.utf8))
    }
}

/// One `warta serve` for all the cases of a parameterized test, reached through
/// `SharedServer.current`. The cases are independent attacks on connections of their own; a
/// server per case would start some seventy processes at once and hold up the slow-drip tests
/// by seconds on a busy machine.
private struct SharedServer: TestTrait, TestScoping {
    /// What a case needs of its server (a `WartaProcess` itself is not `Sendable`).
    struct Address: Sendable {
        let port: Int
        let folder: TemporaryFolder
    }

    @TaskLocal static var current: Address?

    let start: @Sendable () throws -> WartaProcess

    /// The test function as a whole, all its cases together; never one case alone.
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? self : nil
    }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let warta = try start()
        defer { warta.stop() }
        try await Self.$current.withValue(Address(port: warta.port, folder: warta.folder), operation: function)
    }
}

private extension Trait where Self == SharedServer {
    static var sharedServer: Self { SharedServer { try HostileRequestTests.start() } }

    static func sharedServer(_ start: @escaping @Sendable () throws -> WartaProcess) -> Self {
        SharedServer(start: start)
    }
}

/// A fresh client on a connection of its own gets `GET /healthz` 200: whatever an attack did
/// to its own connection, it has not hurt the server.
private func expectOthersAreServed(port: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let response = parseCurlResponse(try curl(["-i", "http://127.0.0.1:\(port)/healthz"]))
    #expect(response.status == 200, "a fresh client was not served", sourceLocation: sourceLocation)
    #expect(response.body.contains(#""status":"ok""#), sourceLocation: sourceLocation)
}

/// The one answer to a refused request: `status` as a problem whose detail contains
/// `detail`, `Connection: close`, nothing after it, and the connection closed
/// (RFC 9112 §11.2: after a framing error nothing that follows can be trusted).
private func expectRefusal(_ exchange: Exchange, status: Int, detail: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(exchange.responses.map(\.status) == [status], "\(exchange.text.prefix(600))", sourceLocation: sourceLocation)
    guard let response = exchange.responses.first else { return }
    #expect(response.header("Connection") == "close", sourceLocation: sourceLocation)
    #expect(response.header("Content-Type") == "application/problem+json", sourceLocation: sourceLocation)
    #expect(response.problemDetail?.contains(detail) == true, "\(response.text)", sourceLocation: sourceLocation)
    #expect(exchange.rest.isEmpty, "bytes after the response: \(String(decoding: exchange.rest, as: UTF8.self))",
            sourceLocation: sourceLocation)
    #expect(exchange.closed, "the connection was left open", sourceLocation: sourceLocation)
}

/// What a connection got back: its responses in order, framed by Content-Length (unlike
/// `parseCurlResponse`, which takes everything after the head as the body, so a response
/// too many is seen); bytes after the last complete one; whether the server closed.
private struct Exchange {
    let responses: [TestResponse]
    let rest: [UInt8]
    let closed: Bool
    let text: String

    /// Connects, sends `request` in one write, and reads until the server closes.
    init(_ request: [UInt8], port: Int) throws {
        let connection = try TestClient(port: port, receiveTimeout: 10)
        try? connection.send(request)
        let (bytes, closed) = connection.readUntilClosed()
        self.init(bytes, closed: closed)
    }

    init(_ bytes: [UInt8], closed: Bool) {
        var responses: [TestResponse] = []
        var start = 0
        while let headEnd = TestClient.find([13, 10, 13, 10], in: bytes, from: start),
              var response = try? TestResponse(head: String(decoding: bytes[start..<headEnd], as: UTF8.self)) {
            let bodyStart = headEnd + 4
            let length = response.header("Content-Length").flatMap { Int($0) } ?? 0
            guard bodyStart + length <= bytes.count else { break }
            response.body = Array(bytes[bodyStart..<bodyStart + length])
            responses.append(response)
            start = bodyStart + length
        }
        self.responses = responses
        self.rest = Array(bytes[start...])
        self.closed = closed
        self.text = String(decoding: bytes, as: UTF8.self)
    }
}

private extension TestResponse {
    /// The `detail` of an RFC 9457 problem body, decoded from its JSON escapes.
    var problemDetail: String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return object?["detail"] as? String
    }
}

private extension TestClient {
    /// Everything until the server closes or resets (`closed`), or until nothing arrives for
    /// the receive timeout (not `closed`: the connection was left open).
    func readUntilClosed() -> (bytes: [UInt8], closed: Bool) {
        let (bytes, ending) = readToEnd()
        return (bytes, ending != .timedOut)
    }
}
