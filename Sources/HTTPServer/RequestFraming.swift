/// What a request's header fields mean together: message framing (RFC 9112 §6), Host
/// (RFC 9112 §3.2), persistence (RFC 9112 §9.3).
enum RequestFraming {
    static func validate(_ line: RequestLine, _ headers: HTTPHeaders) -> Result<HTTPRequest, HTTPParseError> {
        let hosts = headers.values(.host)
        if hosts.count > 1 {
            return .failure(.badRequest("The request has more than one Host field."))
        }
        if line.version == .http1_1, hosts.isEmpty {
            return .failure(.badRequest("An HTTP/1.1 request must have a Host field."))
        }
        if let host = hosts.first, !host.utf8.allSatisfy(isHostCharacter) {
            return .failure(.badRequest("The Host field is not a valid host."))
        }

        let lengths = headers.values(.contentLength)
        let codings = headers.listElements(.transferEncoding)
        if headers.contains(.transferEncoding) {
            // RFC 9112 §6.1: a sender must not send both; a server may reject; behind a proxy
            // that honours the other one this is request smuggling.
            if !lengths.isEmpty {
                return .failure(.badRequest("The request has both Content-Length and Transfer-Encoding."))
            }
            if line.version == .http1_0 {
                return .failure(.badRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request."))
            }
            guard let last = codings.last, asciiCaseInsensitiveEquals(last, "chunked") else {
                if let unknown = codings.first(where: { !asciiCaseInsensitiveEquals($0, "chunked") }) {
                    return .failure(HTTPParseError(.notImplemented, "The transfer coding \"\(unknown)\" is not supported."))
                }
                return .failure(.badRequest("Transfer-Encoding must end with chunked."))
            }
            if codings.count > 1 {
                if let unknown = codings.first(where: { !asciiCaseInsensitiveEquals($0, "chunked") }) {
                    return .failure(HTTPParseError(.notImplemented, "The transfer coding \"\(unknown)\" is not supported."))
                }
                return .failure(.badRequest("chunked is applied more than once."))
            }
        } else if !lengths.isEmpty {
            guard lengths.count == 1, let only = lengths.first else {
                return .failure(.badRequest("The request has more than one Content-Length field."))
            }
            guard !only.isEmpty, only.utf8.count <= 18,
                  only.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else {
                return .failure(.badRequest("Content-Length is not a non-negative decimal number."))
            }
        }

        let connection = headers.listElements(.connection)
        let keepAlive: Bool
        if connection.contains(where: { asciiCaseInsensitiveEquals($0, "close") }) {
            keepAlive = false
        } else if line.version == .http1_0 {
            keepAlive = connection.contains { asciiCaseInsensitiveEquals($0, "keep-alive") }
        } else {
            keepAlive = true
        }
        return .success(HTTPRequest(
            method: line.method, target: line.target, path: line.path, query: line.query,
            version: line.version, headers: headers, keepAlive: keepAlive))
    }

    /// Characters of `uri-host [ ":" port ]` (RFC 3986 §3.2.2), IPv6 literals included.
    private static func isHostCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~!$&'()*+;=:[]%".utf8.contains(byte)
        }
    }
}
