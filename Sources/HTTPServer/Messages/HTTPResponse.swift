/// A response to send. `Content-Length`, `Date` and `Connection` are added by the server;
/// everything else is the responder's.
public struct HTTPResponse: Sendable {
    /// Status, fields and body live in one immutable box: a response is copied several times
    /// on its way out (from the snapshot, through the router, into the writer), and a copy
    /// then costs one reference instead of one per field. Changing a field makes a new box.
    private var storage: Storage

    private final class Storage: Sendable {
        let status: HTTPStatus
        let headers: HTTPHeaders
        let body: [UInt8]
        let file: FileBody?
        let serializedFields: [UInt8]?
        /// Whether `headers` say `Connection: close`, read once here rather than per send.
        let closesConnection: Bool

        init(status: HTTPStatus, headers: HTTPHeaders, body: [UInt8], file: FileBody?, serializedFields: [UInt8]?) {
            self.status = status
            self.headers = headers
            self.body = body
            self.file = file
            self.serializedFields = serializedFields
            closesConnection = headers.contains(.connection)
                && headers.listElements(.connection).contains { asciiCaseInsensitiveEquals($0, "close") }
        }
    }

    public var status: HTTPStatus {
        get { storage.status }
        set {
            storage = Storage(status: newValue, headers: storage.headers, body: storage.body, file: storage.file,
                              serializedFields: storage.serializedFields)
        }
    }

    /// Changing the fields drops their prepared form.
    public var headers: HTTPHeaders {
        get { storage.headers }
        set {
            storage = Storage(status: storage.status, headers: newValue, body: storage.body, file: storage.file,
                              serializedFields: nil)
        }
    }

    /// Changing the body drops its memory file.
    public var body: [UInt8] {
        get { storage.body }
        set {
            storage = Storage(status: storage.status, headers: storage.headers, body: newValue, file: nil,
                              serializedFields: storage.serializedFields)
        }
    }

    /// `body` in a memory file, sent with `sendfile(2)` (see `FileBody`); set by
    /// `preparedForSendfile()`, dropped when `body` changes.
    public var file: FileBody? { storage.file }
    /// `headers` as they go on the wire, when `prepare()` made them ahead of time.
    var serializedFields: [UInt8]? { storage.serializedFields }
    /// Whether the responder ends the connection with `Connection: close`.
    var closesConnection: Bool { storage.closesConnection }
    /// The route that produced the response, for metrics; set by `Router`.
    public var route: RouteTag?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        storage = Storage(status: status, headers: headers, body: body, file: nil, serializedFields: nil)
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
        storage = Storage(status: status, headers: headers, body: body, file: file, serializedFields: bytes)
    }

    /// A prepared copy of this response (see `prepare()`).
    public func prepared() -> HTTPResponse {
        var response = self
        response.prepare()
        return response
    }

    /// A prepared copy whose body, when at least `FileBody.threshold` bytes, is also held in
    /// a memory file and sent from it. For the few large documents a snapshot prepares: each
    /// holds a file descriptor while it lives.
    public func preparedForSendfile() -> HTTPResponse {
        var response = prepared()
        if response.body.count >= FileBody.threshold {
            response.storage = Storage(status: response.status, headers: response.headers, body: response.body,
                                       file: FileBody(response.body), serializedFields: response.serializedFields)
        }
        return response
    }

    /// An RFC 9457 problem document: `application/problem+json` with `type` (`about:blank`:
    /// the status says it all), `title`, `status` and a `detail` that names what was wrong.
    /// `extensionMembers` writes members of the caller's own after those (RFC 9457 §3.2).
    public static func problem(_ status: HTTPStatus, detail: String, headers: HTTPHeaders = [:],
                               extensionMembers: (inout JSONWriter) -> Void = { _ in }) -> HTTPResponse {
        var writer = JSONWriter(capacity: 128 + detail.utf8.count)
        writer.beginObject()
        writer.field("type", "about:blank")
        writer.field("title", status.reasonPhrase)
        writer.field("status", status.code)
        writer.field("detail", detail)
        extensionMembers(&writer)
        writer.endObject()
        var response = HTTPResponse(status: status, headers: headers, body: writer.bytes)
        response.headers.set(.contentType, "application/problem+json")
        return response
    }
}
