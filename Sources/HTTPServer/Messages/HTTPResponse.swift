/// A response to send. `Content-Length`, `Date` and `Connection` are added by the server;
/// everything else is the responder's.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders {
        didSet { serializedFields = nil }
    }
    public var body: [UInt8]
    /// `headers` as they go on the wire, when `prepare()` made them ahead of time.
    private(set) var serializedFields: [UInt8]?
    /// The route that produced the response, for metrics; set by `Router`.
    public var route: RouteTag?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: HTTPStatus = .ok, contentType: String, body: String) {
        self.init(status: status, headers: [.contentType: contentType], body: Array(body.utf8))
    }

    /// 404 for `path`, as a problem document.
    public static func notFound(_ path: String) -> HTTPResponse {
        .problem(.notFound, detail: "Nothing is found at \(path).")
    }

    /// 405 naming the allowed methods, in the body and in `Allow` (RFC 9110 §15.5.6).
    public static func methodNotAllowed(_ method: HTTPMethod, path: String, allow: String) -> HTTPResponse {
        .problem(.methodNotAllowed, detail: "\(method) is not allowed on \(path); allowed: \(allow).",
                 headers: [.allow: allow])
    }

    /// Serialises the header fields once, for a response that is built once and sent many
    /// times (static files, prebuilt pages). Changing `headers` later undoes it.
    public mutating func prepare() {
        var bytes: [UInt8] = []
        ResponseWriter.appendFields(headers, to: &bytes)
        serializedFields = bytes
    }

    /// A prepared copy of this response (see `prepare()`).
    public func prepared() -> HTTPResponse {
        var response = self
        response.prepare()
        return response
    }

    /// An RFC 9457 problem document: `application/problem+json` with `title`, `status` and
    /// a `detail` that names what was wrong.
    public static func problem(_ status: HTTPStatus, detail: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: headers)
        response.headers.set(.contentType, "application/problem+json")
        response.body = Array(("{\"type\":\"about:blank\",\"title\":\(jsonString(status.reasonPhrase)),"
            + "\"status\":\(status.code),\"detail\":\(jsonString(detail))}").utf8)
        return response
    }
}

/// A JSON string literal for `text`, with the escapes RFC 8259 §7 requires.
public func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\u{2028}": result += "\\u2028"
        case "\u{2029}": result += "\\u2029"
        case let control where control.value < 0x20:
            let hex = String(control.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
