/// A complete request: head and body, framing already removed.
public struct HTTPRequest: Sendable {
    /// The fields live in one box, copied on write: a request passes through several hands
    /// (parser, event loop, router, handler), and a copy then costs one reference instead
    /// of one per field.
    private var storage: Storage

    private final class Storage: @unchecked Sendable {
        // Mutated only through `HTTPRequest`'s accessors, after `makeUnique()`: a box is never
        // shared while it changes, so the runtime's exclusivity checks (a third of the cost
        // of reading a field) are left out.
        @exclusivity(unchecked) var method: HTTPMethod
        @exclusivity(unchecked) var target: String
        @exclusivity(unchecked) var path: String
        @exclusivity(unchecked) var query: String?
        @exclusivity(unchecked) var version: HTTPVersion
        @exclusivity(unchecked) var headers: HTTPHeaders
        @exclusivity(unchecked) var body: [UInt8]
        @exclusivity(unchecked) var keepAlive: Bool
        @exclusivity(unchecked) var remoteAddress: String
        @exclusivity(unchecked) var id: RequestID

        init(method: HTTPMethod, target: String, path: String, query: String?, version: HTTPVersion,
             headers: HTTPHeaders, body: [UInt8], keepAlive: Bool, remoteAddress: String, id: RequestID) {
            self.method = method
            self.target = target
            self.path = path
            self.query = query
            self.version = version
            self.headers = headers
            self.body = body
            self.keepAlive = keepAlive
            self.remoteAddress = remoteAddress
            self.id = id
        }

        func copy() -> Storage {
            Storage(method: method, target: target, path: path, query: query, version: version, headers: headers,
                    body: body, keepAlive: keepAlive, remoteAddress: remoteAddress, id: id)
        }
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    public var method: HTTPMethod {
        get { storage.method }
        _modify { makeUnique(); yield &storage.method }
    }

    /// The request-target exactly as received (RFC 9112 §3.2).
    public var target: String {
        get { storage.target }
        _modify { makeUnique(); yield &storage.target }
    }

    /// The path, percent-decoded once, dot segments removed, always starting with `/`.
    public var path: String {
        get { storage.path }
        _modify { makeUnique(); yield &storage.path }
    }

    /// The query without `?`, still percent-encoded; nil when the target has none.
    public var query: String? {
        get { storage.query }
        _modify { makeUnique(); yield &storage.query }
    }

    public var version: HTTPVersion {
        get { storage.version }
        _modify { makeUnique(); yield &storage.version }
    }

    public var headers: HTTPHeaders {
        get { storage.headers }
        _modify { makeUnique(); yield &storage.headers }
    }

    public var body: [UInt8] {
        get { storage.body }
        _modify { makeUnique(); yield &storage.body }
    }

    /// Whether the connection stays open after the response (RFC 9112 §9.3).
    public var keepAlive: Bool {
        get { storage.keepAlive }
        _modify { makeUnique(); yield &storage.keepAlive }
    }

    /// The peer's address, e.g. `127.0.0.1` or `::1`; empty when unknown.
    public var remoteAddress: String {
        get { storage.remoteAddress }
        _modify { makeUnique(); yield &storage.remoteAddress }
    }

    /// Names this request in every log line about it (see `RequestID`); set by the server.
    public var id: RequestID {
        get { storage.id }
        _modify { makeUnique(); yield &storage.id }
    }

    public init(
        method: HTTPMethod, target: String, path: String, query: String? = nil,
        version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:], body: [UInt8] = [],
        keepAlive: Bool = true, remoteAddress: String = ""
    ) {
        storage = Storage(method: method, target: target, path: path, query: query, version: version,
                          headers: headers, body: body, keepAlive: keepAlive, remoteAddress: remoteAddress,
                          id: .none)
    }

    /// The query's `name=value` pairs, `+` and percent escapes decoded
    /// (application/x-www-form-urlencoded). Undecodable pairs are skipped.
    public var queryItems: [(name: String, value: String)] {
        guard let query else { return [] }
        return FormDecoding.pairs(Substring(query))
    }

    /// The first query value of `name`.
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}

/// Decoding of `application/x-www-form-urlencoded` pairs (WHATWG URL §5.1).
public enum FormDecoding {
    public static func pairs(_ text: Substring) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { return nil }
            guard let value = parts.count > 1 ? decode(parts[1]) : "" else { return nil }
            return (name, value)
        }
    }

    /// `+` as space, then percent escapes; nil on a bad escape or invalid UTF-8.
    public static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 { bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte) }
        guard let decoded = PercentDecoding.decode(bytes[...]) else { return nil }
        return String(validating: decoded, as: UTF8.self)
    }
}

/// Percent-decoding (RFC 3986 §2.1), once.
public enum PercentDecoding {
    /// The bytes with every `%XX` replaced; nil when a `%` is not followed by two hex digits.
    public static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        guard bytes.contains(UInt8(ascii: "%")) else { return Array(bytes) }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                      let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { return nil }
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(byte)
                index += 1
            }
        }
        return result
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
