/// A strict JSON parser (RFC 8259) into `BodyValue`: no trailing commas, comments, NaN,
/// leading zeros, unescaped control characters or lone surrogates; duplicate member names
/// are refused (a body that means two things is no body); nesting is bounded so a hostile
/// body cannot exhaust the stack.
public struct JSONParser {
    public static let maxDepth = 64

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    public static func parse(_ bytes: [UInt8]) throws(BodySyntaxError) -> BodyValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func error(_ message: String) -> BodySyntaxError {
        BodySyntaxError("Invalid JSON at byte \(index): \(message).")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func parseValue() throws(BodySyntaxError) -> BodyValue {
        guard index < bytes.count else { throw error("a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("a value was expected")
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(BodySyntaxError) {
        for byte in literal.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw error("invalid literal") }
            index += 1
        }
    }

    private mutating func enter() throws(BodySyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
    }

    private mutating func parseObject() throws(BodySyntaxError) -> BodyValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [(String, BodyValue)] = []
        var names = Set<String>()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("a member name was expected") }
            let name = try parseString()
            guard names.insert(name).inserted else { throw error("the member \"\(name)\" appears twice") }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("\":\" was expected") }
            index += 1
            skipWhitespace()
            members.append((name, try parseValue()))
            if try containerEnds(UInt8(ascii: "}"), "object") { return .object(members) }
        }
    }

    private mutating func parseArray() throws(BodySyntaxError) -> BodyValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [BodyValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            if try containerEnds(UInt8(ascii: "]"), "array") { return .array(elements) }
        }
    }

    /// After a member or an element: `,` (another follows: false) or `close` (the object
    /// or array ends: true).
    private mutating func containerEnds(_ close: UInt8, _ container: String) throws(BodySyntaxError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw error("the \(container) is not closed") }
        let byte = bytes[index]
        guard byte == UInt8(ascii: ",") || byte == close else {
            throw error("\",\" or \"\(Character(Unicode.Scalar(close)))\" was expected")
        }
        index += 1
        return byte == close
    }

    private mutating func parseString() throws(BodySyntaxError) -> String {
        index += 1
        var runStart = index
        var text = ""
        func flushRun(_ end: Int) throws(BodySyntaxError) {
            guard runStart < end else { return }
            guard let run = String(validating: bytes[runStart..<end], as: UTF8.self) else {
                throw BodySyntaxError("Invalid JSON at byte \(runStart): the string is not valid UTF-8.")
            }
            text += run
        }
        while true {
            guard index < bytes.count else { throw error("the string is not closed") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                try flushRun(index)
                index += 1
                return text
            }
            if byte < 0x20 { throw error("a control character must be escaped in a string") }
            if byte == UInt8(ascii: "\\") {
                try flushRun(index)
                index += 1
                guard index < bytes.count else { throw error("the escape is not complete") }
                let escaped = bytes[index]
                index += 1
                let scalar: Unicode.Scalar
                switch escaped {
                case UInt8(ascii: "\""): scalar = "\""
                case UInt8(ascii: "\\"): scalar = "\\"
                case UInt8(ascii: "/"): scalar = "/"
                case UInt8(ascii: "b"): scalar = "\u{08}"
                case UInt8(ascii: "f"): scalar = "\u{0C}"
                case UInt8(ascii: "n"): scalar = "\n"
                case UInt8(ascii: "r"): scalar = "\r"
                case UInt8(ascii: "t"): scalar = "\t"
                case UInt8(ascii: "u"):
                    let unit = try parseHex4()
                    if (0xD800...0xDBFF).contains(unit) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("a high surrogate must be followed by a low surrogate")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate") }
                        scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
                    } else if (0xDC00...0xDFFF).contains(unit) {
                        throw error("a lone low surrogate")
                    } else {
                        scalar = Unicode.Scalar(unit)!
                    }
                default:
                    throw error("invalid escape")
                }
                text.unicodeScalars.append(scalar)
                runStart = index
                continue
            }
            index += 1
        }
    }

    private mutating func parseHex4() throws(BodySyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("\\u needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("\\u needs four hex digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(BodySyntaxError) -> String {
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - first
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw error("a number was expected") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw error("a number was expected")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("digits must follow the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("digits must follow the exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }
}
