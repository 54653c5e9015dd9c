/// What a request's header fields mean together: message framing (RFC 9112 §6), Host
/// (RFC 9112 §3.2), persistence (RFC 9112 §9.3).
enum RequestFraming {
    static func validate(_ line: RequestLine, _ headers: HTTPHeaders) -> Result<HTTPRequest, HTTPParseError> {
        // One pass over the fields for everything framing needs; most requests have none
        // of these but Host.
        var host: String?
        var hostCount = 0
        var contentLengthCount = 0
        var contentLength: String?
        var hasTransferEncoding = false
        var hasConnection = false
        for field in headers.fields {
            if field.name == .host {
                hostCount += 1
                host = field.value
            } else if field.name == .contentLength {
                contentLengthCount += 1
                contentLength = field.value
            } else if field.name == .transferEncoding {
                hasTransferEncoding = true
            } else if field.name == .connection {
                hasConnection = true
            }
        }
        if hostCount > 1 {
            return .failure(.badRequest("The request has more than one Host field."))
        }
        if line.version == .http1_1, hostCount == 0 {
            return .failure(.badRequest("An HTTP/1.1 request must have a Host field."))
        }
        if let host, !host.utf8.allSatisfy(isHostCharacter) {
            return .failure(.badRequest("The Host field is not a valid host."))
        }

        if hasTransferEncoding {
            let codings = headers.listElements(.transferEncoding)
            // RFC 9112 §6.1: a sender must not send both; a server may reject; behind a proxy
            // that honours the other one this is request smuggling.
            if contentLengthCount > 0 {
                return .failure(.badRequest("The request has both Content-Length and Transfer-Encoding."))
            }
            if line.version == .http1_0 {
                return .failure(.badRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request."))
            }
            if let unknown = codings.first(where: { !asciiCaseInsensitiveEquals($0, "chunked") }) {
                return .failure(HTTPParseError(.notImplemented, "The transfer coding \"\(unknown)\" is not supported."))
            }
            if codings.count != 1 {
                return .failure(.badRequest(codings.isEmpty
                    ? "Transfer-Encoding is empty."
                    : "chunked is applied more than once."))
            }
        } else if let contentLength {
            guard contentLengthCount == 1 else {
                return .failure(.badRequest("The request has more than one Content-Length field."))
            }
            guard !contentLength.isEmpty, contentLength.utf8.count <= 18,
                  contentLength.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else {
                return .failure(.badRequest("Content-Length is not a non-negative decimal number."))
            }
        }

        let connection = hasConnection ? headers.listElements(.connection) : []
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
    @inline(__always)
    private static func isHostCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "%"):
            return true
        default:
            return false
        }
    }
}
