/// Strong entity tags made from content (RFC 9110 §8.8.3): the same bytes always get the
/// same tag, so a server restart or a rebuild that changes nothing keeps clients' caches
/// valid.
public enum EntityTag {
    /// `"<length in hex>-<64-bit FNV-1a in hex>"`. FNV is not a cryptographic hash; the
    /// length makes an accidental collision between two versions of one resource even less
    /// likely, and nothing here needs more.
    public static func strong(for bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(bytes.count, radix: 16) + "-" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }
}
