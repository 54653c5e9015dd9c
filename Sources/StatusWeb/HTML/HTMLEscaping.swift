/// Escaping for HTML text and attribute values, which is also valid XML (feeds, SVG badges).
///
/// `& < > " '` become references, so the result is safe in element content and in quoted
/// attributes alike. C0 control characters other than tab, line feed and carriage return,
/// and DEL, are not allowed in XML 1.0 documents nor in HTML text (HTML Living Standard
/// §13.2.5, "control-character-in-input-stream"), nor are U+FFFE and U+FFFF (XML 1.0 §2.2),
/// so they become U+FFFD.
public enum HTMLEscaping {
    public static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func append(_ text: String, to output: inout [UInt8]) {
        append(bytes: text.utf8, to: &output)
    }

    /// Escapes valid UTF-8 `bytes` onto `output`.
    public static func append(bytes input: some Sequence<UInt8>, to output: inout [UInt8]) {
        var bytes = input.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
            case 0x09, 0x0A, 0x0D: output.append(byte)
            case 0x00...0x1F, 0x7F: output.append(contentsOf: replacement)
            case 0xEF:
                // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not characters in XML 1.0 either.
                guard let second = bytes.next() else { output.append(byte); break }
                guard let third = bytes.next() else { output.append(contentsOf: [byte, second]); break }
                if second == 0xBF, third == 0xBE || third == 0xBF {
                    output.append(contentsOf: replacement)
                } else {
                    output.append(contentsOf: [byte, second, third])
                }
            default: output.append(byte)
            }
        }
    }

    /// U+FFFD REPLACEMENT CHARACTER.
    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
}
