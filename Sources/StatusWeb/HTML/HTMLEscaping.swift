/// Escaping for HTML text and attribute values, which is also valid XML (feeds, SVG badges).
///
/// `& < > " '` become references, so the result is safe in element content and in quoted
/// attributes alike. C0 control characters other than tab, line feed and carriage return,
/// and DEL, are not allowed in XML 1.0 documents nor in HTML text (HTML Living Standard
/// §13.2.5, "control-character-in-input-stream"), so they become U+FFFD.
public enum HTMLEscaping {
    public static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func append(_ text: String, to output: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
            case 0x09, 0x0A, 0x0D: output.append(byte)
            case 0x00...0x1F, 0x7F: output.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default: output.append(byte)
            }
        }
    }
}
