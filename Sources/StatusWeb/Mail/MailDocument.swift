import Foundation
import StatusCore

/// One mail being written: its plain-text part and its HTML part side by side, block by
/// block, so the two always say the same things in the same order.
///
/// The text part is lines of at most `lineWidth` characters where the words allow (a word
/// longer than that, a URL above all, is never broken), blocks apart by a blank line, and a
/// footer after the conventional `-- ` signature line. The HTML part is a small complete
/// document: `lang` set, no script, nothing fetched from anywhere, and no colour set
/// anywhere, so the reader's mail client shows it in its own light or dark scheme. Every
/// value in it is escaped with `HTMLEscaping` (control characters included), except the
/// link markers of `MailContent`, which the sender replaces.
struct MailDocument {
    /// RFC 5322 §2.1.1 asks for lines of at most 78 characters; 72 leaves room for the
    /// quoting of a reply.
    static let lineWidth = 72

    let language: Language
    private var lines: [String] = []
    private var body = ""
    /// Whether the next block follows the last line without a blank line (a heading's).
    private var attached = false

    init(language: Language) {
        self.language = language
    }

    // MARK: Blocks

    /// The mail's title.
    mutating func title(_ text: String) {
        appendLines(Self.wrap(text))
        attached = false
        body += "<h1 style=\"font-size:1.3em;margin:0 0 .5em\">\(HTMLEscaping.escape(text))</h1>\n"
    }

    /// A heading that the next block belongs to (an update's status and time).
    mutating func heading(_ text: String) {
        appendLines(Self.wrap(text))
        attached = true
        body += "<h2 style=\"font-size:1.05em;margin:1.5em 0 .25em\">\(HTMLEscaping.escape(text))</h2>\n"
    }

    /// A sentence or two of the page's words.
    mutating func paragraph(_ text: String, strong: Bool = false) {
        appendLines(Self.wrap(text))
        let escaped = HTMLEscaping.escape(text)
        body += "<p style=\"margin:0 0 .75em\">\(strong ? "<strong>\(escaped)</strong>" : escaped)</p>\n"
    }

    /// A remark about the block that follows, set apart (in parentheses in the text part).
    mutating func note(_ text: String) {
        appendLines(Self.wrap("(\(text))"))
        attached = true
        body += "<p style=\"margin:0 0 .5em\"><em>\(HTMLEscaping.escape(text))</em></p>\n"
    }

    /// Text staff wrote, in `textLanguage`: its line breaks kept, each line wrapped, its
    /// URLs made links in the HTML part (`PlainText`).
    mutating func staffText(_ text: String, textLanguage: Language) {
        var staffLines = PlainText.lines(text).map { String(decoding: $0, as: UTF8.self) }
        // Blank lines around the text would double the blank line between blocks.
        while staffLines.last?.allSatisfy({ $0 == " " || $0 == "\t" }) == true { staffLines.removeLast() }
        while staffLines.first?.allSatisfy({ $0 == " " || $0 == "\t" }) == true { staffLines.removeFirst() }
        guard !staffLines.isEmpty else { return }
        appendLines(staffLines.flatMap { Self.wrap($0) })
        let lang = textLanguage == language ? "" : " lang=\"\(textLanguage.tag)\""
        body += "<div\(lang)>\(PlainText.html(text))</div>\n"
    }

    /// A short list.
    mutating func list(_ items: [String]) {
        guard !items.isEmpty else { return }
        appendLines(items.flatMap { Self.wrap($0, first: "- ", continuation: "  ") })
        body += "<ul style=\"margin:0 0 .75em;padding-left:1.5em\">"
            + items.map { "<li>\(HTMLEscaping.escape($0))</li>" }.joined() + "</ul>\n"
    }

    /// `label: url` in the text part, on one line however long (a label is a few words, and
    /// a URL on a line of its own would leave the label dangling), a link named `label` in
    /// the HTML part; `prominent` draws it as a button.
    mutating func link(_ label: String, to url: String, prominent: Bool = false) {
        appendLines([label + ": " + url])
        let style = prominent
            ? " style=\"display:inline-block;padding:.5em 1.25em;border:2px solid currentColor;border-radius:6px;font-weight:bold;text-decoration:none\""
            : ""
        body += "<p style=\"margin:0 0 .75em\"><a href=\"\(Self.href(url))\"\(style)>\(HTMLEscaping.escape(label))</a></p>\n"
    }

    /// What ends every mail: why the reader gets it, then its links, after a signature
    /// line in the text part and a rule in the HTML part, in smaller print.
    mutating func footer(reason: String, links: [(label: String, url: String)]) {
        lines += ["", "-- "]
        lines += Self.wrap(reason)
        lines += links.map { $0.label + ": " + $0.url }
        attached = false
        body += "<hr style=\"border:0;border-top:1px solid currentColor;opacity:.3;margin:2em 0 1em\">\n"
        body += "<div style=\"font-size:.85em\">\n<p style=\"margin:0 0 .5em\">\(HTMLEscaping.escape(reason))</p>\n"
        body += "<p style=\"margin:0\">"
            + links.map { "<a href=\"\(Self.href($0.url))\">\(HTMLEscaping.escape($0.label))</a>" }.joined(separator: "<br>\n")
            + "</p>\n</div>\n"
    }

    /// The finished mail.
    func content(subject: String) -> MailContent {
        var html = "<!DOCTYPE html>\n<html lang=\"\(language.tag)\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        html += "<title>\(HTMLEscaping.escape(subject))</title>\n</head>\n"
        html += "<body style=\"margin:0;padding:1em;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5\">\n"
        html += "<div style=\"max-width:38em\">\n" + body + "</div>\n</body>\n</html>\n"
        return MailContent(subject: subject, text: lines.joined(separator: "\n") + "\n", html: html)
    }

    // MARK: Pieces

    private mutating func appendLines(_ block: [String]) {
        if !lines.isEmpty, !attached { lines.append("") }
        lines += block
        attached = false
    }

    /// A URL for `href`: escaped, except the markers of `MailContent`, which escaping would
    /// turn into U+FFFD (they hold control characters) and which the sender replaces with
    /// URLs that need no escaping.
    static func href(_ url: String) -> String {
        url == MailContent.manageLink || url == MailContent.unsubscribeLink ? url : HTMLEscaping.escape(url)
    }

    /// `line` in lines of at most `width` characters, broken at spaces; a longer word stands
    /// on a line of its own. Each line starts with `first`, the ones after it with
    /// `continuation` (a list item's hanging indent); indentation the line has is kept.
    static func wrap(_ line: String, width: Int = lineWidth, first: String = "", continuation: String = "")
        -> [String] {
        guard first.count + line.count > width else { return [first + line] }
        let indentation = String(line.prefix { $0 == " " || $0 == "\t" })
        var wrapped: [String] = []
        var current = first + indentation
        var currentHasWord = false
        for word in line.dropFirst(indentation.count).split(separator: " ") {
            if currentHasWord, current.count + 1 + word.count > width {
                wrapped.append(current)
                current = continuation + indentation
                currentHasWord = false
            }
            current += (currentHasWord ? " " : "") + word
            currentHasWord = true
        }
        wrapped.append(current)
        return wrapped
    }
}
