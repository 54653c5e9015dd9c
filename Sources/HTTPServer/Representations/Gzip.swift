import CDeflate
import CZlib

/// gzip (RFC 1952): made by libdeflate, read back by zlib. Representations are compressed
/// once, when they are built, never per request.
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
}
