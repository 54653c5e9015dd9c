import Testing
@testable import HTTPServer

/// The pure parser, fed from string literals (RFC 9112).
@Suite struct ParserTests {
    // MARK: - Accepting

    @Test func simpleGet() throws {
        let request = try Self.parseOne("GET /status?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        #expect(request.method == .get)
        #expect(request.target == "/status?x=1")
        #expect(request.path == "/status")
        #expect(request.query == "x=1")
        #expect(request.version == .http1_1)
        #expect(request.headers[.host] == "example.com")
        #expect(request.headers["accept"] == "*/*")
        #expect(request.headers.count == 2)
        #expect(request.body.isEmpty)
        #expect(request.keepAlive)
    }

    @Test func http10WithoutHostIsAccepted() throws {
        let request = try Self.parseOne("GET / HTTP/1.0\r\n\r\n")
        #expect(request.version == .http1_0)
        #expect(request.path == "/")
        #expect(request.headers.count == 0)
        #expect(!request.keepAlive)
    }

    @Test func higherMinorVersionIsServedAs11() throws {
        let request = try Self.parseOne("GET / HTTP/1.7\r\nHost: a\r\n\r\n")
        #expect(request.version == .http1_1)
    }

    @Test func leadingEmptyLinesAreIgnored() throws {
        let request = try Self.parseOne("\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(request.path == "/a")
    }

    /// RFC 9112 §2.2 lets a server ignore CRLF before a request line; old clients send one
    /// after a POST body. Fed one byte at a time, the CR and the LF arrive in different appends.
    @Test
    func leadingEmptyLineSplitAcrossAppendsIsIgnored() {
        var parser = HTTPRequestParser()
        var events: [HTTPRequestParser.Event] = []
        for byte in "\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n".utf8 {
            parser.append([byte])
            events += Self.drain(&parser).filter { if case .needMoreData = $0 { false } else { true } }
        }
        #expect(Self.paths(events) == ["/a"])
        #expect(Self.failure(in: events) == nil)
    }

    @Test func headerNamesIgnoreCaseAndRepeatedFieldsAreKept() throws {
        let request = try Self.parseOne(
            "GET / HTTP/1.1\r\nhost: a\r\nAccept: text/html\r\nACCEPT: text/plain\r\nX-Empty:\r\nX-Pad: \t v \t\r\n\r\n")
        #expect(request.headers[.host] == "a")
        #expect(request.headers.values(.accept) == ["text/html", "text/plain"])
        #expect(request.headers["x-empty"] == "")
        #expect(request.headers["X-PAD"] == "v")
    }

    @Test func contentLengthBody() throws {
        let request = try Self.parseOne("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
        #expect(request.method == .post)
        #expect(request.body == Array("hello".utf8))
    }

    @Test func zeroContentLengthHasNoBody() throws {
        let request = try Self.parseOne("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        #expect(request.body.isEmpty)
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let request = try Self.parseOne(
            "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "6 ; quoted=\"x y\"\r\n world\r\n"
                + "A\r\n0123456789\r\n"
                + "0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n")
        #expect(Self.text(request.body) == "hello world0123456789")
    }

    @Test func chunkedBodyWithoutTrailers() throws {
        let request = try Self.parseOne(
            "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        #expect(Self.text(request.body) == "abc")
    }

    /// Every framing, fed one byte per append, gives what the whole buffer gives at once.
    @Test func byteByByteGivesTheSameRequests() {
        let input = "POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world"
            + "POST /two HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4;x=y\r\nwiki\r\n5\r\npedia\r\n0\r\nTrailer-Field: v\r\n\r\n"
            + "GET /three HTTP/1.1\r\nHost: a\r\n\r\n"
        var parser = HTTPRequestParser()
        var events: [HTTPRequestParser.Event] = []
        for byte in input.utf8 {
            parser.append([byte])
            events += Self.drain(&parser).filter { if case .needMoreData = $0 { false } else { true } }
        }
        let requests = Self.requests(events)
        #expect(requests.map(\.path) == ["/one", "/two", "/three"])
        #expect(requests.map { Self.text($0.body) } == ["hello world", "wikipedia", ""])
        #expect(Self.failure(in: events) == nil)
        #expect(parser.bufferedByteCount == 0)
        #expect(!parser.isMidRequest)
    }

    @Test func bodyArrivingInPiecesIsNotReportedEarly() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nab".utf8))
        #expect(Self.isNeedMoreData(parser.next()))
        #expect(parser.isReadingBody)
        #expect(parser.isMidRequest)
        parser.append(Array("cd".utf8))
        #expect(Self.isNeedMoreData(parser.next()))
        parser.append(Array("ef".utf8))
        let events = Self.drain(&parser)
        #expect(Self.requests(events).map { Self.text($0.body) } == ["abcdef"])
        #expect(!parser.isReadingBody)
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        var parser = HTTPRequestParser()
        parser.append(Array(("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            + "GET /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            + "GET /4 HT").utf8))
        let events = Self.drain(&parser)
        let requests = Self.requests(events)
        #expect(requests.map(\.path) == ["/1", "/2", "/3"])
        #expect(requests.map { Self.text($0.body) } == ["", "abc", ""])
        #expect(requests.map(\.keepAlive) == [true, true, false])
        #expect(Self.isNeedMoreData(events.last!))
        #expect(parser.bufferedByteCount == "GET /4 HT".utf8.count)
        #expect(parser.isMidRequest)
    }

    /// A body is framed by Content-Length only: a request line inside it is body, not a request.
    @Test func requestLineInsideABodyIsBody() {
        let smuggled = "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n"
        var parser = HTTPRequestParser()
        parser.append(Array("GET /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(smuggled.utf8.count)\r\n\r\n\(smuggled)".utf8))
        let events = Self.drain(&parser)
        let requests = Self.requests(events)
        #expect(requests.count == 1)
        #expect(requests.first?.path == "/echo")
        #expect(requests.first.map { Self.text($0.body) } == smuggled)
        #expect(parser.bufferedByteCount == 0)
    }

    struct KeepAliveCase: Sendable, CustomTestStringConvertible {
        let version: String
        let connection: String?
        let keepAlive: Bool

        var input: String {
            "GET / \(version)\r\n" + (version == "HTTP/1.1" ? "Host: a\r\n" : "")
                + (connection.map { "Connection: \($0)\r\n" } ?? "") + "\r\n"
        }

        var testDescription: String { "\(version) Connection: \(connection ?? "(none)") → \(keepAlive)" }
    }

    @Test(arguments: [
        KeepAliveCase(version: "HTTP/1.1", connection: nil, keepAlive: true),
        KeepAliveCase(version: "HTTP/1.1", connection: "close", keepAlive: false),
        KeepAliveCase(version: "HTTP/1.1", connection: "Close", keepAlive: false),
        KeepAliveCase(version: "HTTP/1.1", connection: "keep-alive, close", keepAlive: false),
        KeepAliveCase(version: "HTTP/1.1", connection: "upgrade", keepAlive: true),
        KeepAliveCase(version: "HTTP/1.0", connection: nil, keepAlive: false),
        KeepAliveCase(version: "HTTP/1.0", connection: "keep-alive", keepAlive: true),
        KeepAliveCase(version: "HTTP/1.0", connection: "Keep-Alive", keepAlive: true),
        KeepAliveCase(version: "HTTP/1.0", connection: "keep-alive, close", keepAlive: false),
    ])
    func keepAliveRules(_ rule: KeepAliveCase) throws {
        #expect(try Self.parseOne(rule.input).keepAlive == rule.keepAlive)
    }

    @Test func expectContinueAsksForTheBodyThenGivesTheRequest() {
        var parser = HTTPRequestParser()
        parser.append(Array("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n".utf8))
        guard case .continueExpected = parser.next() else {
            Issue.record("expected .continueExpected")
            return
        }
        #expect(Self.isNeedMoreData(parser.next()))
        parser.append(Array("data".utf8))
        let requests = Self.requests(Self.drain(&parser))
        #expect(requests.map { Self.text($0.body) } == ["data"])
    }

    @Test func expectContinueForChunkedBody() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-Continue\r\n\r\n".utf8))
        guard case .continueExpected = parser.next() else {
            Issue.record("expected .continueExpected")
            return
        }
        parser.append(Array("2\r\nok\r\n0\r\n\r\n".utf8))
        #expect(Self.requests(Self.drain(&parser)).map { Self.text($0.body) } == ["ok"])
    }

    /// A client that sent the body along with the head does not wait for 100 Continue.
    @Test func expectContinueWithBodyAlreadySentGivesTheRequestDirectly() {
        var parser = HTTPRequestParser()
        parser.append(Array("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\ndata".utf8))
        let events = Self.drain(&parser)
        #expect(events.count == 2)
        #expect(Self.requests(events).map { Self.text($0.body) } == ["data"])
    }

    @Test func expectContinueWithoutBodyGivesTheRequestDirectly() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET /p HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n".utf8))
        #expect(Self.requests(Self.drain(&parser)).map(\.path) == ["/p"])
    }

    /// RFC 9110 §10.1.1: "A server that receives a 100-continue expectation in an HTTP/1.0
    /// request MUST ignore that expectation."
    @Test
    func expectContinueIsIgnoredForHTTP10() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /p HTTP/1.0\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n".utf8))
        #expect(Self.isNeedMoreData(parser.next()))
    }

    // MARK: - Limits at their exact values are accepted

    @Test func requestLineOfExactlyTheLimitIsAccepted() throws {
        let limits = HTTPRequestParser.Limits(maxRequestLineBytes: 32)
        let line = "GET /" + String(repeating: "a", count: 18) + " HTTP/1.1"
        #expect(line.utf8.count == 32)
        let request = try Self.parseOne(line + "\r\nHost: a\r\n\r\n", limits: limits)
        #expect(request.path.utf8.count == 19)
    }

    @Test func headerSectionOfExactlyTheLimitIsAccepted() throws {
        let limits = HTTPRequestParser.Limits(maxHeaderBytes: 64)
        let fields = "Host: a\r\nX: " + String(repeating: "b", count: 50) + "\r\n"
        #expect(fields.utf8.count == 64)
        let request = try Self.parseOne("GET / HTTP/1.1\r\n" + fields + "\r\n", limits: limits)
        #expect(request.headers["X"]?.utf8.count == 50)
    }

    @Test func exactlyTheMaximumNumberOfFieldsIsAccepted() throws {
        let limits = HTTPRequestParser.Limits(maxHeaderCount: 3)
        let request = try Self.parseOne("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits)
        #expect(request.headers.count == 3)
    }

    @Test func bodyOfExactlyTheLimitIsAccepted() throws {
        let limits = HTTPRequestParser.Limits(maxBodyBytes: 10)
        let fixed = try Self.parseOne("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits)
        #expect(fixed.body.count == 10)
        let chunked = try Self.parseOne(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n",
            limits: limits)
        #expect(chunked.body.count == 10)
    }

    /// The trailer section counts against `maxHeaderBytes` like the header section, where
    /// exactly the limit is accepted (above).
    @Test
    func trailerSectionOfExactlyTheLimitIsAccepted() throws {
        // The header section ("Host: a" and "Transfer-Encoding: chunked" lines) is 37 bytes.
        let limits = HTTPRequestParser.Limits(maxHeaderBytes: 40)
        let trailers = "X: " + String(repeating: "t", count: 35) + "\r\n"
        #expect(trailers.utf8.count == 40)
        let request = try Self.parseOne(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n" + trailers + "\r\n",
            limits: limits)
        #expect(Self.text(request.body) == "b")
    }

    // MARK: - Rejecting

    struct Rejection: Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        let status: Int
        var limits = HTTPRequestParser.Limits()

        var testDescription: String { "\(name) → \(status)" }
    }

    static let rejections: [Rejection] = [
        Rejection(name: "Content-Length and Transfer-Encoding",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
        Rejection(name: "Transfer-Encoding and Content-Length",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", status: 400),
        Rejection(name: "two Content-Length fields",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", status: 400),
        Rejection(name: "Content-Length list 5, 5",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", status: 400),
        Rejection(name: "Content-Length -1",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", status: 400),
        Rejection(name: "Content-Length 1a",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1a\r\n\r\n", status: 400),
        Rejection(name: "Content-Length +1",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", status: 400),
        Rejection(name: "empty Content-Length",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", status: 400),
        Rejection(name: "Content-Length over 18 digits",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9999999999999999999\r\n\r\n", status: 400),
        Rejection(name: "Transfer-Encoding in HTTP/1.0",
                  input: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
        Rejection(name: "Transfer-Encoding gzip",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501),
        Rejection(name: "Transfer-Encoding gzip, chunked",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", status: 501),
        Rejection(name: "Transfer-Encoding chunked, chunked",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", status: 400),
        Rejection(name: "Transfer-Encoding chunked in two fields",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400),
        Rejection(name: "empty Transfer-Encoding",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n", status: 400),
        Rejection(name: "obs-fold",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", status: 400),
        Rejection(name: "obs-fold with a tab",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", status: 400),
        Rejection(name: "bare CR in a field line",
                  input: "GET / HTTP/1.1\r\nHost: a\rX-B: c\r\n\r\n", status: 400),
        Rejection(name: "bare CR in the request line",
                  input: "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Rejection(name: "bare LF line endings",
                  input: "GET / HTTP/1.1\nHost: a\n\n", status: 400),
        Rejection(name: "bare LF after a field",
                  input: "GET / HTTP/1.1\r\nHost: a\nX-B: c\r\n\r\n", status: 400),
        Rejection(name: "NUL in a field value",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n", status: 400),
        Rejection(name: "control character in a field value",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{1}c\r\n\r\n", status: 400),
        Rejection(name: "DEL in a field value",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}c\r\n\r\n", status: 400),
        Rejection(name: "space before the colon",
                  input: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400),
        Rejection(name: "invalid character in a field name",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nFo(o: x\r\n\r\n", status: 400),
        Rejection(name: "empty field name",
                  input: "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", status: 400),
        Rejection(name: "field line without colon",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", status: 400),
        Rejection(name: "HTTP/1.1 without Host",
                  input: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", status: 400),
        Rejection(name: "two Host fields",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
        Rejection(name: "Host with a space",
                  input: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400),
        Rejection(name: "Host with a slash",
                  input: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", status: 400),
        Rejection(name: "request line over the limit",
                  input: "GET /" + String(repeating: "a", count: 19) + " HTTP/1.1\r\nHost: a\r\n\r\n", status: 414,
                  limits: .init(maxRequestLineBytes: 32)),
        Rejection(name: "request line over the limit before its CRLF",
                  input: "GET /" + String(repeating: "a", count: 40), status: 414,
                  limits: .init(maxRequestLineBytes: 32)),
        Rejection(name: "header section over the byte limit",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 51) + "\r\n\r\n", status: 431,
                  limits: .init(maxHeaderBytes: 64)),
        Rejection(name: "endless header section",
                  input: "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-Filler: 0123456789\r\n", count: 100), status: 431,
                  limits: .init(maxRequestLineBytes: 64, maxHeaderBytes: 256)),
        Rejection(name: "more fields than the count limit",
                  input: "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", status: 431,
                  limits: .init(maxHeaderCount: 3)),
        Rejection(name: "Content-Length over the body limit, no body sent",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", status: 413,
                  limits: .init(maxBodyBytes: 10)),
        Rejection(name: "Content-Length over the body limit with Expect",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n", status: 413,
                  limits: .init(maxBodyBytes: 10)),
        Rejection(name: "one chunk over the body limit",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n", status: 413,
                  limits: .init(maxBodyBytes: 10)),
        Rejection(name: "chunks adding up to over the body limit",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\naaaaaa\r\n5\r\n", status: 413,
                  limits: .init(maxBodyBytes: 10)),
        Rejection(name: "trailer fields over the count limit",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", status: 431,
                  limits: .init(maxHeaderCount: 2)),
        Rejection(name: "trailer section over the byte limit",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + String(repeating: "t", count: 30) + "\r\n\r\n",
                  status: 431, limits: .init(maxHeaderBytes: 20)),
        Rejection(name: "invalid trailer field",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Name: 1\r\n\r\n", status: 400),
        Rejection(name: "HTTP/2.0",
                  input: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505),
        Rejection(name: "HTTP/0.9 version",
                  input: "GET / HTTP/0.9\r\nHost: a\r\n\r\n", status: 505),
        Rejection(name: "garbage version",
                  input: "GET / HTTQ/1.1\r\nHost: a\r\n\r\n", status: 400),
        Rejection(name: "lower-case version",
                  input: "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400),
        Rejection(name: "version with two-digit minor",
                  input: "GET / HTTP/1.10\r\nHost: a\r\n\r\n", status: 400),
        Rejection(name: "missing version",
                  input: "GET /\r\nHost: a\r\n\r\n", status: 400),
        Rejection(name: "two spaces in the request line",
                  input: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Rejection(name: "method with an invalid character",
                  input: "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Rejection(name: "control character in the target",
                  input: "GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Rejection(name: "non-ASCII byte in the target",
                  input: "GET /é HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Rejection(name: "chunk size not hexadecimal",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", status: 400),
        Rejection(name: "chunk size with a 0x prefix",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", status: 400),
        Rejection(name: "chunk size followed by junk",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n", status: 400),
        Rejection(name: "chunk size of 16 hex digits",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000001\r\n", status: 400),
        Rejection(name: "missing CRLF after chunk data",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", status: 400),
        Rejection(name: "bare LF in a chunk size line",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", status: 400),
        Rejection(name: "unknown Expect",
                  input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 200-ok\r\n\r\nx", status: 417),
    ]

    @Test(arguments: rejections)
    func rejects(_ rejection: Rejection) throws {
        var parser = HTTPRequestParser(limits: rejection.limits)
        parser.append(Array(rejection.input.utf8))
        let events = Self.drain(&parser)
        #expect(Self.requests(events).isEmpty)
        let error = try #require(Self.failure(in: events))
        #expect(error.status.code == rejection.status)
        #expect(!error.detail.isEmpty)
    }

    /// Found by fuzzing (Fuzz/regressions/http-request-parser-options-asterisk): the
    /// asterisk form is the one target that is not a path, and only OPTIONS may use it.
    @Test func asteriskFormIsForOptionsOnly() throws {
        let request = try Self.parseOne("OPTIONS * HTTP/1.0\r\n\r\n")
        #expect(request.method == .options && request.path == "*" && request.query == nil)
        #expect(Self.failureOf("GET * HTTP/1.1\r\nHost: a\r\n\r\n")?.status.code == 400)
        #expect(Self.failureOf("OPTIONS *x HTTP/1.1\r\nHost: a\r\n\r\n")?.status.code == 400)
    }

    /// RFC 9112 §3.2: a Host whose value is not `uri-host [ ":" port ]` is 400; every
    /// valid form is accepted.
    @Test(arguments: [
        ("example.com", true), ("example.com:8080", true), ("127.0.0.1:80", true), ("[::1]", true),
        ("[::1]:8080", true), ("[2001:db8::7]", true), ("xn--statu-ooa.id", true), ("a%2Db", true), ("", true),
        ("[::1", false), ("a:b:c", false), ("x:99999", false), ("x:", false), ("%zz", false), ("]", false),
        ("a b", false), ("x:8o", false), ("[example.com]", false), ("a@b", false), ("a/b", false), ("%4", false),
    ])
    func hostValues(host: String, valid: Bool) throws {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8))
        let events = Self.drain(&parser)
        #expect(Self.requests(events).count == (valid ? 1 : 0), "\(host)")
        #expect(Self.failure(in: events)?.status.code == (valid ? nil : 400), "\(host)")
    }

    /// Whatever way the bytes are split into appends, the parser decides the same: fed one
    /// byte at a time, every example gives the requests and the failure status it gives
    /// when fed at once.
    struct Sample: Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        var limits = HTTPRequestParser.Limits()

        var testDescription: String { name }
    }

    @Test(arguments: rejections.map { Sample(name: $0.name, input: $0.input, limits: $0.limits) } + [
        Sample(name: "simple GET", input: "GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        Sample(name: "chunked then GET",
               input: "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nX: y\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        Sample(name: "100-continue then HTTP/1.0",
               input: "PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabcGET /x HTTP/1.0\r\n\r\n"),
    ])
    func byteByByteAgreesWithOneShot(_ sample: Sample) {
        let (input, limits) = (sample.input, sample.limits)
        var whole = HTTPRequestParser(limits: limits)
        whole.append(Array(input.utf8))
        let expected = Self.summary(Self.drain(&whole))

        var incremental = HTTPRequestParser(limits: limits)
        var events: [HTTPRequestParser.Event] = []
        for byte in input.utf8 {
            incremental.append([byte])
            events += Self.drain(&incremental)
            if case .failure = events.last { break }
        }
        // A 100-continue is only reported while no body byte has arrived, so it may differ.
        #expect(Self.summary(events).filter { $0 != "continue" } == expected.filter { $0 != "continue" })
    }

    @Test func bodyLimitIsEnforcedFromTheContentLengthAlone() {
        var parser = HTTPRequestParser(limits: .init(maxBodyBytes: 1000))
        parser.append(Array("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n".utf8))
        guard case .failure(let error) = parser.next() else {
            Issue.record("expected a failure before any body byte")
            return
        }
        #expect(error.status == .contentTooLarge)
        #expect(error.detail.contains("1001"))
    }

    @Test func failureNamesTheProblem() throws {
        #expect(try #require(Self.failureOf("GET / HTTP/1.1\r\nAccept: x\r\n\r\n")).detail.contains("Host"))
        #expect(try #require(Self.failureOf(
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")).detail
            .contains("Content-Length and Transfer-Encoding"))
        #expect(try #require(Self.failureOf(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")).detail.contains("gzip"))
    }

    @Test func afterAFailureEveryNextGivesTheSameFailure() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\nHost : a\r\n\r\n".utf8))
        guard case .failure(let first) = parser.next() else {
            Issue.record("expected a failure")
            return
        }
        #expect(first.status == .badRequest)
        for _ in 0..<3 {
            guard case .failure(let again) = parser.next() else {
                Issue.record("expected the same failure again")
                return
            }
            #expect(again == first)
        }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        guard case .failure(let afterMore) = parser.next() else {
            Issue.record("a valid request after a failure must not be parsed")
            return
        }
        #expect(afterMore == first)
    }

    @Test func bodyFailureIsAlsoSticky() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".utf8))
        guard case .failure(let first) = parser.next(), case .failure(let second) = parser.next() else {
            Issue.record("expected two failures")
            return
        }
        #expect(first == second)
        #expect(first.status == .badRequest)
    }

    // MARK: - Helpers

    /// Every event up to and including the first `.needMoreData` or `.failure`.
    static func drain(_ parser: inout HTTPRequestParser) -> [HTTPRequestParser.Event] {
        var events: [HTTPRequestParser.Event] = []
        for _ in 0..<100 {
            let event = parser.next()
            events.append(event)
            switch event {
            case .needMoreData, .failure: return events
            case .request, .continueExpected: continue
            }
        }
        return events
    }

    static func requests(_ events: [HTTPRequestParser.Event]) -> [HTTPRequest] {
        events.compactMap { if case .request(let request) = $0 { request } else { nil } }
    }

    static func paths(_ events: [HTTPRequestParser.Event]) -> [String] {
        requests(events).map(\.path)
    }

    static func failure(in events: [HTTPRequestParser.Event]) -> HTTPParseError? {
        for event in events { if case .failure(let error) = event { return error } }
        return nil
    }

    static func failureOf(_ input: String, limits: HTTPRequestParser.Limits = .init()) -> HTTPParseError? {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array(input.utf8))
        return failure(in: drain(&parser))
    }

    /// What a list of events decided, in a comparable form.
    static func summary(_ events: [HTTPRequestParser.Event]) -> [String] {
        events.compactMap { event in
            switch event {
            case .request(let request):
                "\(request.method) \(request.target) \(text(request.body)) keepAlive=\(request.keepAlive)"
            case .failure(let error): "failure \(error.status.code)"
            case .continueExpected: "continue"
            case .needMoreData: nil
            }
        }
    }

    static func isNeedMoreData(_ event: HTTPRequestParser.Event) -> Bool {
        if case .needMoreData = event { return true }
        return false
    }

    /// The one request `input` holds; fails the test on anything else.
    static func parseOne(_ input: String, limits: HTTPRequestParser.Limits = .init(),
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> HTTPRequest {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array(input.utf8))
        let events = drain(&parser)
        if let error = failure(in: events) {
            Issue.record("unexpected failure: \(error)", sourceLocation: sourceLocation)
        }
        let requests = requests(events)
        try #require(requests.count == 1, "expected one request, got \(requests.count)", sourceLocation: sourceLocation)
        return requests[0]
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
