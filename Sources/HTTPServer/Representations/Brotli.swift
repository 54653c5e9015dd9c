import CBrotli

/// Brotli (RFC 7932) through the system libbrotlienc and libbrotlidec. Like gzip, a body is
/// compressed once when its representation is built, never per request; browsers ask for
/// `br` over HTTPS, where it saves 5–50 % over gzip on Warta's pages and JSON.
public enum Brotli {
    /// The quality every variant is made at, whatever its size. On every document of the
    /// demo's static copy (the OpenAPI file aside) quality 5 took 10.7 ms in all against
    /// 15.6 ms at 9, for 0.5 % more bytes; 10 and 11 switch to a far slower search (on the
    /// 48 KB front page 78 ms against 1 ms, for 8 % fewer bytes), which every write would pay
    /// for every page it rebuilds (`docs/benchmarks.md`).
    public static let defaultQuality: Int32 = 5

    /// `bytes` as one Brotli stream at `quality`, with a window no larger than the body needs,
    /// which keeps the encoder's tables small. nil if the encoder fails (the gzip or identity
    /// response is served then).
    public static func compress(_ bytes: [UInt8], quality: Int32 = defaultQuality) -> [UInt8]? {
        var window = BROTLI_MIN_WINDOW_BITS
        // A window of 2^w bytes holds 2^w - 16 bytes of history (RFC 7932 §9.1).
        while window < BROTLI_MAX_WINDOW_BITS, (1 << window) - 16 < bytes.count { window += 1 }
        var output = [UInt8](repeating: 0, count: BrotliEncoderMaxCompressedSize(bytes.count))
        var outputCount = output.count
        let succeeded = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                BrotliEncoderCompress(quality, window, BROTLI_MODE_GENERIC,
                                      input.count, input.baseAddress, &outputCount, out.baseAddress)
            }
        }
        guard succeeded == BROTLI_TRUE else { return nil }
        output.removeLast(output.count - outputCount)
        return output
    }

    /// `bytes` decoded, for tests and tools; nil when they are not one whole Brotli stream
    /// or would decode to more than `limit` bytes.
    public static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) -> [UInt8]? {
        guard let decoder = BrotliDecoderCreateInstance(nil, nil, nil) else { return nil }
        defer { BrotliDecoderDestroyInstance(decoder) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return bytes.withUnsafeBufferPointer { input -> [UInt8]? in
            var nextIn = input.baseAddress
            var availableIn = input.count
            while true {
                let (result, produced) = chunk.withUnsafeMutableBufferPointer { out -> (BrotliDecoderResult, Int) in
                    var nextOut = out.baseAddress
                    var availableOut = out.count
                    let result = BrotliDecoderDecompressStream(decoder, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                    return (result, out.count - availableOut)
                }
                output.append(contentsOf: chunk[0..<produced])
                guard output.count <= limit else { return nil }
                switch result {
                case BROTLI_DECODER_RESULT_SUCCESS: return availableIn == 0 ? output : nil
                case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: continue
                default: return nil  // an error, or the input ended inside the stream
                }
            }
        }
    }
}
