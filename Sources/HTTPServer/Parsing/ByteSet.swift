/// A set of bytes as a 256-bit table: one load and one mask per lookup, for the character
/// classes the grammar of HTTP names (RFC 9110, RFC 3986).
struct ByteSet: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// ASCII letters and digits, and each byte of `others`.
    init(alphanumericsAnd others: String) {
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { insert(byte) }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { insert(byte) }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { insert(byte) }
        for byte in others.utf8 { insert(byte) }
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    private mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    /// `tchar` (RFC 9110 §5.6.2): method and header field names.
    static let token = ByteSet(alphanumericsAnd: "!#$%&'*+-.^_`|~")

    /// `unreserved` and `sub-delims` of a `reg-name` (RFC 3986 §3.2.2), for Host.
    static let regName = ByteSet(alphanumericsAnd: "-._~!$&'()*+,;=")
}
