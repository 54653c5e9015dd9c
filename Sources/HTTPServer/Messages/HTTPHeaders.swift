/// A field name (RFC 9110 §5.1). Names compare case-insensitively.
public struct HTTPHeaderName: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name as written by whoever made it; compare with `==`, which ignores case.
    public let rawValue: String
    /// The length and the first bytes folded to lower case, packed: two names that differ
    /// here differ, so most comparisons (a lookup compares with every field) end on it.
    private let key: UInt64

    public init(_ rawValue: String) {
        self.rawValue = rawValue
        var text = rawValue
        key = text.withUTF8 { bytes in
            var key = UInt64(min(bytes.count, 255)) << 56
            for offset in 0..<min(bytes.count, 7) {
                key |= UInt64(asciiLowercased(bytes[offset])) << UInt64(48 - 8 * offset)
            }
            return key
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { rawValue }

    public static func == (lhs: HTTPHeaderName, rhs: HTTPHeaderName) -> Bool {
        lhs.key == rhs.key && (lhs.rawValue.utf8.count <= 7 || asciiCaseInsensitiveEquals(lhs.rawValue, rhs.rawValue))
    }

    public func hash(into hasher: inout Hasher) {
        for byte in rawValue.utf8 { hasher.combine(asciiLowercased(byte)) }
    }

    public static let accept: HTTPHeaderName = "Accept"
    public static let acceptEncoding: HTTPHeaderName = "Accept-Encoding"
    public static let acceptLanguage: HTTPHeaderName = "Accept-Language"
    public static let allow: HTTPHeaderName = "Allow"
    public static let authorization: HTTPHeaderName = "Authorization"
    public static let cacheControl: HTTPHeaderName = "Cache-Control"
    public static let connection: HTTPHeaderName = "Connection"
    public static let contentEncoding: HTTPHeaderName = "Content-Encoding"
    public static let contentLength: HTTPHeaderName = "Content-Length"
    public static let contentType: HTTPHeaderName = "Content-Type"
    public static let date: HTTPHeaderName = "Date"
    public static let etag: HTTPHeaderName = "ETag"
    public static let expect: HTTPHeaderName = "Expect"
    public static let host: HTTPHeaderName = "Host"
    public static let ifModifiedSince: HTTPHeaderName = "If-Modified-Since"
    public static let ifNoneMatch: HTTPHeaderName = "If-None-Match"
    public static let lastModified: HTTPHeaderName = "Last-Modified"
    public static let location: HTTPHeaderName = "Location"
    public static let retryAfter: HTTPHeaderName = "Retry-After"
    public static let xRequestID: HTTPHeaderName = "X-Request-Id"
    public static let server: HTTPHeaderName = "Server"
    public static let transferEncoding: HTTPHeaderName = "Transfer-Encoding"
    public static let vary: HTTPHeaderName = "Vary"
    public static let wwwAuthenticate: HTTPHeaderName = "WWW-Authenticate"
}

/// An ordered list of header fields. Repeated fields are kept in order (RFC 9110 §5.3);
/// lookups ignore the case of names.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: HTTPHeaderName
        public var value: String
    }

    public private(set) var fields: [Field] = []

    public init() {}

    public init(dictionaryLiteral elements: (HTTPHeaderName, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The first value of `name`, if any.
    public subscript(name: HTTPHeaderName) -> String? {
        guard let index = firstIndex(of: name) else { return nil }
        return fields[index].value
    }

    /// The index in `fields` of the first field named `name`: a plain loop, which the
    /// lookups of every request use (`first(where:)` copies each field it looks at).
    private func firstIndex(of name: HTTPHeaderName) -> Int? {
        var index = 0
        while index < fields.count {
            if fields[index].name == name { return index }
            index += 1
        }
        return nil
    }

    /// Every value of `name`, in order.
    public func values(_ name: HTTPHeaderName) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// Every comma-separated element of every `name` field, trimmed, empty ones dropped
    /// (the list syntax of RFC 9110 §5.6.1).
    public func listElements(_ name: HTTPHeaderName) -> [Substring] {
        var elements: [Substring] = []
        for field in fields where field.name == name {
            for element in field.value.split(separator: ",") {
                let trimmed = element.trimmingOWS()
                if !trimmed.isEmpty { elements.append(trimmed) }
            }
        }
        return elements
    }

    public func contains(_ name: HTTPHeaderName) -> Bool {
        firstIndex(of: name) != nil
    }

    public mutating func reserveCapacity(_ count: Int) { fields.reserveCapacity(count) }

    /// Appends a field, keeping any of the same name.
    public mutating func add(_ name: HTTPHeaderName, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field of `name` with one.
    public mutating func set(_ name: HTTPHeaderName, _ value: String) {
        remove(name)
        fields.append(Field(name: name, value: value))
    }

    public mutating func remove(_ name: HTTPHeaderName) {
        fields.removeAll { $0.name == name }
    }
}

extension Substring {
    /// Drops optional white space (SP and HTAB, RFC 9110 §5.6.3) at both ends.
    func trimmingOWS() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}

@inline(__always)
func asciiLowercased(_ byte: UInt8) -> UInt8 {
    byte &- 0x41 < 26 ? byte | 0x20 : byte
}

/// Compares two strings ignoring ASCII case, without allocating. Field names are compared
/// on every lookup of every request, so this one reads the bytes in place: lengths first,
/// then equal bytes, then folded ones.
public func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
    let aBytes = a.utf8, bBytes = b.utf8
    guard aBytes.count == bBytes.count else { return false }
    let inPlace = aBytes.withContiguousStorageIfAvailable { x in
        bBytes.withContiguousStorageIfAvailable { y in
            for index in 0..<x.count where x[index] != y[index] {
                guard asciiLowercased(x[index]) == asciiLowercased(y[index]) else { return false }
            }
            return true
        }
    }
    if let inPlace, let result = inPlace { return result }
    return asciiCaseInsensitiveEquals(Substring(a), Substring(b))
}

/// Compares two strings ignoring ASCII case, without allocating.
public func asciiCaseInsensitiveEquals<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
    let aBytes = a.utf8, bBytes = b.utf8
    guard aBytes.count == bBytes.count else { return false }
    var aIterator = aBytes.makeIterator(), bIterator = bBytes.makeIterator()
    while let x = aIterator.next(), let y = bIterator.next() {
        if x != y, asciiLowercased(x) != asciiLowercased(y) { return false }
    }
    return true
}
