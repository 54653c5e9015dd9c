/// A complete request: head and body, framing already removed.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request-target exactly as received (RFC 9112 §3.2).
    public var target: String
    /// The path, percent-decoded once, dot segments removed, always starting with `/`.
    public var path: String
    /// The query without `?`, still percent-encoded; nil when the target has none.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Whether the connection stays open after the response (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// The peer's address, e.g. `127.0.0.1` or `::1`; empty when unknown.
    public var remoteAddress: String = ""
    /// Names this request in every log line about it (see `RequestID`); set by the server.
    public var id: RequestID = .none

    public init(
        method: HTTPMethod, target: String, path: String, query: String? = nil,
        version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:], body: [UInt8] = [],
        keepAlive: Bool = true, remoteAddress: String = ""
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
        self.remoteAddress = remoteAddress
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
