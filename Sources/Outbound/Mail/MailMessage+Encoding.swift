import Foundation

/// The encodings that keep a message 7-bit ASCII with short lines: header fields folded
/// (RFC 5322 §2.2.3), non-ASCII header text as encoded-words (RFC 2047), bodies as
/// quoted-printable (RFC 2045 §6.7).
extension MailMessage {
    /// Header fields as they go on the wire, each folded to lines of at most 78 characters
    /// where it can be (RFC 5322 §2.1.1) and never more than 998.
    struct HeaderLines {
        static let preferredLength = 78
        static let maximumLength = 998

        private(set) var bytes: [UInt8] = []

        /// A value that is never folded inside (an address, a date, a message id).
        mutating func add(_ name: String, _ value: String) {
            add(name, pieces: [value])
        }

        /// Values separated by single spaces, which may become folds (`References`).
        mutating func add(_ name: String, words: [String]) {
            add(name, pieces: words.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element })
        }

        /// Free text (`Subject`, RFC 5322 §3.6.5): as it is when it is printable ASCII,
        /// otherwise as encoded-words.
        mutating func add(_ name: String, unstructured text: String) {
            let text = MailMessage.singleLine(text)
            if let pieces = Self.plainPieces(text, name: name) {
                add(name, pieces: pieces)
            } else {
                add(name, pieces: encodedPieces(text, name: name))
            }
        }

        /// `Name <address>` (RFC 5322 §3.4): the display name as atoms, a quoted string, or
        /// encoded-words (RFC 2047 §5 (3)), whichever it needs.
        mutating func add(_ name: String, mailbox address: String, displayName: String) {
            let displayName = MailMessage.singleLine(displayName)
            guard !displayName.isEmpty else { return add(name, address) }
            let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
            var phrase: [String]
            if let plain = Self.plainPieces(displayName, name: name) {
                phrase = displayName.allSatisfy({ $0 == " " || atext.contains($0) })
                    ? plain
                    : [Self.quotedString(displayName)]
                if phrase.count == 1, phrase[0].utf8.count > Self.maximumLength - name.utf8.count - 2 {
                    phrase = encodedPieces(displayName, name: name)
                }
            } else {
                phrase = encodedPieces(displayName, name: name)
            }
            add(name, pieces: phrase + [" <\(address)>"])
        }

        /// RFC 5322 §3.2.4: in quotes, with `\` before `"` and `\`.
        private static func quotedString(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }

        /// Joins `pieces` after `Name:` and a space. Each piece after the first starts with
        /// the whitespace that separates it from the one before: a fold is a CRLF put before
        /// that whitespace, so unfolding (removing CRLFs) gives the value back exactly.
        private mutating func add(_ name: String, pieces: [String]) {
            var line = Array("\(name): ".utf8)
            var lineHasValue = false
            for piece in pieces {
                let bytes = Array(piece.utf8)
                if lineHasValue, line.count + bytes.count > Self.preferredLength {
                    self.bytes += line + [13, 10]
                    line = []
                }
                line += bytes
                lineHasValue = true
            }
            self.bytes += line + [13, 10]
        }

        /// Printable ASCII text cut before each run of spaces, or nil when it must be encoded:
        /// a character outside printable ASCII, something a reader would take for an
        /// encoded-word (`=?`), or a word too long for any line.
        private static func plainPieces(_ text: String, name: String) -> [String]? {
            guard text.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }), !text.contains("=?") else { return nil }
            var pieces: [String] = []
            var current = ""
            var inSpaces = false
            for character in text {
                if character == " " {
                    if !inSpaces, !current.isEmpty { pieces.append(current); current = "" }
                    inSpaces = true
                } else {
                    inSpaces = false
                }
                current.append(character)
            }
            if !current.isEmpty { pieces.append(current) }
            let room = Self.maximumLength - name.utf8.count - 2
            guard pieces.allSatisfy({ $0.utf8.count <= room }) else { return nil }
            return pieces.isEmpty ? [""] : pieces
        }

        /// Encoded-words sized so that the first fits after `Name: ` and each other one on a
        /// continuation line of its own.
        private func encodedPieces(_ text: String, name: String) -> [String] {
            let firstRoom = Self.preferredLength - name.utf8.count - 2
            let words = EncodedWords.encode(text, firstRoom: firstRoom, room: Self.preferredLength - 1)
            return words.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
        }
    }

    /// Header text on one line: control characters (line breaks, tabs) become spaces, runs of
    /// them one space, and the ends are trimmed. A subject has no line breaks, and a control
    /// character kept in an encoded-word would reach the reader's screen.
    static func singleLine(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            // C0, DEL, C1 and the Unicode line and paragraph separators.
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || [" ", "\u{2028}", "\u{2029}"].contains(scalar) {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.unicodeScalars.append(" ") }
            pendingSpace = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

/// RFC 2047 encoded-words of UTF-8 (`=?utf-8?Q?...?=`, `=?utf-8?B?...?=`).
enum EncodedWords {
    /// The most an encoded-word may be (RFC 2047 §2).
    static let maximumLength = 75

    /// `text` as encoded-words to be separated by folding whitespace (which readers drop
    /// between encoded-words, RFC 2047 §6.2): the first at most `firstRoom` characters, the
    /// others at most `room`, none over 75. A word never ends inside a UTF-8 sequence, nor
    /// inside an `=XX`. Q or B, whichever is shorter in all.
    static func encode(_ text: String, firstRoom: Int, room: Int) -> [String] {
        let q = words(text, firstRoom: firstRoom, room: room, encoding: "Q", encodedLength: qLength, encode: qEncode)
        let b = words(text, firstRoom: firstRoom, room: room, encoding: "B", encodedLength: { ($0.count + 2) / 3 * 4 },
                      encode: { Data($0).base64EncodedString() })
        return q.joined().count <= b.joined().count ? q : b
    }

    /// Characters a Q-encoded word may carry as themselves anywhere, in a phrase too
    /// (RFC 2047 §5 (3)); a space is written `_`.
    static func isLiteralInQ(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// How long `qEncode(bytes)` is: three characters for each `=XX`, one for the others.
    static func qLength(_ bytes: [UInt8]) -> Int {
        bytes.count + 2 * bytes.filter { !isLiteralInQ($0) && $0 != 0x20 }.count
    }

    static func qEncode(_ bytes: [UInt8]) -> String {
        var encoded = ""
        for byte in bytes {
            if byte == 0x20 {
                encoded += "_"
            } else if isLiteralInQ(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "=" + QuotedPrintable.hex(byte)
            }
        }
        return encoded
    }

    /// Fills each word with whole Unicode scalars while its encoding fits.
    private static func words(_ text: String, firstRoom: Int, room: Int, encoding: String,
                              encodedLength: ([UInt8]) -> Int, encode: ([UInt8]) -> String) -> [String] {
        let prefix = "=?utf-8?\(encoding)?", suffix = "?="
        let overhead = prefix.count + suffix.count
        var words: [String] = []
        var chunk: [UInt8] = []
        func capacity() -> Int { min(maximumLength, words.isEmpty ? firstRoom : room) - overhead }
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if !chunk.isEmpty, encodedLength(chunk + bytes) > capacity() {
                words.append(prefix + encode(chunk) + suffix)
                chunk = []
            }
            chunk += bytes
        }
        words.append(prefix + encode(chunk) + suffix)
        return words
    }
}

/// Quoted-printable (RFC 2045 §6.7) for the text and HTML parts.
enum QuotedPrintable {
    /// The most an encoded line may be, its soft-break `=` included (rule 5).
    static let maximumLineLength = 76

    /// The UTF-8 of `text`, each line break (CRLF, LF or CR) a CRLF, every other byte as
    /// itself when it is printable ASCII other than `=`, as `=XX` otherwise, and a space or
    /// tab that ends a line as `=20` / `=09`. Lines longer than 76 characters get soft breaks
    /// (`=` CRLF), never inside an `=XX`.
    static func encode(_ text: String) -> [UInt8] {
        var encoded: [UInt8] = []
        var line: [UInt8] = []
        var previousWasCR = false
        for byte in text.utf8 {
            switch byte {
            case 13:
                encodeLine(line, into: &encoded)
                encoded += [13, 10]
                line = []
                previousWasCR = true
                continue
            case 10:
                if !previousWasCR {
                    encodeLine(line, into: &encoded)
                    encoded += [13, 10]
                    line = []
                }
            default:
                line.append(byte)
            }
            previousWasCR = false
        }
        encodeLine(line, into: &encoded)
        return encoded
    }

    private static func encodeLine(_ line: [UInt8], into encoded: inout [UInt8]) {
        var length = 0
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            let token: [UInt8]
            switch byte {
            case 0x20, 0x09:
                token = isLast ? escaped(byte) : [byte]
            case 33...60, 62...126:
                token = [byte]
            default:
                token = escaped(byte)
            }
            // The last token may reach the limit itself; any other leaves room for the `=`.
            if length + token.count > (isLast ? maximumLineLength : maximumLineLength - 1) {
                encoded += Array("=\r\n".utf8)
                length = 0
            }
            encoded += token
            length += token.count
        }
    }

    private static func escaped(_ byte: UInt8) -> [UInt8] {
        Array(("=" + hex(byte)).utf8)
    }

    /// Two upper-case hexadecimal digits, as RFC 2045 requires.
    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
