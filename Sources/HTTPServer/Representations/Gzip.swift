import CDeflate
import CZlib

/// gzip (RFC 1952): made by libdeflate, read back by zlib. Representations are compressed
/// once, when they are built, never per request.
public enum Gzip {
    /// Up to this many bytes a body is compressed at libdeflate's level 9; above it, at 6.
    /// Level 9 pays only on small bodies. Measured on the documents of a page with 8,000
    /// incidents and 150 components (level 6 against 9): the 350 KB page 3.2 ms for 28,438
    /// bytes against 14.4 ms for 26,049; summary.json (78 KB) 0.65 ms for 8,701 bytes against
    /// 2.45 ms for 8,375; components.json (61 KB) 0.46 ms for 6,522 against 1.93 ms for 6,241.
    /// Every write rebuilds these, so 4 % fewer bytes cost a write about 8 ms. On the 33 KB
    /// demo page the two levels differ by 88 bytes and 0.2 ms.
    public static let bestLevelLimit = 16 * 1024

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
}
