/// Serialises responses into a connection's output queue (RFC 9112 §4, §6), with the
/// `Date` line formatted once a second rather than once a response.
struct ResponseWriter {
    private var dateSecond = -1
    private var dateLine: [UInt8] = []
    private let serverLine: [UInt8]
    /// The head being written, kept between responses for its capacity.
    private var head: [UInt8] = []

    init(serverName: String?) {
        serverLine = serverName.map { Array("Server: \($0)\r\n".utf8) } ?? []
    }

    /// Appends the status line, fields and (unless `omitBody`) the content of `response`.
    /// Returns the number of content bytes written, for the access log.
    mutating func write(_ response: HTTPResponse, keepAlive: Bool, version: HTTPVersion,
                        omitBody: Bool, nowSeconds: Int, into output: inout OutputQueue) -> Int {
        refreshDate(nowSeconds)
        head.removeAll(keepingCapacity: true)
        let status = response.status
        if status == .ok {
            head.append(contentsOf: okStatusLine)
        } else {
            head.append(contentsOf: httpVersion)
            appendDecimal(status.code, to: &head)
            head.append(.space)
            head.append(contentsOf: status.reasonPhrase.utf8)
            head.append(contentsOf: crlf)
        }
        head.append(contentsOf: serverLine)
        head.append(contentsOf: dateLine)
        if let fields = response.serializedFields {
            head.append(contentsOf: fields)
        } else {
            Self.appendFields(response.headers, to: &head)
        }
        if status.allowsContent {
            head.append(contentsOf: contentLengthName)
            appendDecimal(response.body.count, to: &head)
            head.append(contentsOf: crlf)
        }
        if !keepAlive {
            head.append(contentsOf: "Connection: close\r\n".utf8)
        } else if version == .http1_0 {
            head.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        head.append(contentsOf: crlf)
        output.append(contentsOf: head)
        guard status.allowsContent, !omitBody else { return 0 }
        // The body itself, not a copy, when it is large (see `OutputQueue`); from its memory
        // file when it has one.
        if let file = response.file {
            output.append(file: file)
        } else {
            output.append(body: response.body)
        }
        return response.body.count
    }

    /// Appends `name: value` CRLF for every field but those the server writes itself
    /// (framing, `Connection`, `Date`, `Server`), so a responder cannot send them twice.
    static func appendFields(_ headers: HTTPHeaders, to output: inout [UInt8]) {
        for field in headers.fields where !serverManagedFields.contains(field.name) {
            output.append(contentsOf: field.name.rawValue.utf8)
            output.append(contentsOf: colonSpace)
            // A CR or LF in a value would start a new field or a new response (response
            // splitting): every control character is sent as a space.
            if field.value.utf8.contains(where: isControlCharacter) {
                for byte in field.value.utf8 { output.append(isControlCharacter(byte) ? .space : byte) }
            } else {
                output.append(contentsOf: field.value.utf8)
            }
            output.append(contentsOf: crlf)
        }
    }

    private mutating func refreshDate(_ nowSeconds: Int) {
        guard nowSeconds != dateSecond else { return }
        dateSecond = nowSeconds
        dateLine = Array("Date: \(HTTPDate.format(nowSeconds))\r\n".utf8)
    }
}

private let crlf: [UInt8] = [.cr, .lf]
// Byte arrays rather than string literals: appending one is a copy, appending a string's
// UTF-8 view goes byte by byte.
private let okStatusLine = Array("HTTP/1.1 200 OK\r\n".utf8)
private let httpVersion = Array("HTTP/1.1 ".utf8)
private let contentLengthName = Array("Content-Length: ".utf8)

private let serverManagedFields: [HTTPHeaderName] = [.contentLength, .transferEncoding, .connection, .date, .server]

@inline(__always)
private func isControlCharacter(_ byte: UInt8) -> Bool {
    byte < 0x20 && byte != .tab || byte == 0x7F
}
private let colonSpace: [UInt8] = [UInt8(ascii: ":"), .space]

/// Appends the decimal digits of a non-negative integer without going through String.
@inline(__always)
func appendDecimal(_ value: Int, to output: inout [UInt8]) {
    if value < 10 {
        output.append(UInt8(ascii: "0") + UInt8(value))
        return
    }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var remaining = value
    withUnsafeMutableBytes(of: &digits) { buffer in
        while remaining > 0 {
            buffer[count] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            count += 1
        }
        for index in stride(from: count - 1, through: 0, by: -1) { output.append(buffer[index]) }
    }
}
