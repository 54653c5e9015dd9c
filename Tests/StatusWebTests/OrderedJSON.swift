import Foundation

/// A JSON value with object members in document order. `JSONSerialization` loses the order,
/// and the order is what Statuspage compatibility tests check, so the tests read both the
/// real samples and Warta's output with this small parser (RFC 8259 grammar).
indirect enum OrderedJSON {
    case object([(key: String, value: OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    struct ParseError: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    static func parse(_ bytes: [UInt8]) throws -> OrderedJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw ParseError(offset: parser.index, reason: "trailing bytes") }
        return value
    }

    static func parse(_ text: String) throws -> OrderedJSON { try parse(Array(text.utf8)) }

    /// Member names in order; empty for anything but an object.
    var keys: [String] {
        if case .object(let members) = self { return members.map(\.key) }
        return []
    }

    subscript(key: String) -> OrderedJSON? {
        if case .object(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    var elements: [OrderedJSON] {
        if case .array(let values) = self { return values }
        return []
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// A number as written, e.g. `91.667`.
    var numberText: String? {
        if case .number(let text) = self { return text }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value() throws -> OrderedJSON {
            skipWhitespace()
            guard index < bytes.count else { throw ParseError(offset: index, reason: "unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return try number()
            }
        }

        mutating func literal(_ text: String) throws {
            let expected = Array(text.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw ParseError(offset: index, reason: "expected \(text)")
            }
            index += expected.count
        }

        mutating func expect(_ byte: UInt8) throws {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else {
                throw ParseError(offset: index, reason: "expected \(Character(Unicode.Scalar(byte)))")
            }
            index += 1
        }

        mutating func object() throws -> OrderedJSON {
            try expect(UInt8(ascii: "{"))
            var members: [(key: String, value: OrderedJSON)] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                let key = try string()
                try expect(UInt8(ascii: ":"))
                members.append((key, try value()))
                skipWhitespace()
                guard index < bytes.count else { throw ParseError(offset: index, reason: "unterminated object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "}"))
                return .object(members)
            }
        }

        mutating func array() throws -> OrderedJSON {
            try expect(UInt8(ascii: "["))
            var values: [OrderedJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(values) }
            while true {
                values.append(try value())
                skipWhitespace()
                guard index < bytes.count else { throw ParseError(offset: index, reason: "unterminated array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "]"))
                return .array(values)
            }
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var utf16: [UInt16] = []
            var raw: [UInt8] = []
            func flushRaw() {
                utf16.append(contentsOf: String(decoding: raw, as: UTF8.self).utf16)
                raw.removeAll()
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flushRaw()
                    return String(decoding: utf16, as: UTF16.self)
                case UInt8(ascii: "\\"):
                    flushRaw()
                    guard index < bytes.count else { break }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): utf16.append(0x22)
                    case UInt8(ascii: "\\"): utf16.append(0x5C)
                    case UInt8(ascii: "/"): utf16.append(0x2F)
                    case UInt8(ascii: "b"): utf16.append(0x08)
                    case UInt8(ascii: "f"): utf16.append(0x0C)
                    case UInt8(ascii: "n"): utf16.append(0x0A)
                    case UInt8(ascii: "r"): utf16.append(0x0D)
                    case UInt8(ascii: "t"): utf16.append(0x09)
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                              let unit = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                        else { throw ParseError(offset: index, reason: "bad \\u escape") }
                        utf16.append(unit)
                        index += 4
                    default: throw ParseError(offset: index - 1, reason: "bad escape")
                    }
                case 0..<0x20:
                    throw ParseError(offset: index - 1, reason: "unescaped control character")
                default:
                    raw.append(byte)
                }
            }
            throw ParseError(offset: index, reason: "unterminated string")
        }

        mutating func number() throws -> OrderedJSON {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            guard index > start else { throw ParseError(offset: index, reason: "unexpected byte") }
            return .number(String(decoding: bytes[start..<index], as: UTF8.self))
        }
    }
}
