/// How the public HTML is rendered and framed: the templates, who may embed the page and
/// the banner, and the site's public address for link previews.
public struct PageOptions: Sendable {
    public var templates: PageTemplates
    /// The CSP `frame-ancestors` sources (CSP 3 §6.4.2) of every page but `/embed`: `'none'`
    /// by default, so no other site can frame the page; `'self' https://intranet.example`
    /// to allow embedding.
    public var frameAncestors: String
    /// The `frame-ancestors` sources of `/embed`, the banner made to be framed by other
    /// sites: `*` (any site) by default.
    public var embedAncestors: String
    /// The site's public URL (`--base-url`), which link previews name as `og:url`; without
    /// it the page's `url` setting, and without either no `og:url` at all.
    public var baseURL: String?
    /// Whether mail subscriptions are offered (the server has an SMTP relay): the sign-up
    /// form on `/` and `/subscribe`, and email subscribers in the management API.
    public var mailSubscriptions = false

    public init(templates: PageTemplates, frameAncestors: String = "'none'",
                embedAncestors: String = "*") throws(PageOptionsError) {
        self.templates = templates
        self.frameAncestors = try Self.sources(frameAncestors, option: "frame-ancestors")
        self.embedAncestors = try Self.sources(embedAncestors, option: "embed-ancestors")
    }

    /// `text` as a `frame-ancestors` source list, one space apart; an error naming `option`
    /// when it is empty or holds anything but sources.
    static func sources(_ text: String, option: String) throws(PageOptionsError) -> String {
        let sources = text.split(separator: " ").map(String.init)
        guard !sources.isEmpty, sources.allSatisfy(Self.isSource) else {
            throw PageOptionsError(message: "\(option) \"\(text)\" is not a list of sources such as 'none', 'self' or https://example.com")
        }
        return sources.joined(separator: " ")
    }

    /// The built-in templates; no site may frame the pages, any may frame `/embed`.
    public static let standard: PageOptions = {
        do {
            return try PageOptions(templates: PageTemplates(assets: Assets()))
        } catch {
            fatalError("the built-in templates do not load: \(error)")
        }
    }()

    /// A CSP host-source or keyword, without the characters that would end the directive.
    static func isSource(_ source: String) -> Bool {
        if ["'none'", "'self'"].contains(source) { return true }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/*[]")
        return !source.hasPrefix("'") && source.allSatisfy(allowed.contains)
    }

    /// The `Content-Security-Policy` of every page: nothing from anywhere but this origin
    /// (and the operator's own logo and stylesheet hosts); no inline script or style. Forms
    /// may post only to this origin, and only while mail subscriptions are offered (the
    /// pages have no other form); `form-action` also covers where a form's redirect leads
    /// (CSP 3 §6.4.1).
    /// `frameAncestors` replaces the pages' own sources (`/embed` passes `embedAncestors`).
    func contentSecurityPolicy(logoURL: String?, stylesheetURL: String?, frameAncestors: String? = nil) -> String {
        let logo = Self.origin(of: logoURL).map { " " + $0 } ?? ""
        let style = Self.origin(of: stylesheetURL).map { " " + $0 } ?? ""
        let forms = mailSubscriptions ? "'self'" : "'none'"
        return "default-src 'none'; script-src 'self'; style-src 'self'\(style); img-src 'self' data:\(logo); "
            + "connect-src 'self'; base-uri 'none'; form-action \(forms); frame-ancestors \(frameAncestors ?? self.frameAncestors)"
    }

    /// `https://cdn.example` from `https://cdn.example/a/logo.png`; nil for relative URLs.
    static func origin(of url: String?) -> String? {
        guard let url = PageRenderer.safeURL(url), let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.:[]")
        guard !host.isEmpty, host.allSatisfy(allowed.contains) else { return nil }
        return url[..<schemeEnd.upperBound].lowercased() + host
    }
}

public struct PageOptionsError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
