import Foundation
/// Update bodies and postmortems are plain text. On the page they keep their line breaks,
/// their `http://` and `https://` URLs become links, and everything else is escaped: no
/// markup written by staff (or by whoever stole a token) ever reaches a reader's browser.
public enum PlainText {
    /// `text` as HTML: paragraphs at blank lines, `<br>` at single line breaks, links.
    public static func html(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var paragraphs: [String] = []
        var current: [Substring] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !current.isEmpty { paragraphs.append(paragraph(current)); current = [] }
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(paragraph(current)) }
        return paragraphs.joined()
    }

    private static func paragraph(_ lines: [Substring]) -> String {
        "<p>" + lines.map { linked(String($0)) }.joined(separator: "<br>") + "</p>"
    }

    /// One line, escaped, with its URLs as links.
    public static func linked(_ line: String) -> String {
        var output = ""
        var rest = Substring(line)
        while let start = nextURLStart(in: rest) {
            output += HTMLEscaping.escape(String(rest[..<start]))
            var end = rest[start...].firstIndex { $0 == " " || $0 == "\t" || $0 == "<" || $0 == ">" || $0 == "\"" }
                ?? rest.endIndex
            // Trailing punctuation ends the sentence, not the URL; a closing bracket stays
            // when the URL opened one.
            while end > start {
                let last = rest[rest.index(before: end)]
                let url = rest[start..<end]
                if ".,;:!?'".contains(last)
                    || (last == ")" && url.filter({ $0 == "(" }).count < url.filter({ $0 == ")" }).count) {
                    end = rest.index(before: end)
                } else {
                    break
                }
            }
            let url = String(rest[start..<end])
            let scheme = url.hasPrefix("https://") ? 8 : 7
            if url.count > scheme {
                let escaped = HTMLEscaping.escape(url)
                output += "<a href=\"\(escaped)\" rel=\"nofollow noopener\">\(escaped)</a>"
            } else {
                output += HTMLEscaping.escape(url)
            }
            rest = rest[end...]
        }
        return output + HTMLEscaping.escape(String(rest))
    }

    /// The start of the next `http://` or `https://` (any case) that begins a word.
    private static func nextURLStart(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.count >= 7, rest.prefix(8).lowercased().hasPrefix("https://") || rest.prefix(7).lowercased() == "http://" {
                if index == text.startIndex || !text[text.index(before: index)].isLetter { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }
}
