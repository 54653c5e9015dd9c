import Testing
@testable import StatusWeb

/// The template language: escaping by default, sections, partials, and errors that name
/// the line, from string literals.
@Suite struct TemplateTests {
    func render(_ source: String, _ context: TemplateValue, partials: [String: String] = [:]) throws -> String {
        let parsed = try partials.mapValues { try Template(name: "partial", source: $0) }
        return String(decoding: try Template(name: "test", source: source).render(context, partials: parsed), as: UTF8.self)
    }

    @Test func variablesAreEscapedByDefault() throws {
        let hostile: TemplateValue = ["name": "<script>alert(\"x\")</script> & 'y'"]
        #expect(try render("<p>{{name}}</p>", hostile)
            == "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>")
        #expect(try render("<p title=\"{{ name }}\">", hostile).contains("&quot;x&quot;"))
    }

    @Test func tripleBracesPassMarkupButNeverPlainText() throws {
        #expect(try render("{{{markup}}}", ["markup": .html("<b>ok</b>")]) == "<b>ok</b>")
        #expect(try render("{{& markup}}", ["markup": .html("<b>ok</b>")]) == "<b>ok</b>")
        // Text stays text even where a template asks for raw output.
        #expect(try render("{{{text}}}", ["text": "<b>no</b>"]) == "&lt;b&gt;no&lt;/b&gt;")
        // Markup in double braces is escaped like anything else.
        #expect(try render("{{markup}}", ["markup": .html("<b>")]) == "&lt;b&gt;")
    }

    @Test func controlCharactersBecomeReplacementCharacters() throws {
        #expect(try render("{{x}}", ["x": "a\u{0}b\u{1B}c\td\ne"]) == "a\u{FFFD}b\u{FFFD}c\td\ne")
        // Not characters in XML 1.0 either; their neighbours in UTF-8 pass unchanged.
        #expect(try render("{{x}}", ["x": "a\u{FFFE}b\u{FFFF}c\u{FFFD}d\u{EFBF}e\u{FFBE}"])
            == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{EFBF}e\u{FFBE}")
    }

    @Test func sectionsIterateListsAndPushObjects() throws {
        let context: TemplateValue = [
            "items": [["n": "a"], ["n": "b"]],
            "page": ["title": "T"],
            "flag": true,
            "off": false,
            "empty": [],
            "outer": "O",
        ]
        #expect(try render("{{#items}}[{{n}}{{outer}}]{{/items}}", context) == "[aO][bO]")
        #expect(try render("{{#page}}{{title}}{{/page}}|{{page.title}}", context) == "T|T")
        #expect(try render("{{#flag}}yes{{/flag}}{{#off}}no{{/off}}{{#missing}}no{{/missing}}", context) == "yes")
        #expect(try render("{{^empty}}none{{/empty}}{{^items}}no{{/items}}{{^off}}!{{/off}}", context) == "none!")
        #expect(try render("{{#items}}{{.}}{{/items}}", ["items": ["x", "<y>"]]) == "x&lt;y&gt;")
        #expect(try render("{{missing}}{{page.nothing}}{{flag}}", context) == "")
    }

    @Test func partialsRenderInTheCurrentContext() throws {
        let output = try render("{{#items}}{{> item}}{{/items}}", ["items": [["n": "1"], ["n": "2"]]],
                                partials: ["item": "<li>{{n}}</li>"])
        #expect(output == "<li>1</li><li>2</li>")
    }

    @Test func recursivePartialsStopAtTheDepthLimit() throws {
        let output = try render("{{> loop}}", [:], partials: ["loop": "x{{> loop}}"])
        #expect(output == String(repeating: "x", count: Template.maximumPartialDepth))
    }

    @Test func commentsRenderNothing() throws {
        #expect(try render("a{{! a comment }}b", [:]) == "ab")
    }

    @Test(arguments: [
        ("line\n{{#open}}\nnever closed", 2, "{{#open}} is never closed"),
        ("{{/stray}}", 1, "{{/stray}} closes no section"),
        ("a\nb\n{{#a}}{{/b}}", 3, "{{/b}} does not close {{#a}}"),
        ("x {{name", 1, "unclosed tag"),
        ("{{bad name}}", 1, "\"bad name\" is not a name"),
        ("{{=<% %>=}}", 1, "{{=<% %>=}} is not supported"),
        ("{{a..b}}", 1, "\"a..b\" is not a name"),
    ])
    func malformedTemplatesAreRefusedWithTheLine(_ source: String, _ line: Int, _ message: String) {
        #expect(throws: TemplateError(template: "test", line: line, message: message)) {
            _ = try Template(name: "test", source: source)
        }
    }

    @Test func siteTemplatesNeedEveryPageAndEveryPartial() throws {
        let pages = Dictionary(uniqueKeysWithValues: PageTemplates.pageNames.map { ($0, "ok") })
        _ = try PageTemplates(sources: pages)
        var missingPage = pages
        missingPage["history"] = nil
        #expect(throws: TemplateError(template: "templates/history.html", line: 0, message: "missing")) {
            _ = try PageTemplates(sources: missingPage)
        }
        var missingPartial = pages
        missingPartial["overview"] = "{{> nowhere}}"
        #expect(throws: TemplateError.self) { _ = try PageTemplates(sources: missingPartial) }
    }

    @Test func theBuiltInTemplatesLoad() throws {
        let templates = try PageTemplates(assets: Assets())
        for name in PageTemplates.pageNames {
            #expect(!templates.render(name, [:]).isEmpty, "templates/\(name).html")
        }
    }
}
