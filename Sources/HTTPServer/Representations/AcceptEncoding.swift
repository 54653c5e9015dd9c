/// The content codings Warta prepares representations in (RFC 9110 §8.4.1).
public enum ContentCoding: Sendable, Equatable {
    case identity, gzip, brotli
}

/// What a request's `Accept-Encoding` says about the codings Warta has (RFC 9110 §12.5.3),
/// read on bytes, in place: this runs for every request of the read path.
///
/// A coding's weight is its own `q`, else that of `*`, else 0 (not acceptable). No
/// `Accept-Encoding` at all means any coding is acceptable, but clients that send none are
/// mostly tools that do not decompress, so Warta sends identity then, as nginx and every
/// CDN do.
public struct AcceptEncoding: Sendable, Equatable {
    /// Weights in thousandths, nil where the field does not name the coding.
    var brotli: Int?
    var gzip: Int?
    var any: Int?
    /// Whether the request has the field at all.
    var present = false

    /// Reads every `Accept-Encoding` field of `request` (a list may be split over several).
    public init(_ request: HTTPRequest) {
        for field in request.headers.fields where field.name == .acceptEncoding {
            present = true
            var value = field.value
            value.withUTF8 { read($0[...]) }
        }
    }

    /// The bytes of a field value, in place.
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    private mutating func read(_ value: Bytes) {
        var rest = value
        while !rest.isEmpty {
            let end = rest.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
            let element = rest[rest.startIndex..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[(end + 1)...]
            let codingEnd = element.firstIndex(of: UInt8(ascii: ";")) ?? element.endIndex
            let coding = Self.trimmed(element[element.startIndex..<codingEnd])
            let quality = Self.quality(element[codingEnd...])
            if Self.equalsIgnoringCase(coding, "br") {
                brotli = max(brotli ?? 0, quality)
            } else if Self.equalsIgnoringCase(coding, "gzip") || Self.equalsIgnoringCase(coding, "x-gzip") {
                gzip = max(gzip ?? 0, quality)
            } else if coding.count == 1, coding.first == UInt8(ascii: "*") {
                any = quality
            }
        }
    }

    /// The weight of `coding`, in thousandths; 0 means not acceptable. Identity is not
    /// weighed: it is what is sent when nothing else fits.
    public func quality(of coding: ContentCoding) -> Int {
        guard present else { return 0 }
        switch coding {
        case .identity: return 0
        case .gzip: return gzip ?? any ?? 0
        case .brotli: return brotli ?? any ?? 0
        }
    }

    /// The coding to send when the representation exists in gzip (`hasGzip`) and Brotli
    /// (`hasBrotli`): the acceptable one with the higher weight, Brotli on a tie (it is the
    /// smaller), identity when neither is acceptable.
    public func preferred(hasGzip: Bool, hasBrotli: Bool) -> ContentCoding {
        let brotliQuality = hasBrotli ? quality(of: .brotli) : 0
        let gzipQuality = hasGzip ? quality(of: .gzip) : 0
        if brotliQuality > 0, brotliQuality >= gzipQuality { return .brotli }
        if gzipQuality > 0 { return .gzip }
        return .identity
    }

    /// The `q` parameter among `parameters` (`;q=0.5`), in thousandths; 1000 when absent or
    /// malformed (RFC 9110 §12.4.2: a weight is 0 to 1 with at most three decimals).
    static func quality(_ parameters: Bytes) -> Int {
        var rest = parameters
        while let semicolon = rest.firstIndex(of: UInt8(ascii: ";")) {
            rest = rest[(semicolon + 1)...]
            let parameterEnd = rest.firstIndex(of: UInt8(ascii: ";")) ?? rest.endIndex
            let parameter = trimmed(rest[rest.startIndex..<parameterEnd])
            guard parameter.count >= 3, parameter.first! | 0x20 == UInt8(ascii: "q"),
                  parameter[parameter.startIndex + 1] == UInt8(ascii: "=") else { continue }
            var value = 0
            var scale = 0
            var sawPoint = false
            for byte in parameter.dropFirst(2) {
                if byte == UInt8(ascii: "."), !sawPoint {
                    sawPoint = true
                } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), scale < 3 || !sawPoint {
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                    if sawPoint { scale += 1 }
                } else {
                    return 1000
                }
            }
            while scale < 3 { value *= 10; scale += 1 }
            return value <= 1000 ? value : 1000
        }
        return 1000
    }

    static func trimmed(_ bytes: Bytes) -> Bytes {
        var view = bytes
        while let first = view.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { view = view.dropFirst() }
        while let last = view.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { view = view.dropLast() }
        return view
    }

    /// Whether `bytes` are `lowercase` (ASCII letters) in any case.
    static func equalsIgnoringCase(_ bytes: Bytes, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for (offset, byte) in bytes.enumerated() where byte | 0x20 != expected[offset] | 0x20 { return false }
        return true
    }
}
