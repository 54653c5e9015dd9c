import CDeflate
import CZlib

/// gzip (RFC 1952): made by libdeflate, read back by zlib; and the `Accept-Encoding` choice (RFC 9110
/// §12.5.3). Representations are compressed once, when they are built, never per request.
public enum Gzip {
    /// Up to this many bytes a body is compressed at libdeflate's level 9; above it, at 6.
    /// On a 486 KB page (8,000 incidents, 150 components) level 9 took 12.8 ms for 28,076
    /// bytes and level 6 3.8 ms for 30,139; on the 48 KB demo page 0.58 ms against 0.46 ms.
    /// A write rebuilds the large pages, so they get the fast level; the small documents
    /// most readers fetch get the small output.
    public static let bestLevelLimit = 128 * 1024

    /// `bytes` as one gzip member (RFC 1952) made by libdeflate: done once per change, read
    /// by everyone. The level follows the size (see `bestLevelLimit`) unless given. nil if
    /// libdeflate fails (the identity response is served then).
    public static func compress(_ bytes: [UInt8], level: Int32? = nil) -> [UInt8]? {
        let chosen = level ?? (bytes.count <= bestLevelLimit ? 9 : 6)
        guard let compressor = libdeflate_alloc_compressor(chosen) else { return nil }
        defer { libdeflate_free_compressor(compressor) }
        var output = [UInt8](repeating: 0, count: libdeflate_gzip_compress_bound(compressor, bytes.count))
        let written = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                libdeflate_gzip_compress(compressor, input.baseAddress, input.count, out.baseAddress, out.count)
            }
        }
        guard written > 0 else { return nil }
        output.removeLast(output.count - written)
        return output
    }

    /// `bytes` inflated, for tests and tools; nil when they are not gzip.
    public static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return bytes.withUnsafeBufferPointer { input -> [UInt8]? in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END { return output }
                guard status == Z_OK, output.count <= limit else { return nil }
                if produced == 0, stream.avail_in == 0 { return nil }
            }
        }
    }

    /// Whether `request` accepts gzip: `gzip` or `x-gzip` with a q-value above 0, or `*`
    /// above 0 when gzip is not named. No `Accept-Encoding` at all means any coding is
    /// acceptable (RFC 9110 §12.5.3), but clients that send none are mostly tools that do not
    /// decompress, so Warta sends identity then, as nginx and every CDN do.
    public static func isAccepted(by request: HTTPRequest) -> Bool {
        var gzipQuality: Int?
        var anyQuality: Int?
        var present = false
        for field in request.headers.fields where field.name == .acceptEncoding {
            present = true
            // Read on bytes, in place: this runs for every request of the read path.
            var utf8 = field.value.utf8[...]
            while !utf8.isEmpty {
                let end = utf8.firstIndex(of: UInt8(ascii: ",")) ?? utf8.endIndex
                let element = utf8[utf8.startIndex..<end]
                utf8 = end == utf8.endIndex ? utf8[end...] : utf8[utf8.index(after: end)...]
                let codingEnd = element.firstIndex(of: UInt8(ascii: ";")) ?? element.endIndex
                let coding = trimmed(element[element.startIndex..<codingEnd])
                let quality = Self.quality(element[codingEnd...])
                if equalsIgnoringCase(coding, "gzip") || equalsIgnoringCase(coding, "x-gzip") {
                    gzipQuality = max(gzipQuality ?? 0, quality)
                } else if coding.elementsEqual("*".utf8) {
                    anyQuality = quality
                }
            }
        }
        guard present else { return false }
        if let gzipQuality { return gzipQuality > 0 }
        return (anyQuality ?? 0) > 0
    }

    /// The `q` parameter among `parameters` (`;q=0.5`), in thousandths; 1000 when absent or
    /// malformed (RFC 9110 §12.4.2: a weight is 0 to 1 with at most three decimals).
    static func quality(_ parameters: Substring.UTF8View.SubSequence) -> Int {
        var rest = parameters
        while let semicolon = rest.firstIndex(of: UInt8(ascii: ";")) {
            rest = rest[rest.index(after: semicolon)...]
            let parameterEnd = rest.firstIndex(of: UInt8(ascii: ";")) ?? rest.endIndex
            let parameter = trimmed(rest[rest.startIndex..<parameterEnd])
            guard parameter.count >= 3, parameter.first! | 0x20 == UInt8(ascii: "q"),
                  parameter[parameter.index(after: parameter.startIndex)] == UInt8(ascii: "=") else { continue }
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

    static func trimmed(_ bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence {
        var view = bytes
        while let first = view.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { view = view.dropFirst() }
        while let last = view.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { view = view.dropLast() }
        return view
    }

    static func equalsIgnoringCase(_ bytes: Substring.UTF8View.SubSequence, _ lowercase: String) -> Bool {
        bytes.count == lowercase.utf8.count && zip(bytes, lowercase.utf8).allSatisfy { $0 | 0x20 == $1 | 0x20 }
    }
}
