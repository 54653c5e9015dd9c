/// A page of a static copy without the line saying it is a copy (`<p class="copy-notice"
/// role="note">…</p>` and its newline): what the server sends for the same page. nil when
/// the page has no such line, so a test comparing a copy with the server also checks it.
public func withoutCopyNotice(_ page: String) -> String? {
    guard let start = page.range(of: "<p class=\"copy-notice\" role=\"note\">"),
          let end = page.range(of: "</p>\n", range: start.upperBound..<page.endIndex) else { return nil }
    return String(page[..<start.lowerBound] + page[end.upperBound...])
}

/// `withoutCopyNotice` of UTF-8 bytes.
public func withoutCopyNotice(_ page: [UInt8]) -> [UInt8]? {
    withoutCopyNotice(String(decoding: page, as: UTF8.self)).map { Array($0.utf8) }
}
