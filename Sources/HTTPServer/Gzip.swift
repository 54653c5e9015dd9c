import CZlib

/// gzip (RFC 1952) through the system zlib, and the `Accept-Encoding` choice (RFC 9110
/// §12.5.3). Representations are compressed once, when they are built, never per request.
public enum Gzip {
    /// `bytes` as one gzip member at zlib's best compression: done once per change, read by
    /// everyone. nil if zlib fails (the identity response is served then).
    public static func compress(_ bytes: [UInt8], level: Int32 = 9) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeLast(output.count - Int(stream.total_out))
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
        guard request.headers.contains(.acceptEncoding) else { return false }
        var gzipQuality: Double?
        var anyQuality: Double?
        for element in request.headers.listElements(.acceptEncoding) {
            let parts = element.split(separator: ";")
            guard let coding = parts.first?.trimmingASCIIWhitespace.lowercased() else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingASCIIWhitespace.lowercased()
                if pair.hasPrefix("q="), let value = Double(pair.dropFirst(2)), (0...1).contains(value) { quality = value }
            }
            switch coding {
            case "gzip", "x-gzip": gzipQuality = max(gzipQuality ?? 0, quality)
            case "*": anyQuality = quality
            default: break
            }
        }
        if let gzipQuality { return gzipQuality > 0 }
        return (anyQuality ?? 0) > 0
    }
}

extension Substring {
    var trimmingASCIIWhitespace: Substring {
        var view = self
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return view
    }
}
