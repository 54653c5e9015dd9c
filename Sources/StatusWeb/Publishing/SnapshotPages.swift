import Foundation
import HTTPServer
import StatusCore
import Synchronization

/// The HTML, feeds and badges of one snapshot.
///
/// `/` in each language and `/theme.css` are rendered when the snapshot is built, so the
/// busiest page is only ever written, never rendered, per request. The rest (incident pages,
/// history pages, feeds for a host, badges) is rendered on first request and kept for the
/// snapshot's life, so each is rendered at most about once per change.
public final class SnapshotPages: Sendable {
    public let pages: PageRenderer
    let options: PageOptions
    let lastModified: Int
    let maxAge: Int
    let contentSecurityPolicy: String
    private let overviews: [Language: Snapshot.Entry]
    private let notFoundPages: [Language: HTTPResponse]
    private let statusTexts: [Language: Snapshot.Entry]
    private let embeds: [Language: Snapshot.Entry]
    public let theme: Snapshot.Entry
    /// The lazily rendered documents, shared with the copy `withBrotli()` makes so nothing
    /// rendered is lost when it is swapped in.
    private let rendered: RenderedDocuments

    final class RenderedDocuments: Sendable {
        let entries = Mutex<[String: Snapshot.Entry]>([:])
    }

    /// How many lazily rendered documents one snapshot keeps; past it they are rendered
    /// for each request (a flood of made-up `Host` headers cannot grow memory).
    static let renderedLimit = 1024

    public static let htmlType = "text/html; charset=utf-8"
    public static let textType = "text/plain; charset=utf-8"

    /// Renders the pages of `state`. `brotli` false leaves the Brotli forms of `/` and
    /// `/theme.css` for `withBrotli()`.
    convenience init(state: StatusState, now: Date, options: PageOptions, pageStatus: Rollup.PageStatus,
                     lastModified: Int, maxAge: Int, reusingUptime: [Language: [String: TemplateValue]]? = nil,
                     copyAsOf: Date? = nil, brotli: Bool = true) {
        let pages = PageRenderer(templates: options.templates, state: state, now: now, pageStatus: pageStatus,
                                 reusingUptime: reusingUptime, mailSubscriptions: options.mailSubscriptions,
                                 copyAsOf: copyAsOf, baseURL: options.baseURL)
        self.init(pages: pages, options: options, lastModified: lastModified, maxAge: maxAge, brotli: brotli)
    }

    /// The pages `pages` renders; `overviews` when they are rendered already (`Snapshot.build`
    /// renders them beside the JSON documents), otherwise each language's `/` is rendered now.
    init(pages: PageRenderer, options: PageOptions, lastModified: Int, maxAge: Int, brotli: Bool,
         overviews: [Language: Snapshot.Entry]? = nil) {
        self.pages = pages
        self.options = options
        self.lastModified = lastModified
        self.maxAge = maxAge
        let contentSecurityPolicy = Self.contentSecurityPolicy(pages, options)
        self.contentSecurityPolicy = contentSecurityPolicy
        theme = Snapshot.makeEntry(body: Array(Self.themeCSS(accent: pages.state.page.accentColor).utf8),
                                   contentType: "text/css; charset=utf-8", lastModified: lastModified, maxAge: maxAge,
                                   brotli: brotli)
        self.overviews = overviews ?? Dictionary(uniqueKeysWithValues: Parallel.map(Language.allCases) { language in
            (language, Self.overview(pages, language, options: options, lastModified: lastModified, maxAge: maxAge,
                                     brotli: brotli))
        })
        var notFoundPages: [Language: HTTPResponse] = [:]
        for language in Language.allCases {
            notFoundPages[language] = HTTPResponse(status: .notFound, headers: Self.securityHeaders(language, csp: contentSecurityPolicy).merging([
                .contentType: Self.htmlType,
                .cacheControl: Snapshot.cacheControl(maxAge: maxAge),
                .vary: "Accept-Language, Accept-Encoding",
            ]), body: pages.notFound(language)).prepared()
        }
        self.notFoundPages = notFoundPages
        // `/status.txt` and `/embed` are a few hundred bytes each: made whole, Brotli included.
        let embedPolicy = options.contentSecurityPolicy(logoURL: pages.state.page.logoURL,
                                                        stylesheetURL: pages.state.page.stylesheetURL,
                                                        frameAncestors: options.embedAncestors)
        var statusTexts: [Language: Snapshot.Entry] = [:]
        var embeds: [Language: Snapshot.Entry] = [:]
        for language in Language.allCases {
            statusTexts[language] = Snapshot.makeEntry(body: Array(pages.statusText(language).utf8), contentType: Self.textType,
                                                       lastModified: lastModified, maxAge: maxAge,
                                                       headers: StatusRoutes.anyOriginHeaders
                                                           .merging([.contentLanguage: language.tag]),
                                                       vary: "Accept-Language, Accept-Encoding")
            embeds[language] = Self.htmlEntry(pages.embed(language), language: language, csp: embedPolicy,
                                              lastModified: lastModified, maxAge: maxAge)
        }
        self.statusTexts = statusTexts
        self.embeds = embeds
        rendered = RenderedDocuments()
    }

    private init(_ other: SnapshotPages, overviews: [Language: Snapshot.Entry], theme: Snapshot.Entry) {
        pages = other.pages
        options = other.options
        lastModified = other.lastModified
        maxAge = other.maxAge
        contentSecurityPolicy = other.contentSecurityPolicy
        self.overviews = overviews
        notFoundPages = other.notFoundPages
        statusTexts = other.statusTexts
        embeds = other.embeds
        self.theme = theme
        rendered = other.rendered
    }

    /// `/` in `language`, prepared.
    static func overview(_ pages: PageRenderer, _ language: Language, options: PageOptions, lastModified: Int,
                         maxAge: Int, brotli: Bool) -> Snapshot.Entry {
        htmlEntry(pages.overview(language), language: language, csp: contentSecurityPolicy(pages, options),
                  lastModified: lastModified, maxAge: maxAge, brotli: brotli, sendfile: true)
    }

    static func contentSecurityPolicy(_ pages: PageRenderer, _ options: PageOptions) -> String {
        options.contentSecurityPolicy(logoURL: pages.state.page.logoURL, stylesheetURL: pages.state.page.stylesheetURL)
    }

    /// Whether `/` or `/theme.css` still lacks its Brotli form (see `withBrotli()`).
    var lacksBrotli: Bool {
        overviews.values.contains { $0.representation.lacksBrotli } || theme.representation.lacksBrotli
    }

    /// These pages with the Brotli forms of `/` and `/theme.css` made (see `Snapshot.withBrotli`).
    func withBrotli() -> SnapshotPages {
        let languages = overviews.keys.sorted { $0.tag < $1.tag }
        let made = Parallel.map(languages.map { overviews[$0]! } + [theme]) { $0.withBrotli() }
        return SnapshotPages(self, overviews: Dictionary(uniqueKeysWithValues: zip(languages, made)), theme: made.last!)
    }

    /// The same pages as a static copy shows them: each says it is a copy as of the
    /// snapshot's time. The live server's pages stay as they are.
    public func staticCopy() -> SnapshotPages {
        SnapshotPages(state: pages.state, now: pages.now, options: options, pageStatus: pages.pageStatus,
                      lastModified: lastModified, maxAge: maxAge, reusingUptime: pages.uptimeValues,
                      copyAsOf: pages.now)
    }

    /// The language a page falls back to: the page's own.
    public var defaultLanguage: Language { pages.defaultLanguage }

    public func overview(_ language: Language) -> Snapshot.Entry { overviews[language]! }

    /// The incident page, when the snapshot holds the incident (every open one and the
    /// recent ones); nil otherwise, and the caller reads it from the store.
    public func incident(id: String, _ language: Language) -> Snapshot.Entry? {
        guard let incident = pages.incidentsByID[id] else { return nil }
        return incidentPage(incident, language)
    }

    public func incidentPage(_ incident: Incident, _ language: Language) -> Snapshot.Entry {
        html("incident|\(incident.id)|\(language.tag)", language) { pages.incidentPage(incident, language) }
    }

    /// A history page already rendered for this snapshot.
    public func renderedHistory(page: Int, _ language: Language) -> Snapshot.Entry? {
        rendered.entries.withLock { $0["history|\(page)|\(language.tag)"] }
    }

    /// A history page, reading its months' incidents from `store` unless this snapshot has
    /// rendered it already. Blocks: call it off the event loop.
    public func history(page: Int, store: Store, _ language: Language) throws -> Snapshot.Entry {
        if let entry = renderedHistory(page: page, language) { return entry }
        let range = pages.historyMonths(page: page)
        let start = range.months.last?.start ?? range.end
        let incidents = try store.incidents(shownFrom: start, to: range.end)
        let hasOlder = try store.hasIncidents(shownBefore: start)
        return history(page: page, incidents: incidents, hasOlder: hasOlder, language)
    }

    public func history(page: Int, incidents: [Incident], hasOlder: Bool, _ language: Language) -> Snapshot.Entry {
        html("history|\(page)|\(language.tag)", language) {
            pages.historyPage(page: page, incidents: incidents, hasOlder: hasOlder, language)
        }
    }

    /// `/status.txt`: the status in one SMS (`PageRenderer.statusText`), prepared with the snapshot.
    public func statusText(_ language: Language) -> Snapshot.Entry { statusTexts[language]! }

    /// `/embed`: the banner other sites frame, prepared with the snapshot; its
    /// `frame-ancestors` are `PageOptions.embedAncestors`.
    public func embed(_ language: Language) -> Snapshot.Entry { embeds[language]! }

    /// The 404 page, prepared with the snapshot: a flood of made-up paths costs no rendering.
    public func notFound(_ language: Language) -> HTTPResponse { notFoundPages[language]! }

    public enum FeedFormat: String, Sendable {
        case rss, atom

        var contentType: String {
            switch self {
            case .rss: return "application/rss+xml; charset=utf-8"
            case .atom: return "application/atom+xml; charset=utf-8"
            }
        }
    }

    /// A feed whose links start with `baseURL`.
    public func feed(_ format: FeedFormat, baseURL: String) -> Snapshot.Entry {
        remember("feed|\(format.rawValue)|\(baseURL)") {
            let feed = HistoryFeed(state: pages.state, baseURL: baseURL, now: pages.now)
            return Snapshot.makeEntry(body: format == .rss ? feed.rss() : feed.atom(), contentType: format.contentType,
                                      lastModified: lastModified, maxAge: maxAge, headers: StatusRoutes.anyOriginHeaders)
        }
    }

    /// `/badge.svg` (nil `componentID`) or a component's badge; nil for an unknown component.
    public func badge(componentID: String?, _ language: Language) -> Snapshot.Entry? {
        let key = "badge|\(componentID ?? "")|\(language.tag)"
        if let entry = rendered.entries.withLock({ $0[key] }) { return entry }
        let strings = Strings.of(language)
        let label: String
        let message: String
        let color: String
        if let componentID {
            guard let component = pages.componentsByID[componentID] else { return nil }
            (label, message, color) = (component.name(in: language.tag), strings.componentStatus(component.status), Badge.color(of: component.status))
        } else {
            let indicator = pages.pageStatus.indicator
            (label, message, color) = (strings["badge_label"], strings.indicator(indicator), Badge.color(of: indicator))
        }
        return remember(key) {
            Snapshot.makeEntry(body: Badge.svg(label: label, message: message, color: color),
                               contentType: "image/svg+xml; charset=utf-8", lastModified: lastModified, maxAge: maxAge,
                               headers: StatusRoutes.anyOriginHeaders.merging([.contentLanguage: language.tag]),
                               vary: "Accept-Language, Accept-Encoding")
        }
    }

    // MARK: Building

    private func html(_ key: String, _ language: Language, render: () -> [UInt8]) -> Snapshot.Entry {
        remember(key) {
            Self.htmlEntry(render(), language: language, csp: contentSecurityPolicy, lastModified: lastModified,
                           maxAge: maxAge)
        }
    }

    private func remember(_ key: String, build: () -> Snapshot.Entry) -> Snapshot.Entry {
        if let entry = rendered.entries.withLock({ $0[key] }) { return entry }
        let entry = build()
        rendered.entries.withLock { entries in
            if entries.count < Self.renderedLimit { entries[key] = entry }
        }
        return entry
    }

    static func htmlEntry(_ body: [UInt8], language: Language, csp: String, lastModified: Int, maxAge: Int,
                          brotli: Bool = true, sendfile: Bool = false) -> Snapshot.Entry {
        Snapshot.makeEntry(body: body, contentType: htmlType, lastModified: lastModified, maxAge: maxAge,
                           headers: securityHeaders(language, csp: csp), vary: "Accept-Language, Accept-Encoding",
                           brotli: brotli, sendfile: sendfile)
    }

    static func securityHeaders(_ language: Language, csp: String) -> HTTPHeaders {
        [
            .contentLanguage: language.tag,
            "Content-Security-Policy": csp,
            "Referrer-Policy": "strict-origin-when-cross-origin",
            .xContentTypeOptions: "nosniff",
        ]
    }

    /// `/theme.css`: the accent colour, and a text colour readable on it (WCAG relative
    /// luminance: white text when it contrasts more than black does).
    static func themeCSS(accent: String?) -> String {
        guard let accent, let rgb = hexColor(accent) else { return ":root{}\n" }
        let luminance = relativeLuminance(rgb)
        let whiteContrast = 1.05 / (luminance + 0.05)
        let blackContrast = (luminance + 0.05) / 0.05
        return ":root{--accent:\(accent.lowercased());--accent-fg:\(whiteContrast >= blackContrast ? "#ffffff" : "#000000")}\n"
    }

    static func hexColor(_ text: String) -> (Double, Double, Double)? {
        guard text.count == 7, text.hasPrefix("#"), let value = Int(text.dropFirst(), radix: 16) else { return nil }
        return (Double(value >> 16 & 0xFF) / 255, Double(value >> 8 & 0xFF) / 255, Double(value & 0xFF) / 255)
    }

    static func relativeLuminance(_ rgb: (Double, Double, Double)) -> Double {
        func channel(_ value: Double) -> Double {
            value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(rgb.0) + 0.7152 * channel(rgb.1) + 0.0722 * channel(rgb.2)
    }
}

extension HTTPHeaders {
    /// These headers with `other`'s fields set over them.
    func merging(_ other: HTTPHeaders) -> HTTPHeaders {
        var result = self
        for field in other { result.set(field.name, field.value) }
        return result
    }
}
