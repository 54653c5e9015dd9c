/// The parsed page templates: `overview`, `incident`, `history`, `not-found`, the banner
/// `embed`, the mail subscription pages `subscribe` and `subscription`, and the partials
/// they include. Parsed once, when the site loads; a template that does not parse,
/// a missing page template or a partial that names no template stops the server at start
/// with a message naming the file and line.
public struct PageTemplates: Sendable {
    /// The templates a site needs.
    public static let pageNames = ["overview", "incident", "history", "not-found", "subscribe", "subscription", "embed"]

    let templates: [String: Template]

    public init(sources: [String: String]) throws(TemplateError) {
        var templates: [String: Template] = [:]
        for (name, source) in sources {
            templates[name] = try Template(name: "templates/\(name).html", source: source)
        }
        for name in Self.pageNames where templates[name] == nil {
            throw TemplateError(template: "templates/\(name).html", line: 0, message: "missing")
        }
        for template in templates.values {
            for partial in template.partialNames where templates[partial] == nil {
                throw TemplateError(template: template.name, line: 0,
                                    message: "includes {{> \(partial)}}, but templates/\(partial).html does not exist")
            }
        }
        self.templates = templates
    }

    /// The templates of `assets` (the embedded ones, or an operator's copies).
    public init(assets: Assets) throws(TemplateError) {
        try self.init(sources: assets.templateSources)
    }

    func render(_ name: String, _ context: TemplateValue) -> [UInt8] {
        templates[name]?.render(context, partials: templates) ?? []
    }
}
