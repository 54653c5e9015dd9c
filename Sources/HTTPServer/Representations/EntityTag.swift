import CDeflate

/// Strong entity tags made from content (RFC 9110 §8.8.3): the same bytes always get the
/// same tag, so a server restart or a rebuild that changes nothing keeps clients' caches
/// valid.
public enum EntityTag {
    /// `"<length in hex>-<CRC-32 in hex><Adler-32 in hex>"`: 64 bits of two checksums over
    /// the bytes, which libdeflate computes with the processor's vector instructions (a
    /// byte-at-a-time hash cost a write on a large page about 2 ms for the tags alone).
    /// Neither is cryptographic; an accidental collision between two versions of one
    /// resource would need the same length and both checksums, and nothing here needs more.
    public static func strong(for bytes: [UInt8]) -> String {
        let (crc, adler) = bytes.withUnsafeBytes { buffer in
            (libdeflate_crc32(0, buffer.baseAddress, buffer.count), libdeflate_adler32(1, buffer.baseAddress, buffer.count))
        }
        return "\"" + String(bytes.count, radix: 16) + "-" + hex8(crc) + hex8(adler) + "\""
    }

    private static func hex8(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
