/// How the public HTML is rendered and framed: the templates, and who may embed the page.
public struct PageOptions: Sendable {
    public var templates: PageTemplates
    /// The CSP `frame-ancestors` sources (CSP 3 §6.4.2): `'none'` by default, so no other
    /// site can frame the page; `'self' https://intranet.example` to allow embedding.
    public var frameAncestors: String
    /// Whether mail subscriptions are offered (the server has an SMTP relay): the sign-up
    /// form on `/` and `/subscribe`, and email subscribers in the management API.
    public var mailSubscriptions = false

    public init(templates: PageTemplates, frameAncestors: String = "'none'") throws(PageOptionsError) {
        let sources = frameAncestors.split(separator: " ").map(String.init)
        guard !sources.isEmpty, sources.allSatisfy(Self.isSource) else {
            throw PageOptionsError(message: "frame-ancestors \"\(frameAncestors)\" is not a list of sources such as 'none', 'self' or https://example.com")
        }
        self.templates = templates
        self.frameAncestors = sources.joined(separator: " ")
    }

    /// The built-in templates, no embedding.
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
    func contentSecurityPolicy(logoURL: String?, stylesheetURL: String?) -> String {
        let logo = Self.origin(of: logoURL).map { " " + $0 } ?? ""
        let style = Self.origin(of: stylesheetURL).map { " " + $0 } ?? ""
        let forms = mailSubscriptions ? "'self'" : "'none'"
        return "default-src 'none'; script-src 'self'; style-src 'self'\(style); img-src 'self' data:\(logo); "
            + "connect-src 'self'; base-uri 'none'; form-action \(forms); frame-ancestors \(frameAncestors)"
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
