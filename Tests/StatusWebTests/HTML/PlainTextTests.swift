import Testing
@testable import StatusWeb

@Suite struct PlainTextTests {
    @Test(arguments: [
        ("Autogates down.", "<p>Autogates down.</p>"),
        ("line one\nline two", "<p>line one<br>line two</p>"),
        ("one\r\n\r\ntwo", "<p>one</p><p>two</p>"),
        ("a\n  \n\n b", "<p>a</p><p> b</p>"),
        ("<script>alert('x')</script> & \"q\"", "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>"),
        ("", ""),
    ])
    func paragraphsLineBreaksAndEscaping(_ text: String, _ html: String) {
        #expect(PlainText.html(text) == html)
    }

    @Test(arguments: [
        ("See https://example.com/a?b=1&c=2.",
         "See <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener\">https://example.com/a?b=1&amp;c=2</a>."),
        ("(http://x.id/path)", "(<a href=\"http://x.id/path\" rel=\"nofollow noopener\">http://x.id/path</a>)"),
        ("https://en.wikipedia.org/wiki/Foo_(bar), ok",
         "<a href=\"https://en.wikipedia.org/wiki/Foo_(bar)\" rel=\"nofollow noopener\">https://en.wikipedia.org/wiki/Foo_(bar)</a>, ok"),
        ("HTTPS://EXAMPLE.COM", "<a href=\"HTTPS://EXAMPLE.COM\" rel=\"nofollow noopener\">HTTPS://EXAMPLE.COM</a>"),
        ("https://a.b/\"onmouseover=\"x", "<a href=\"https://a.b/\" rel=\"nofollow noopener\">https://a.b/</a>&quot;onmouseover=&quot;x"),
        ("https://a.b/<script>", "<a href=\"https://a.b/\" rel=\"nofollow noopener\">https://a.b/</a>&lt;script&gt;"),
        ("javascript:alert(1) ftp://x.y", "javascript:alert(1) ftp://x.y"),
        ("xhttps://a.b", "xhttps://a.b"),
        ("https:// alone", "https:// alone"),
    ])
    func onlyHTTPURLsBecomeLinks(_ line: String, _ html: String) {
        #expect(PlainText.linked(line) == html)
    }
}
