import Testing
@testable import HTTPServer

/// The request-target: decoded once, dot segments removed, anything ambiguous refused
/// (RFC 9112 §3.2, RFC 3986 §2.1 and §5.2.4).
@Suite struct RequestTargetTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        let target: String
        let path: String
        var query: String? = nil
        var method = HTTPMethod.get

        var testDescription: String { "\(method) \(target) → \(path)" + (query.map { " ?\($0)" } ?? "") }
    }

    static let accepted: [Accepted] = [
        Accepted(target: "/", path: "/"),
        Accepted(target: "/status/api", path: "/status/api"),
        Accepted(target: "/a/b/", path: "/a/b/"),
        Accepted(target: "//double", path: "//double"),
        // Decoded once: %25 is "%", and the "41" after it stays as it is.
        Accepted(target: "/%2541", path: "/%41"),
        Accepted(target: "/%41%42c", path: "/ABc"),
        Accepted(target: "/a%20b", path: "/a b"),
        Accepted(target: "/a/./b/../c", path: "/a/c"),
        Accepted(target: "/a/b/..", path: "/a/"),
        Accepted(target: "/a/.", path: "/a/"),
        Accepted(target: "/.", path: "/"),
        Accepted(target: "/a/..", path: "/"),
        Accepted(target: "/a/%2e/b", path: "/a/b"),
        Accepted(target: "/a/b/%2E%2E/c", path: "/a/c"),
        Accepted(target: "/.well-known/x", path: "/.well-known/x"),
        Accepted(target: "/a..b/c.", path: "/a..b/c."),
        Accepted(target: "/%C3%A9", path: "/é"),
        Accepted(target: "/caf%c3%a9/men%C3%BC", path: "/café/menü"),
        Accepted(target: "/p?a=%20b&c=d+e", path: "/p", query: "a=%20b&c=d+e"),
        Accepted(target: "/p?", path: "/p", query: ""),
        Accepted(target: "/%41?%41", path: "/A", query: "%41"),
        Accepted(target: "/p?x=/../..", path: "/p", query: "x=/../.."),
        Accepted(target: "http://example.com/x?y", path: "/x", query: "y"),
        Accepted(target: "HTTPS://Example.com:8443/a/b", path: "/a/b"),
        Accepted(target: "http://example.com", path: "/"),
        Accepted(target: "http://example.com?q=1", path: "/", query: "q=1"),
        Accepted(target: "http://example.com/a/../b", path: "/b"),
        Accepted(target: "*", path: "*", method: .options),
    ]

    @Test(arguments: accepted)
    func accepts(_ example: Accepted) throws {
        let target = try Self.parse(example.target, method: example.method).get()
        #expect(target.path == example.path)
        #expect(target.query == example.query)
    }

    struct Rejected: Sendable, CustomTestStringConvertible {
        let target: String
        var method = HTTPMethod.get
        let reason: String

        var testDescription: String { "\(method) \(target): \(reason)" }
    }

    static let rejected: [Rejected] = [
        Rejected(target: "/..", reason: "climbs"),
        Rejected(target: "/../etc/passwd", reason: "climbs"),
        Rejected(target: "/a/../..", reason: "climbs"),
        Rejected(target: "/a/b/../../../c", reason: "climbs"),
        Rejected(target: "/%2e%2e", reason: "climbs"),
        Rejected(target: "/%2E%2E/x", reason: "climbs"),
        Rejected(target: "/.%2e/x", reason: "climbs"),
        Rejected(target: "/a/%2e%2e/%2e%2e", reason: "climbs"),
        Rejected(target: "http://example.com/../x", reason: "climbs"),
        Rejected(target: "/a%2Fb", reason: "slash"),
        Rejected(target: "/a%2fb", reason: "slash"),
        Rejected(target: "/..%2f..%2fetc", reason: "slash"),
        Rejected(target: "/a%5Cb", reason: "slash"),
        Rejected(target: "/a%5cb", reason: "slash"),
        Rejected(target: "/a\\b", reason: "slash"),
        Rejected(target: "/a%00", reason: "NUL"),
        Rejected(target: "/%00/x", reason: "NUL"),
        Rejected(target: "/%zz", reason: "escape"),
        Rejected(target: "/%4", reason: "escape"),
        Rejected(target: "/a%", reason: "escape"),
        Rejected(target: "/%4g", reason: "escape"),
        Rejected(target: "/%ff", reason: "UTF-8"),
        Rejected(target: "/%C3", reason: "UTF-8"),
        Rejected(target: "/%C0%AF", reason: "UTF-8"),
        Rejected(target: "/%ED%A0%80", reason: "UTF-8"),
        Rejected(target: "*", reason: "OPTIONS"),
        Rejected(target: "*", method: .post, reason: "OPTIONS"),
        Rejected(target: "a/b", reason: "must be a path"),
        Rejected(target: "ftp://example.com/x", reason: "must be a path"),
        Rejected(target: "?x", reason: "must be a path"),
    ]

    @Test(arguments: rejected)
    func rejects(_ example: Rejected) throws {
        let result = Self.parse(example.target, method: example.method)
        guard case .failure(let error) = result else {
            Issue.record("accepted as \(result)")
            return
        }
        #expect(error.status == .badRequest)
        #expect(error.detail.contains(example.reason), "detail: \(error.detail)")
    }

    /// The raw target is kept as received next to the decoded path, and a refused target
    /// after a good request fails only the second.
    @Test func targetIsKeptRawBesideThePath() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("GET /%2541/./x/..?q=%41 HTTP/1.1\r\nHost: a\r\n\r\nGET /%2e%2e/x HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        guard case .request(let request) = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(request.target == "/%2541/./x/..?q=%41")
        #expect(request.path == "/%41/")
        #expect(request.query == "q=%41")
        guard case .failure(let error) = parser.next() else {
            Issue.record("expected a failure for a climbing path")
            return
        }
        #expect(error.status == .badRequest)
    }

    @Test func queryItemsDecodePlusAndPercent() {
        let request = HTTPRequest(method: .get, target: "/", path: "/",
                                  query: "a=1&b=x+y&c=%41%2B%26&d&=e&bad=%zz&&f=%C3%A9&a=2")
        let items = request.queryItems
        #expect(items.map(\.name) == ["a", "b", "c", "d", "", "f", "a"])
        #expect(items.map(\.value) == ["1", "x y", "A+&", "", "e", "é", "2"])
        #expect(request.queryValue("a") == "1")
        #expect(request.queryValue("b") == "x y")
        #expect(request.queryValue("bad") == nil)
        #expect(request.queryValue("missing") == nil)
    }

    @Test func queryItemsOfNoQueryAreEmpty() {
        #expect(HTTPRequest(method: .get, target: "/", path: "/").queryItems.isEmpty)
        #expect(HTTPRequest(method: .get, target: "/?", path: "/", query: "").queryItems.isEmpty)
    }

    @Test func percentDecodingIsExactlyOnce() {
        #expect(PercentDecoding.decode(Array("%2541".utf8)[...]) == Array("%41".utf8))
        #expect(PercentDecoding.decode(Array("plain".utf8)[...]) == Array("plain".utf8))
        #expect(PercentDecoding.decode(Array("%4".utf8)[...]) == nil)
        #expect(PercentDecoding.decode(Array("%".utf8)[...]) == nil)
        #expect(FormDecoding.decode("a+b%2Bc") == "a b+c")
        #expect(FormDecoding.decode("%ff") == nil)
    }

    struct Parsed: Equatable {
        var path: String
        var query: String?
    }

    /// The target as the parser sees it: inside a whole request line, in the middle of its buffer.
    static func parse(_ target: String, method: HTTPMethod) -> Result<Parsed, HTTPParseError> {
        var parser = HTTPRequestParser()
        parser.append(Array("\(method) \(target) HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        switch parser.next() {
        case .request(let request):
            return .success(Parsed(path: request.path, query: request.query))
        case .failure(let error):
            return .failure(error)
        case .needMoreData, .continueExpected:
            return .failure(HTTPParseError(.internalServerError, "the parser wanted more than one whole request"))
        }
    }
}
