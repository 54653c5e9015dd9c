import Testing
@testable import HTTPServer

/// If-None-Match and If-Modified-Since (RFC 9110 §13.1.2, §13.1.3) and the IMF-fixdate
/// format they use (RFC 9110 §5.6.7).
@Suite struct ConditionalRequestTests {
    static let etag = #""v42""#
    /// Sun, 06 Nov 1994 08:49:37 GMT
    static let lastModified = 784_111_777

    static func request(_ method: HTTPMethod = .get, _ headers: HTTPHeaders) -> HTTPRequest {
        var all = headers
        all.add(.host, "a")
        return HTTPRequest(method: method, target: "/", path: "/", headers: all)
    }

    static func isNotModified(_ headers: HTTPHeaders, method: HTTPMethod = .get,
                              etag: String? = etag, lastModified: Int? = lastModified) -> Bool {
        ConditionalRequest.isNotModified(request(method, headers), etag: etag, lastModified: lastModified)
    }

    // MARK: - If-None-Match

    @Test func ifNoneMatchExact() {
        #expect(Self.isNotModified([.ifNoneMatch: #""v42""#]))
        #expect(!Self.isNotModified([.ifNoneMatch: #""v41""#]))
        #expect(!Self.isNotModified([.ifNoneMatch: "v42"]))
    }

    @Test func ifNoneMatchList() {
        #expect(Self.isNotModified([.ifNoneMatch: #""a", "v42", "b""#]))
        #expect(Self.isNotModified([.ifNoneMatch: #""a","v42""#]))
        #expect(!Self.isNotModified([.ifNoneMatch: #""a", "b""#]))
        // The list may be split over several fields.
        #expect(Self.isNotModified([.ifNoneMatch: #""a""#, "if-none-match": #""v42""#]))
    }

    @Test func ifNoneMatchStar() {
        #expect(Self.isNotModified([.ifNoneMatch: "*"]))
        // Nothing to match when the resource has no current representation with a tag.
        #expect(!Self.isNotModified([.ifNoneMatch: "*"], etag: nil))
    }

    @Test func ifNoneMatchComparesWeakly() {
        #expect(Self.isNotModified([.ifNoneMatch: #"W/"v42""#]))
        #expect(Self.isNotModified([.ifNoneMatch: #""v42""#], etag: #"W/"v42""#))
        #expect(Self.isNotModified([.ifNoneMatch: #"W/"v42""#], etag: #"W/"v42""#))
        #expect(!Self.isNotModified([.ifNoneMatch: #"W/"v43""#], etag: #"W/"v42""#))
    }

    @Test func onlyGetAndHeadAreConditionalHere() {
        #expect(Self.isNotModified([.ifNoneMatch: #""v42""#], method: .head))
        #expect(!Self.isNotModified([.ifNoneMatch: #""v42""#], method: .post))
        #expect(!Self.isNotModified([.ifModifiedSince: "Sun, 06 Nov 1994 08:49:37 GMT"], method: .put))
    }

    @Test func noConditionsMeansModified() {
        #expect(!Self.isNotModified([:]))
    }

    // MARK: - If-Modified-Since

    @Test func ifModifiedSinceEqualIsNotModified() {
        #expect(Self.isNotModified([.ifModifiedSince: "Sun, 06 Nov 1994 08:49:37 GMT"]))
    }

    @Test func ifModifiedSinceLaterThanTheResourceIsNotModified() {
        #expect(Self.isNotModified([.ifModifiedSince: "Sun, 06 Nov 1994 08:49:38 GMT"]))
        #expect(Self.isNotModified([.ifModifiedSince: "Mon, 01 Jan 2024 00:00:00 GMT"]))
    }

    @Test func ifModifiedSinceEarlierThanTheResourceIsModified() {
        #expect(!Self.isNotModified([.ifModifiedSince: "Sun, 06 Nov 1994 08:49:36 GMT"]))
        #expect(!Self.isNotModified([.ifModifiedSince: "Thu, 01 Jan 1970 00:00:00 GMT"]))
    }

    @Test func invalidIfModifiedSinceIsIgnored() {
        #expect(!Self.isNotModified([.ifModifiedSince: "Sunday, 06-Nov-94 08:49:37 GMT"]))
        #expect(!Self.isNotModified([.ifModifiedSince: "Sun Nov  6 08:49:37 1994"]))
        #expect(!Self.isNotModified([.ifModifiedSince: "yesterday"]))
        #expect(!Self.isNotModified([.ifModifiedSince: ""]))
    }

    @Test func ifModifiedSinceWithoutALastModifiedIsModified() {
        #expect(!Self.isNotModified([.ifModifiedSince: "Mon, 01 Jan 2024 00:00:00 GMT"], lastModified: nil))
    }

    @Test func ifNoneMatchWinsOverIfModifiedSince() {
        // The tag differs: modified, though the date alone would say not modified.
        #expect(!Self.isNotModified([.ifNoneMatch: #""old""#, .ifModifiedSince: "Mon, 01 Jan 2024 00:00:00 GMT"]))
        // The tag matches: not modified, though the date alone would say modified.
        #expect(Self.isNotModified([.ifNoneMatch: #""v42""#, .ifModifiedSince: "Thu, 01 Jan 1970 00:00:00 GMT"]))
    }

    @Test func notModifiedKeepsValidatorsAndCachingFieldsOnly() {
        let full = HTTPResponse(status: .ok, headers: [
            .contentType: "text/html", .etag: #""v42""#, .cacheControl: "max-age=60",
            .lastModified: "Sun, 06 Nov 1994 08:49:37 GMT", .vary: "Accept-Encoding",
            .contentLocation: "/index.html", .expires: "Sun, 06 Nov 1994 08:50:37 GMT", "X-Custom": "1",
        ], body: Array("<html>".utf8))
        let response = ConditionalRequest.notModified(from: full)
        #expect(response.status == .notModified)
        #expect(response.body.isEmpty)
        #expect(response.headers.fields.map(\.name.rawValue)
            == ["ETag", "Cache-Control", "Last-Modified", "Vary", "Content-Location", "Expires"])
        #expect(response.headers[.etag] == #""v42""#)
        #expect(response.headers[.contentType] == nil)
    }

    // MARK: - HTTPDate

    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(1_767_225_599) == "Wed, 31 Dec 2025 23:59:59 GMT")
    }

    @Test func parsesIMFFixdate() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
    }

    @Test(arguments: [0, 784_111_777, 951_782_400, 1_700_000_000, 1_767_225_599, 4_102_444_800])
    func formatAndParseRoundTrip(_ seconds: Int) {
        let text = HTTPDate.format(seconds)
        #expect(HTTPDate.parse(text) == seconds)
        #expect(HTTPDate.format(HTTPDate.parse(text) ?? -1) == text)
    }

    @Test(arguments: [
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 November 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun 06 Nov 1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "",
    ])
    func rejectsOtherFormats(_ text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    /// RFC 9110 §13.1.3: an If-Modified-Since that is not a valid HTTP-date is ignored. A
    /// 31st of February is no date; taking it as 3 March could answer 304 wrongly.
    @Test
    func rejectsImpossibleDates() {
        #expect(HTTPDate.parse("Thu, 31 Feb 1994 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 31 Apr 1994 08:49:37 GMT") == nil)
    }
}
