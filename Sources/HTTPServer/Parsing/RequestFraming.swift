/// What a request's header fields mean together: message framing (RFC 9112 §6), Host
/// (RFC 9112 §3.2), persistence (RFC 9112 §9.3).
enum RequestFraming {
    /// How the body that follows the head is framed, as the fields said.
    struct Body {
        var chunked = false
        var contentLength = 0
        /// The first `Expect` field's value.
        var expectation: String?
    }

    static func validate(_ line: RequestLine, _ headers: HTTPHeaders)
        -> Result<(request: HTTPRequest, framing: Body), HTTPParseError> {
        // One pass over the fields for everything framing needs; most requests have none
        // of these but Host.
        var host: String?
        var hostCount = 0
        var contentLengthCount = 0
        var contentLength: String?
        var hasTransferEncoding = false
        var hasConnection = false
        var framing = Body()
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
            } else if field.name == .expect, framing.expectation == nil {
                framing.expectation = field.value
            }
        }
        if hostCount > 1 {
            return .failure(.badRequest("The request has more than one Host field."))
        }
        if line.version == .http1_1, hostCount == 0 {
            return .failure(.badRequest("An HTTP/1.1 request must have a Host field."))
        }
        if let host, !(host.utf8.withContiguousStorageIfAvailable(isValidHost)
                        ?? Array(host.utf8).withUnsafeBufferPointer(isValidHost)) {
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
            framing.chunked = true
        } else if let contentLength {
            guard contentLengthCount == 1 else {
                return .failure(.badRequest("The request has more than one Content-Length field."))
            }
            guard !contentLength.isEmpty, contentLength.utf8.count <= 18,
                  contentLength.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else {
                return .failure(.badRequest("Content-Length is not a non-negative decimal number."))
            }
            framing.contentLength = Int(contentLength) ?? 0
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
        return .success((HTTPRequest(
            method: line.method, target: line.target, path: line.path, query: line.query,
            version: line.version, headers: headers, keepAlive: keepAlive), framing))
    }

    /// `Host = uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2): an IP literal in
    /// brackets, or a reg-name (which covers IPv4 addresses) with valid percent escapes; a
    /// port of 1 to 5 digits up to 65535. Empty is allowed (a target with no authority).
    /// RFC 9112 §3.2 requires 400 for anything else.
    static func isValidHost(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var rest = bytes[...]
        if rest.first == UInt8(ascii: "[") {
            guard let close = rest.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = rest[rest.index(after: rest.startIndex)..<close]
            guard literal.contains(UInt8(ascii: ":")), literal.allSatisfy(isIPLiteralCharacter) else { return false }
            rest = rest[rest.index(after: close)...]
        } else {
            let end = rest.firstIndex(of: UInt8(ascii: ":")) ?? rest.endIndex
            guard isRegName(rest[..<end]) else { return false }
            rest = rest[end...]
        }
        guard let colon = rest.first else { return true }
        let port = rest.dropFirst()
        guard colon == UInt8(ascii: ":"), (1...5).contains(port.count), port.allSatisfy(isDigit) else { return false }
        return port.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } <= 65535
    }

    /// `*( unreserved / pct-encoded / sub-delims )`.
    private static func isRegName(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else {
                    return false
                }
                index += 3
                continue
            }
            guard isRegNameCharacter(byte) else { return false }
            index += 1
        }
        return true
    }

    @inline(__always)
    private static func isRegNameCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    /// IPv6 addresses (with an embedded IPv4 part) and IPvFuture, loosely: hex digits, `:`,
    /// `.`, and `v` for the version.
    @inline(__always)
    private static func isIPLiteralCharacter(_ byte: UInt8) -> Bool {
        isHexDigit(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "v")
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    @inline(__always)
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }
}
