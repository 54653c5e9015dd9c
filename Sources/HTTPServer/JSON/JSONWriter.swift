import Foundation

/// How a `JSONWriter` spells an instant inside a JSON string (the quotes are the writer's).
/// The output must need no JSON escape.
public protocol JSONTimestampFormat: Sendable {
    /// Appends `date`, formatted, to `bytes`.
    func append(_ date: Date, to bytes: inout [UInt8])
}

/// Writes JSON text (RFC 8259) into a byte array, keys in the order they are written and
/// `null` written where asked: the two things Statuspage compatibility needs and
/// `JSONEncoder` does not promise. Every JSON body Warta sends (the public documents, the
/// management API, problem details, `/healthz`) and every JSON string in its logs is written
/// by it, so there is one escaping rule.
///
/// The writer tracks only where a comma is due; the caller is responsible for balancing
/// `beginObject`/`endObject` and for writing a key before each member value.
///
/// Strings are escaped beyond RFC 8259 §7: `<`, `>` and `&` become `\u003c`, `\u003e`,
/// `\u0026`, and U+2028/U+2029 become `\u2028`/`\u2029`, so the text can be embedded in
/// an HTML `<script>` element or evaluated as JavaScript without ending it early.
public struct JSONWriter {
    public private(set) var bytes: [UInt8]
    /// Formats every timestamp written; nil for a writer that writes none.
    public let timestampFormat: (any JSONTimestampFormat)?
    private var needsComma = false

    public init(timestampFormat: (any JSONTimestampFormat)? = nil, capacity: Int = 4096) {
        self.timestampFormat = timestampFormat
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `text` as one JSON string literal: for a JSON value inside a line of text (a log).
    public static func quoted(_ text: String) -> String {
        var writer = JSONWriter(capacity: text.utf8.count + 2)
        writer.string(text)
        return writer.text
    }

    // MARK: - Structure

    public mutating func beginObject() { open(UInt8(ascii: "{")) }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    public mutating func beginArray() { open(UInt8(ascii: "[")) }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    /// An object member's name. Names are static ASCII and are written as they are.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// An object member's name that comes from data (a language code, a client's metadata
    /// key), escaped as any string. (A separate label, so a literal name still takes the
    /// static path above.)
    public mutating func key(string name: String) {
        separate()
        appendEscaped(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Values

    public mutating func string(_ value: String) {
        separate()
        appendEscaped(value)
        needsComma = true
    }

    public mutating func int(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Self.trueLiteral : Self.falseLiteral)
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: Self.nullLiteral)
        needsComma = true
    }

    /// `value` rounded to at most `fractionDigits` decimals, trailing zeros dropped
    /// (`91.667`, `87.5`, `100`). A non-finite value, which JSON cannot express, is `null`.
    public mutating func decimal(_ value: Double, fractionDigits: Int = 3) {
        guard value.isFinite, fractionDigits >= 0, fractionDigits <= 9,
              abs(value) < 9e15 / pow(10, Double(fractionDigits))
        else { return null() }
        separate()
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let scaled = Int64((value * Double(scale)).rounded())
        if scaled < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = scaled.magnitude
        bytes.append(contentsOf: String(magnitude / UInt64(scale)).utf8)
        var fraction = magnitude % UInt64(scale)
        var digits = fraction == 0 ? 0 : fractionDigits
        while digits > 0, fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        if digits > 0 {
            bytes.append(UInt8(ascii: "."))
            let text = String(fraction)
            for _ in 0..<(digits - text.utf8.count) { bytes.append(UInt8(ascii: "0")) }
            bytes.append(contentsOf: text.utf8)
        }
        needsComma = true
    }

    /// A timestamp in `timestampFormat`, as a JSON string. A writer made without a format
    /// cannot write one: that is a programming error.
    public mutating func timestamp(_ date: Date) {
        guard let timestampFormat else { preconditionFailure("JSONWriter.timestamp needs a timestampFormat") }
        separate()
        bytes.append(UInt8(ascii: "\""))
        timestampFormat.append(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// A complete JSON value written earlier by another writer (a component object shared
    /// by several documents), copied as it is.
    public mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    // MARK: - Members

    /// A string member; `null` when `value` is nil.
    public mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    public mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    public mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// A timestamp, or `null` when `value` is nil.
    public mutating func field(_ name: StaticString, timestamp value: Date?) {
        key(name)
        if let value { timestamp(value) } else { null() }
    }

    /// An object of strings (`{"en": "..."}`), keys sorted so the bytes are stable.
    public mutating func object(_ members: [String: String]) {
        beginObject()
        for name in members.keys.sorted() {
            key(string: name)
            string(members[name]!)
        }
        endObject()
    }

    public mutating func nullField(_ name: StaticString) {
        key(name)
        null()
    }

    // MARK: - Escaping

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// The quoted, escaped string. Runs of bytes that need no escape are copied at once;
    /// the input is valid UTF-8 (a Swift `String`), so multi-byte sequences pass through
    /// except U+2028 and U+2029 (E2 80 A8 and E2 80 A9).
    private mutating func appendEscaped(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { source in
            var runStart = 0
            var index = 0
            let count = source.count
            while index < count {
                let byte = source[index]
                let escape: Escape
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                    || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") {
                    escape = .ascii(byte)
                } else if byte == 0xE2, index + 2 < count, source[index + 1] == 0x80,
                          source[index + 2] == 0xA8 || source[index + 2] == 0xA9 {
                    escape = .lineOrParagraphSeparator(source[index + 2])
                } else {
                    index += 1
                    continue
                }
                if runStart < index {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
                }
                switch escape {
                case .ascii(let byte):
                    appendASCIIEscape(byte)
                    index += 1
                case .lineOrParagraphSeparator(let last):
                    bytes.append(contentsOf: last == 0xA8 ? Self.lineSeparatorEscape : Self.paragraphSeparatorEscape)
                    index += 3
                }
                runStart = index
            }
            if runStart < count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<count]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private enum Escape {
        case ascii(UInt8)
        case lineOrParagraphSeparator(UInt8)
    }

    private mutating func appendASCIIEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let trueLiteral: [UInt8] = Array("true".utf8)
    private static let falseLiteral: [UInt8] = Array("false".utf8)
    private static let nullLiteral: [UInt8] = Array("null".utf8)
    private static let lineSeparatorEscape: [UInt8] = Array("\\u2028".utf8)
    private static let paragraphSeparatorEscape: [UInt8] = Array("\\u2029".utf8)
}
