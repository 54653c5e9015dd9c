import Testing
@testable import HTTPServer

/// Requests, responses and field names as values: what the read path's shortcuts (a packed
/// key in every field name, shared boxes for requests and responses, methods read as one
/// number) must keep exactly as before.
@Suite struct MessageTests {
    /// Names compare ignoring ASCII case and nothing else, also where they share their first
    /// seven bytes (the packed key) or are longer than 255 bytes (its length byte saturates).
    @Test func fieldNamesCompareIgnoringCaseOnly() {
        #expect(HTTPHeaderName("content-type") == .contentType)
        #expect(HTTPHeaderName("CONTENT-TYPE") == .contentType)
        #expect(HTTPHeaderName("Content-Typf") != .contentType)
        #expect(HTTPHeaderName("Content-Length") != .contentType)
        #expect(HTTPHeaderName("Host") == .host)
        #expect(HTTPHeaderName("Hos") != .host)
        #expect(HTTPHeaderName("Hostx") != .host)
        #expect(HTTPHeaderName("") == HTTPHeaderName(""))
        #expect(HTTPHeaderName("") != .host)
        let long = String(repeating: "x", count: 300)
        #expect(HTTPHeaderName(long) == HTTPHeaderName(long.uppercased()))
        #expect(HTTPHeaderName(long) != HTTPHeaderName(String(repeating: "x", count: 299)))
        #expect(HTTPHeaderName(String(repeating: "x", count: 5)) != HTTPHeaderName(String(repeating: "x", count: 261)))
        let names: Set<HTTPHeaderName> = [.contentType, .etag, HTTPHeaderName(long)]
        #expect(names.contains("CONTENT-TYPE"))
        #expect(names.contains("etag"))
        #expect(names.contains(HTTPHeaderName(long.uppercased())))
        #expect(!names.contains("Content-Length"))
    }

    @Test func lookupsFindTheFirstFieldOfAName() {
        let headers: HTTPHeaders = ["Accept": "a", "X-Custom-Long-Name": "one", "x-custom-long-name": "two"]
        #expect(headers["x-CUSTOM-long-NAME"] == "one")
        #expect(headers.values("X-Custom-Long-Name") == ["one", "two"])
        #expect(headers.contains("ACCEPT"))
        #expect(!headers.contains("X-Custom-Long-Nam"))
        #expect(headers["Accept-Encoding"] == nil)
    }

    /// A copy of a request shares its fields until one side changes them.
    @Test func requestCopiesAreIndependent() {
        let original = HTTPRequest(method: .post, target: "/a?x=1", path: "/a", query: "x=1",
                                   headers: [.host: "h"], body: Array("body".utf8), remoteAddress: "10.0.0.1")
        var copy = original
        copy.path = "/b"
        copy.body.append(contentsOf: "more".utf8)
        copy.headers.add(.accept, "text/html")
        copy.remoteAddress = "10.0.0.2"
        copy.keepAlive = false
        copy.id = RequestID(forwarded: "abc", connection: 1, request: 2)
        #expect(original.path == "/a")
        #expect(original.body == Array("body".utf8))
        #expect(original.headers.count == 1)
        #expect(original.remoteAddress == "10.0.0.1")
        #expect(original.keepAlive)
        #expect(original.id.description != copy.id.description)
        #expect(copy.path == "/b")
        #expect(copy.body == Array("bodymore".utf8))
        #expect(copy.headers[.accept] == "text/html")
        #expect(copy.target == "/a?x=1" && copy.query == "x=1" && copy.method == .post)
    }

    /// Changing a prepared response's fields drops their serialised form, changing its body
    /// drops its memory file, and `Connection: close` is noticed wherever it was set.
    @Test func responseChangesDropWhatWasPreparedFromThem() {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: FileBody.threshold)
        let prepared = HTTPResponse(status: .ok, headers: [.contentType: "text/plain"], body: body).preparedForSendfile()
        #expect(prepared.serializedFields != nil)
        #expect(prepared.file?.count == body.count)
        #expect(!prepared.closesConnection)

        var retitled = prepared
        retitled.headers.set(.connection, "close")
        #expect(retitled.serializedFields == nil)
        #expect(retitled.closesConnection)
        #expect(retitled.file != nil)
        #expect(prepared.serializedFields != nil && !prepared.closesConnection)

        var shortened = prepared
        shortened.body = Array("short".utf8)
        #expect(shortened.file == nil)
        #expect(shortened.serializedFields != nil)
        #expect(prepared.file != nil && prepared.body.count == body.count)

        var restated = prepared
        restated.status = .notFound
        #expect(restated.status == .notFound && restated.file != nil && prepared.status == .ok)

        #expect(HTTPResponse(headers: [.connection: "keep-alive, Close"]).closesConnection)
        #expect(!HTTPResponse(headers: [.connection: "keep-alive"]).closesConnection)
    }

    /// Paths compare as bytes: whole, by prefix and by suffix, at the edges (empty, shorter
    /// than the part sought) and where `String`'s canonical equivalence would say equal.
    @Test func pathsCompareAsBytes() {
        #expect("/api/v2/summary.json".sameBytes(as: "/api/v2/" + "summary.json"))
        #expect(!"/api/v2/summary.json".sameBytes(as: "/api/v2/summary.jsoN"))
        #expect("".sameBytes(as: ""))
        #expect(!"".sameBytes(as: "/"))
        #expect("/caf\u{E9}" == "/cafe\u{301}")
        #expect(!"/caf\u{E9}".sameBytes(as: "/cafe\u{301}"))
        #expect("/api/v2/x".startsWithBytes("/api/v2/"))
        #expect(!"/api/v".startsWithBytes("/api/v2/"))
        #expect("/anything".startsWithBytes(""))
        #expect("/status.json".endsWithBytes(".json"))
        #expect(!"/status.jso".endsWithBytes(".json"))
        #expect(!"json".endsWithBytes(".json"))
        #expect(".json".endsWithBytes(".json"))
    }

    /// Methods are read as one number; only the six spelled exactly in capitals are known.
    @Test func knownMethodsAreExactlyTheSix() {
        func known(_ text: String) -> HTTPMethod? { HTTPMethod.known(Array(text.utf8)[...]) }
        #expect(known("GET") == .get)
        #expect(known("PUT") == .put)
        #expect(known("HEAD") == .head)
        #expect(known("POST") == .post)
        #expect(known("PATCH") == .patch)
        #expect(known("DELETE") == .delete)
        for other in ["", "G", "GE", "get", "GETS", "\0GET", "OPTIONS", "DELETES", "PATC"] {
            #expect(known(other) == nil, "\(other)")
        }
    }
}
