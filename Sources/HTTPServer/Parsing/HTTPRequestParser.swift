/// An incremental HTTP/1.x request parser: bytes in, requests or a typed error out.
///
/// A pure value: no sockets, no clocks. The connection appends what it reads and asks for
/// the next event until it gets `.needMoreData`. Framing follows RFC 9112 strictly, since a
/// lenient parser behind a proxy that reads the same bytes differently is how requests are
/// smuggled: every ambiguity is an error and the connection is closed.
public struct HTTPRequestParser: Sendable {
    public enum Event: Sendable {
        /// A complete request; its bytes have been consumed.
        case request(HTTPRequest)
        /// Nothing more can be decided until more bytes arrive.
        case needMoreData
        /// The head of a request that sent `Expect: 100-continue` is complete and its body has
        /// not started: the client waits for `100 Continue` before sending it (RFC 9110 §10.1.1).
        case continueExpected
        /// The request is malformed or over a limit. Every later call returns the same error.
        case failure(HTTPParseError)
    }

    public struct Limits: Sendable {
        public var maxRequestLineBytes: Int
        public var maxHeaderBytes: Int
        public var maxHeaderCount: Int
        public var maxBodyBytes: Int
        public var maxChunkSizeLineBytes: Int

        public init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 16384,
                    maxHeaderCount: Int = 100, maxBodyBytes: Int = 1 << 20, maxChunkSizeLineBytes: Int = 1024) {
            self.maxRequestLineBytes = maxRequestLineBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
            self.maxChunkSizeLineBytes = maxChunkSizeLineBytes
        }

        public init(_ configuration: Configuration) {
            self.init(maxRequestLineBytes: configuration.maxRequestLineBytes,
                      maxHeaderBytes: configuration.maxHeaderBytes,
                      maxHeaderCount: configuration.maxHeaderCount,
                      maxBodyBytes: configuration.maxBodyBytes,
                      maxChunkSizeLineBytes: configuration.maxChunkSizeLineBytes)
        }
    }

    private enum State: Sendable {
        case head
        case contentLengthBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int, count: Int)
        case failed(HTTPParseError)
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// In `.head`: how far from `readIndex` the bytes have been checked for line endings.
    private var scannedHeadBytes = 0
    private var requestLineLength: Int?
    private var state = State.head
    private var pending: HTTPRequest?
    /// How `pending`'s body is framed.
    private var pendingFraming = RequestFraming.Body()
    private var continueRequested = false

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Bytes received and not yet consumed by a request.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether part of a request has arrived: the connection is not idle.
    public var isMidRequest: Bool {
        if case .head = state { return bufferedByteCount > 0 }
        return true
    }

    /// Whether the head is complete and the body is still arriving.
    public var isReadingBody: Bool {
        switch state {
        case .head, .failed: return false
        default: return true
        }
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next thing the connection should act on.
    public mutating func next() -> Event {
        while true {
            switch state {
            case .failed(let error):
                return .failure(error)
            case .head:
                switch parseHead() {
                case .failure(let error):
                    state = .failed(error)
                    return .failure(error)
                case .needMoreData:
                    return .needMoreData
                case .complete:
                    if let event = startBody() { return event }
                }
            case .contentLengthBody(let remaining):
                let available = min(remaining, bufferedByteCount)
                pending!.body.append(contentsOf: buffer[readIndex..<readIndex + available])
                readIndex += available
                if available == remaining { return finishRequest() }
                state = .contentLengthBody(remaining: remaining - available)
                return .needMoreData
            case .chunkSizeLine:
                switch readLine(limit: limits.maxChunkSizeLineBytes, what: "chunk size line") {
                case .failure(let error): return fail(error)
                case .needMoreData: return .needMoreData
                case .line(let line):
                    switch parseChunkSize(line) {
                    case .failure(let error): return fail(error)
                    case .size(0): state = .trailers(bytes: 0, count: 0)
                    case .size(let size):
                        guard size <= limits.maxBodyBytes - pending!.body.count else {
                            return fail(HTTPParseError(.contentTooLarge,
                                "The request body is larger than \(limits.maxBodyBytes) bytes."))
                        }
                        state = .chunkData(remaining: size)
                    }
                }
            case .chunkData(let remaining):
                let available = min(remaining, bufferedByteCount)
                pending!.body.append(contentsOf: buffer[readIndex..<readIndex + available])
                readIndex += available
                if available < remaining {
                    state = .chunkData(remaining: remaining - available)
                    return .needMoreData
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard bufferedByteCount >= 2 else { return .needMoreData }
                guard buffer[readIndex] == .cr, buffer[readIndex + 1] == .lf else {
                    return fail(.badRequest("A chunk's data must be followed by CRLF."))
                }
                readIndex += 2
                state = .chunkSizeLine
            case .trailers(let bytes, let count):
                // The final empty line does not count against the limit, as for headers.
                switch readLine(limit: limits.maxHeaderBytes - bytes + 2, what: "trailer section") {
                case .failure(let error): return fail(error)
                case .needMoreData: return .needMoreData
                case .line(let line):
                    if line.isEmpty { return finishRequest() }
                    guard bytes + line.count + 2 <= limits.maxHeaderBytes else {
                        return fail(HTTPParseError(.requestHeaderFieldsTooLarge, "The trailer section is too large."))
                    }
                    guard count < limits.maxHeaderCount else {
                        return fail(HTTPParseError(.requestHeaderFieldsTooLarge,
                            "More than \(limits.maxHeaderCount) trailer fields."))
                    }
                    // Trailer fields are checked like header fields, then discarded
                    // (RFC 9110 §6.5.1: nothing here needs them).
                    if case .failure(let error) = Self.parseField(line) { return fail(error) }
                    state = .trailers(bytes: bytes + line.count + 2, count: count + 1)
                }
            }
        }
    }

    // MARK: - Head

    private enum HeadProgress {
        case complete
        case needMoreData
        case failure(HTTPParseError)
    }

    /// Finds the end of the head, checking line endings as bytes arrive so that a client
    /// sending bare LF or bare CR is refused at once rather than at the deadline.
    private mutating func parseHead() -> HeadProgress {
        // RFC 9112 §2.2: ignore empty lines before the request line, also when their CR and
        // LF arrive in different reads.
        while scannedHeadBytes == 0, bufferedByteCount >= 1, buffer[readIndex] == .cr {
            guard bufferedByteCount >= 2 else { return .needMoreData }
            guard buffer[readIndex + 1] == .lf else { break }
            readIndex += 2
        }
        let start = readIndex
        let maxHeadBytes = limits.maxRequestLineBytes + 2 + limits.maxHeaderBytes + 2
        var headEnd: Int?
        var failure: HTTPParseError?
        var lineLength = requestLineLength
        var scanned = scannedHeadBytes
        let limits = self.limits
        buffer.withUnsafeBufferPointer { bytes in
            var index = start + scanned
            // Bytes past this point are over a limit whatever they hold.
            let scanEnd = min(bytes.count, start + maxHeadBytes + 1)
            var previous: UInt8 = index > start ? bytes[index - 1] : 0
            // Where the request line is over its limit if no line has ended by then.
            let requestLineEnd = min(scanEnd, start + limits.maxRequestLineBytes + 2)
            while index < scanEnd {
                // Bytes other than CR and LF need no more than a look: skip them in a tight loop.
                if previous != .cr {
                    let stop = lineLength == nil ? requestLineEnd : scanEnd
                    var next = index
                    while next < stop, bytes[next] != .cr, bytes[next] != .lf { next += 1 }
                    if next > index {
                        previous = bytes[next - 1]
                        index = next
                        if lineLength == nil, index - start > limits.maxRequestLineBytes + 1 {
                            failure = HTTPParseError(.uriTooLong,
                                "The request line is longer than \(limits.maxRequestLineBytes) bytes.")
                            return
                        }
                        continue
                    }
                }
                let byte = bytes[index]
                if byte == .lf {
                    guard previous == .cr else {
                        failure = .badRequest("Lines must end with CRLF; found a bare LF.")
                        return
                    }
                    if lineLength == nil {
                        lineLength = index - 1 - start
                    } else if index - start >= 3, bytes[index - 2] == .lf {
                        headEnd = index + 1
                        return
                    }
                } else if previous == .cr {
                    failure = .badRequest("A CR must be followed by LF; found a bare CR.")
                    return
                }
                previous = byte
                index += 1
                if lineLength == nil, index - start > limits.maxRequestLineBytes + 1 {
                    failure = HTTPParseError(.uriTooLong,
                        "The request line is longer than \(limits.maxRequestLineBytes) bytes.")
                    return
                }
            }
            if index - start > maxHeadBytes {
                failure = lineLength == nil
                    ? HTTPParseError(.uriTooLong, "The request line is longer than \(limits.maxRequestLineBytes) bytes.")
                    : HTTPParseError(.requestHeaderFieldsTooLarge,
                                     "The header section is larger than \(limits.maxHeaderBytes) bytes.")
                return
            }
            scanned = index - start
        }
        scannedHeadBytes = scanned
        requestLineLength = lineLength
        if let failure { return .failure(failure) }
        guard let headEnd else { return .needMoreData }

        let head = buffer[start..<headEnd - 2]
        readIndex = headEnd
        scannedHeadBytes = 0
        requestLineLength = nil
        guard let lineLength else { return .failure(.badRequest("The request has no request line.")) }
        if lineLength > limits.maxRequestLineBytes {
            return .failure(HTTPParseError(.uriTooLong,
                "The request line is longer than \(limits.maxRequestLineBytes) bytes."))
        }
        if head.count - lineLength - 2 > limits.maxHeaderBytes {
            return .failure(HTTPParseError(.requestHeaderFieldsTooLarge,
                "The header section is larger than \(limits.maxHeaderBytes) bytes."))
        }
        switch Self.parseHead(head, requestLineLength: lineLength, limits: limits) {
        case .failure(let error): return .failure(error)
        case .success(let parsed):
            pending = parsed.request
            pendingFraming = parsed.framing
            return .complete
        }
    }

    /// Parses a whole head: request line, then fields, then what they mean together.
    static func parseHead(_ head: ArraySlice<UInt8>, requestLineLength: Int, limits: Limits)
        -> Result<(request: HTTPRequest, framing: RequestFraming.Body), HTTPParseError> {
        let lineEnd = head.startIndex + requestLineLength
        let requestLine: RequestLine
        switch RequestLine.parse(head[head.startIndex..<lineEnd]) {
        case .failure(let error): return .failure(error)
        case .success(let line): requestLine = line
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(min(limits.maxHeaderCount, 16))   // one allocation for a browser's fields
        var lineStart = lineEnd + 2
        while lineStart < head.endIndex {
            var end = lineStart
            while head[end] != .cr { end += 1 }
            guard headers.count < limits.maxHeaderCount else {
                return .failure(HTTPParseError(.requestHeaderFieldsTooLarge,
                    "More than \(limits.maxHeaderCount) header fields."))
            }
            switch parseField(head[lineStart..<end]) {
            case .failure(let error): return .failure(error)
            case .success(let field): headers.add(field.name, field.value)
            }
            lineStart = end + 2
        }
        return RequestFraming.validate(requestLine, headers)
    }

    /// `field-name ":" OWS field-value OWS` (RFC 9112 §5).
    static func parseField(_ line: ArraySlice<UInt8>) -> Result<HTTPHeaders.Field, HTTPParseError> {
        if let first = line.first, first == .space || first == .tab {
            return .failure(.badRequest("Obsolete line folding (a field line starting with white space) is not accepted."))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            return .failure(.badRequest("A header field line has no colon."))
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty else { return .failure(.badRequest("A header field has an empty name.")) }
        if let last = name.last, last == .space || last == .tab {
            return .failure(.badRequest("White space between a header field name and its colon is not allowed."))
        }
        guard name.allSatisfy(isTokenCharacter) else {
            return .failure(.badRequest("A header field name contains a character that is not allowed."))
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == .space || first == .tab { value.removeFirst() }
        while let last = value.last, last == .space || last == .tab { value.removeLast() }
        for byte in value where byte < 0x20 && byte != .tab || byte == 0x7F {
            return .failure(.badRequest(byte == 0
                ? "A header field value contains NUL."
                : "A header field value contains a control character."))
        }
        return .success(HTTPHeaders.Field(
            name: HTTPHeaderName(String(decoding: name, as: UTF8.self)),
            value: String(decoding: value, as: UTF8.self)))
    }

    // MARK: - Body

    /// Decides how the body is framed once the head is in. Returns an event when there is
    /// one to report now.
    private mutating func startBody() -> Event? {
        let framing = pendingFraming
        let expectsContinue: Bool
        switch framing.expectation {
        case nil: expectsContinue = false
        // RFC 9110 §10.1.1: a server must ignore Expect: 100-continue from an HTTP/1.0 client.
        case _ where pending?.version == .http1_0: expectsContinue = false
        case let value? where asciiCaseInsensitiveEquals(value, "100-continue"): expectsContinue = true
        case let value?:
            return fail(HTTPParseError(.expectationFailed, "The expectation \"\(value)\" is not supported."))
        }
        if framing.chunked {
            state = .chunkSizeLine
        } else if framing.contentLength > 0 {
            let length = framing.contentLength
            guard length <= limits.maxBodyBytes else {
                return fail(HTTPParseError(.contentTooLarge,
                    "The request body (\(length) bytes) is larger than \(limits.maxBodyBytes) bytes."))
            }
            pending!.body.reserveCapacity(length)
            state = .contentLengthBody(remaining: length)
        } else {
            return finishRequest()
        }
        if expectsContinue, bufferedByteCount == 0 {
            return .continueExpected
        }
        return nil
    }

    private mutating func finishRequest() -> Event {
        state = .head
        return .request(pending.take()!)
    }

    private mutating func fail(_ error: HTTPParseError) -> Event {
        state = .failed(error)
        pending = nil
        return .failure(error)
    }

    private enum LineResult {
        case line(ArraySlice<UInt8>)
        case needMoreData
        case failure(HTTPParseError)
    }

    /// The next CRLF-terminated line of a chunked body, consumed.
    private mutating func readLine(limit: Int, what: String) -> LineResult {
        var index = readIndex
        while index < buffer.count {
            let byte = buffer[index]
            if byte == .lf {
                guard index > readIndex, buffer[index - 1] == .cr else {
                    return .failure(.badRequest("Lines must end with CRLF; found a bare LF in the \(what)."))
                }
                let line = buffer[readIndex..<index - 1]
                readIndex = index + 1
                return .line(line)
            }
            if index > readIndex, buffer[index - 1] == .cr {
                return .failure(.badRequest("A CR must be followed by LF; found a bare CR in the \(what)."))
            }
            index += 1
            if index - readIndex > limit {
                return .failure(what == "trailer section"
                    ? HTTPParseError(.requestHeaderFieldsTooLarge, "The trailer section is too large.")
                    : .badRequest("The \(what) is too long."))
            }
        }
        return .needMoreData
    }

    private enum ChunkSize {
        case size(Int)
        case failure(HTTPParseError)
    }

    /// `chunk-size [ chunk-ext ]` (RFC 9112 §7.1). Extensions are accepted and ignored.
    private func parseChunkSize(_ line: ArraySlice<UInt8>) -> ChunkSize {
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let digit = PercentDecoding.hexValue(line[index]) {
            guard digits < 15 else { return .failure(.badRequest("A chunk size is too large.")) }
            size = size << 4 | Int(digit)
            digits += 1
            index += 1
        }
        guard digits > 0 else { return .failure(.badRequest("A chunk size is not a hexadecimal number.")) }
        var rest = line[index...]
        while let first = rest.first, first == .space || first == .tab { rest.removeFirst() }
        if let first = rest.first {
            guard first == UInt8(ascii: ";") else {
                return .failure(.badRequest("A chunk size is followed by something other than an extension."))
            }
            for byte in rest where byte < 0x20 && byte != .tab || byte == 0x7F {
                return .failure(.badRequest("A chunk extension contains a control character."))
            }
        }
        return .size(size)
    }

    /// Drops consumed bytes so the buffer does not grow with a long-lived connection.
    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 4096, readIndex * 2 > buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}

/// `tchar` of RFC 9110 §5.6.2.
@inline(__always)
func isTokenCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"),
         UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
         UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
         UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
         UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
        return true
    default:
        return false
    }
}

extension UInt8 {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
}
