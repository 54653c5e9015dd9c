/// Update bodies and postmortems are plain text. On the page they keep their line breaks,
/// their `http://` and `https://` URLs become links, and everything else is escaped: no
/// markup written by staff (or by whoever stole a token) ever reaches a reader's browser.
///
/// Works on UTF-8 bytes: every page rebuild formats every open incident's updates.
public enum PlainText {
    /// `text` as HTML: paragraphs at blank lines, `<br>` at single line breaks, links.
    public static func html(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 32)
        var inParagraph = false
        for line in lines(text) {
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                if inParagraph { output.append(contentsOf: "</p>".utf8) }
                inParagraph = false
                continue
            }
            output.append(contentsOf: (inParagraph ? "<br>" : "<p>").utf8)
            inParagraph = true
            appendLinked(line, to: &output)
        }
        if inParagraph { output.append(contentsOf: "</p>".utf8) }
        return String(decoding: output, as: UTF8.self)
    }

    /// One line, escaped, with its URLs as links.
    public static func linked(_ line: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(line.utf8.count + 16)
        appendLinked(Array(line.utf8)[...], to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The lines of `text`, split at LF, CRLF or a lone CR.
    static func lines(_ text: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                lines.append(bytes[start..<index])
                if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                start = index + 1
            }
            index += 1
        }
        lines.append(bytes[start..<bytes.count])
        return lines
    }

    static func appendLinked(_ line: ArraySlice<UInt8>, to output: inout [UInt8]) {
        var rest = line
        while let start = nextURLStart(in: rest) {
            HTMLEscaping.append(bytes: rest[rest.startIndex..<start], to: &output)
            var end = rest[start...].firstIndex {
                $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "<")
                    || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"")
            } ?? rest.endIndex
            // Trailing punctuation ends the sentence, not the URL; a closing bracket stays
            // when the URL opened one.
            while end > start {
                let last = rest[end - 1]
                let url = rest[start..<end]
                let unbalanced = last == UInt8(ascii: ")")
                    && url.lazy.filter({ $0 == UInt8(ascii: "(") }).count < url.lazy.filter({ $0 == UInt8(ascii: ")") }).count
                if Array(".,;:!?'".utf8).contains(last) || unbalanced {
                    end -= 1
                } else {
                    break
                }
            }
            let url = rest[start..<end]
            let schemeLength = (url[start + 4] | 0x20) == UInt8(ascii: "s") ? 8 : 7
            if url.count > schemeLength {
                output.append(contentsOf: "<a href=\"".utf8)
                HTMLEscaping.append(bytes: url, to: &output)
                output.append(contentsOf: "\" rel=\"nofollow noopener\">".utf8)
                HTMLEscaping.append(bytes: url, to: &output)
                output.append(contentsOf: "</a>".utf8)
            } else {
                HTMLEscaping.append(bytes: url, to: &output)
            }
            rest = rest[end...]
        }
        HTMLEscaping.append(bytes: rest, to: &output)
    }

    /// The start of the next `http://` or `https://` (any case) that begins a word.
    static func nextURLStart(in text: ArraySlice<UInt8>) -> Int? {
        let http = Array("http".utf8)
        var index = text.startIndex
        while index + 7 <= text.endIndex {
            defer { index += 1 }
            guard text[index] | 0x20 == http[0] else { continue }
            guard (0..<4).allSatisfy({ text[index + $0] | 0x20 == http[$0] }) else { continue }
            var colon = index + 4
            if text[colon] | 0x20 == UInt8(ascii: "s") { colon += 1 }
            guard colon + 3 <= text.endIndex, text[colon] == UInt8(ascii: ":"),
                  text[colon + 1] == UInt8(ascii: "/"), text[colon + 2] == UInt8(ascii: "/") else { continue }
            if index > text.startIndex {
                let previous = text[index - 1]
                // A letter (ASCII or any multi-byte character) before it: part of a word.
                if previous >= 0x80 || (previous | 0x20 >= UInt8(ascii: "a") && previous | 0x20 <= UInt8(ascii: "z")) { continue }
            }
            return index
        }
        return nil
    }
}
