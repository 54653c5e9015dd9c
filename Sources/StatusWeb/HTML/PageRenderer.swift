import Foundation
import StatusCore

/// The HTML pages of one state at one instant, rendered from the templates in
/// `Public/templates/` (or an operator's copies): `/`, `/incidents/{id}`, `/history` and the
/// 404 page, each in every `Language`.
///
/// Everything a template shows is prepared here as `TemplateValue`s: plain text that the
/// template escapes, or markup this type built with `HTMLEscaping` (times, update bodies,
/// the uptime bar). Times are absolute and in the page's time zone.
public struct PageRenderer: Sendable {
    public let templates: PageTemplates
    public let state: StatusState
    public let now: Date
    public let pageStatus: Rollup.PageStatus
    let componentRows: [V2Representation.ComponentRow]
    let componentsByID: [String: Component]
    /// The incidents of `state`, for the incident pages' lookup on the read path.
    let incidentsByID: [String: Incident]
    let uptimeWindow: Uptime.Window
    /// Each showcased component's uptime bar and daily figures, by language.
    public private(set) var uptimeValues: [Language: [String: TemplateValue]]
    let defaultLanguage: Language
    /// The time formats of each language.
    let times: [Language: PageTime]
    /// Each component's incidents (not maintenances), for its uptime days.
    let incidentsByComponent: [String: [Incident]]
    /// Each component's automatic checks, as the public may see them: none at all when the
    /// page keeps its checks private (`Page.checksPublic`).
    let checksByComponent: [String: [CheckStatus]]
    /// Whether `/` offers the mail sign-up form (the server has an SMTP relay).
    let mailSubscriptions: Bool
    /// The snapshot time a static copy was made at (`StaticExport`), which every page of the
    /// copy states, so a stale copy never looks live; nil on the live server.
    public let copyAsOf: Date?
    /// The site's absolute address without a trailing slash, for `og:url`: `baseURL`, else
    /// the page's `url`; nil when neither is an http(s) URL.
    let publicURL: String?

    /// - Parameter reusingUptime: the uptime bars of a previous rendering of the same status
    ///   history on the same day (the costliest part, and one that changes least), or nil.
    /// - Parameter mailSubscriptions: whether `/` offers the mail sign-up form.
    /// - Parameter copyAsOf: for a static copy, its snapshot time, shown on every page.
    /// - Parameter baseURL: the site's public URL (`--base-url`), when it is not the page's.
    public init(templates: PageTemplates, state: StatusState, now: Date, pageStatus: Rollup.PageStatus? = nil,
                reusingUptime: [Language: [String: TemplateValue]]? = nil, mailSubscriptions: Bool = false,
                copyAsOf: Date? = nil, baseURL: String? = nil) {
        self.templates = templates
        publicURL = Self.absoluteBase(baseURL) ?? Self.absoluteBase(state.page.url)
        self.mailSubscriptions = mailSubscriptions
        self.copyAsOf = copyAsOf
        self.state = state
        self.now = now
        self.pageStatus = pageStatus ?? Rollup.pageStatus(state)
        componentRows = V2Representation.componentRows(groups: state.groups, components: state.components)
        componentsByID = Dictionary(state.components.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        incidentsByID = Dictionary(state.incidents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let zone = ZonedTimestamp(timeZoneIdentifier: state.page.timeZone)
        uptimeWindow = Uptime.Window(now: now, timeZone: zone.timeZone)
        defaultLanguage = Language(tag: state.page.defaultLanguage) ?? .indonesian
        times = Dictionary(uniqueKeysWithValues: Language.allCases.map {
            ($0, PageTime(timeZoneIdentifier: state.page.timeZone, strings: .of($0)))
        })
        var incidentsByComponent: [String: [Incident]] = [:]
        for incident in state.incidents where !incident.isMaintenance {
            for id in Set(incident.componentIDs) { incidentsByComponent[id, default: []].append(incident) }
        }
        self.incidentsByComponent = incidentsByComponent
        checksByComponent = state.page.checksPublic ? Dictionary(grouping: state.checks, by: \.check.componentID) : [:]
        uptimeValues = [:]
        if let reusingUptime {
            uptimeValues = reusingUptime
        } else {
            var values: [Language: [String: TemplateValue]] = [:]
            for component in state.components where component.showcase {
                let history = Uptime.history(changes: state.statusChanges[component.id] ?? [],
                                             startDate: component.startDate, window: uptimeWindow)
                for language in Language.allCases {
                    values[language, default: [:]][component.id] = uptimeValue(component, history: history, language)
                }
            }
            uptimeValues = values
        }
    }

    // MARK: Shared parts

    func pageTime(_ language: Language) -> PageTime { times[language]! }

    /// What every page's head, header and footer read.
    func layout(_ language: Language, title: String, path: String, extra: [String: TemplateValue]) -> TemplateValue {
        let strings = Strings.of(language)
        let time = pageTime(language)
        let other = language == .indonesian ? Language.english : .indonesian
        let page = state.page
        var fields: [String: TemplateValue] = [
            "lang": .text(language.tag),
            "t": strings.templateValue,
            "title": .text(title),
            "pageName": .text(page.name),
            "logo": .optional(Self.safeURL(page.logoURL)),
            "stylesheet": .optional(Self.safeURL(page.stylesheetURL)),
            "headerLinks": .list(page.headerLinks.compactMap { link in
                Self.safeURL(link.url).map { ["label": .text(link.label), "url": .text($0)] }
            }),
            "otherLanguage": [
                "tag": .text(other.tag),
                "label": .text(strings["other_language"]),
                "href": .text(Self.link(path, other)),
            ],
            "home": .text(Self.link("/", language)),
            "historyHref": .text(Self.link("/history", language)),
            "zone": .text(strings.format("times_in", ["zone": time.zoneDescription(at: now)])),
        ]
        if let copyAsOf {
            // With the date: a copy may be read days after it was made.
            fields["copyNotice"] = .html(Self.substitute(strings.format("copy_as_of", ["time": "\u{1}"]),
                                                         timeElement(copyAsOf, time: time, text: time.dateTime(copyAsOf))))
        }
        for (key, value) in extra { fields[key] = value }
        return .object(fields)
    }

    /// `path` in `language`: links between pages carry the reader's choice, so a reader who
    /// picked English stays in English whatever the browser asks for.
    static func link(_ path: String, _ language: Language) -> String {
        path + (path.contains("?") ? "&" : "?") + "lang=" + language.tag
    }

    /// `url` without trailing slashes when it is an absolute http(s) URL with a host.
    static func absoluteBase(_ url: String?) -> String? {
        guard var url, PageOptions.origin(of: url) != nil else { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// A URL an operator configured, if it is `http(s)://` or a root-relative path; anything
    /// else (`javascript:`, `data:`) is dropped rather than rendered.
    static func safeURL(_ url: String?) -> String? {
        guard let url, !url.isEmpty else { return nil }
        let lowered = url.lowercased()
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") { return url }
        if url.hasPrefix("/"), !url.hasPrefix("//") { return url }
        return nil
    }

    /// `<time datetime="2026-11-29T14:59:00.000+07:00">14:59 WIB</time>`.
    func timeElement(_ date: Date, time: PageTime, text: String) -> String {
        "<time datetime=\"\(HTMLEscaping.escape(time.machineReadable(date)))\">\(HTMLEscaping.escape(text))</time>"
    }

    /// The text of `primary` (in the page's default language) or of its translation in
    /// `language`, and the other version when there is one.
    func localized(_ primary: String, translations: [String: String], in language: Language)
        -> (text: String, textLanguage: Language, other: (text: String, language: Language)?) {
        Self.localized(primary, translations: translations, in: language, defaultLanguage: defaultLanguage)
    }

    /// `localized` for a page whose default language is `defaultLanguage` (the mails choose
    /// their text as the page does).
    static func localized(_ primary: String, translations: [String: String], in language: Language,
                          defaultLanguage: Language)
        -> (text: String, textLanguage: Language, other: (text: String, language: Language)?) {
        let otherLanguage = language == .indonesian ? Language.english : .indonesian
        func text(in wanted: Language) -> String? {
            if wanted == defaultLanguage { return primary.isEmpty ? nil : primary }
            return translations[wanted.tag].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let chosen = text(in: language) else {
            return (primary, defaultLanguage, nil)
        }
        if let other = text(in: otherLanguage), other != chosen {
            return (chosen, language, (other, otherLanguage))
        }
        return (chosen, language, nil)
    }

    func incidentName(_ incident: Incident, _ language: Language) -> String {
        localized(incident.name, translations: incident.nameTranslations, in: language).text
    }

    /// The open incidents (maintenance apart), newest first, as `/` lists them.
    var openIncidents: [Incident] {
        state.incidents.filter { !$0.isMaintenance && !$0.status.isClosed }.sorted { $0.startedAt > $1.startedAt }
    }

    /// What `incident` promises of its next update, as plain text with its time written out
    /// (a link preview, `/status.txt`); nil when it promises nothing.
    func promiseText(_ incident: Incident, _ language: Language) -> String? {
        let time = pageTime(language)
        guard let promise = UpdatePromise(incident, page: state.page, now: now, time: time) else { return nil }
        let instant = promise.instant.map { time.dateTime($0, sameDayAs: now) } ?? ""
        return promise.text.replacingOccurrences(of: "\u{1}", with: instant)
    }

    /// An incident or maintenance with its timeline, as `incident-card` and `incident`
    /// show it.
    func incidentValue(_ incident: Incident, _ language: Language, allUpdates: Bool = true) -> TemplateValue {
        let strings = Strings.of(language)
        let time = pageTime(language)
        let name = localized(incident.name, translations: incident.nameTranslations, in: language)
        var fields: [String: TemplateValue] = [
            "id": .text(incident.id),
            "href": .text(Self.link("/incidents/" + incident.id, language)),
            "name": .text(name.text),
            "nameLang": name.textLanguage == language ? false : .text(name.textLanguage.tag),
            "status": .text(strings.incidentStatus(incident.status)),
            "statusClass": .text("i-" + incident.status.rawValue),
            "impact": .text(strings.impact(incident.impact)),
            "impactClass": .text("m-" + incident.impact.rawValue),
            "isMaintenance": .bool(incident.isMaintenance),
            "isOpen": .bool(!incident.status.isClosed),
        ]
        let affected = incident.componentIDs.compactMap { componentsByID[$0]?.name(in: language.tag) }
        fields["affected"] = affected.isEmpty ? false : .text(affected.joined(separator: ", "))
        if incident.isMaintenance, let start = incident.scheduledFor {
            let end = incident.scheduledUntil
            let endText = end.map { time.dateTime($0, sameDayAs: start) } ?? "…"
            let window = strings.format("scheduled_window", ["start": "\u{1}", "end": "\u{2}"])
            fields["window"] = .html(Self.substitute(window, timeElement(start, time: time, text: time.dateTime(start)),
                                                     end.map { timeElement($0, time: time, text: endText) } ?? "…"))
        }
        if let promise = UpdatePromise(incident, page: state.page, now: now, time: time) {
            let named = promise.instant.map { timeElement($0, time: time, text: time.dateTime($0, sameDayAs: now)) }
            fields[promise.overdue ? "overdue" : "nextUpdate"] = .html(Self.substitute(promise.text, named ?? ""))
        }
        let begin = incident.isMaintenance ? (incident.scheduledFor ?? incident.startedAt) : incident.startedAt
        fields["started"] = .html(timeElement(begin, time: time, text: time.dateTime(begin)))
        if let end = incident.resolvedAt {
            fields["ended"] = .html(timeElement(end, time: time, text: time.dateTime(end, sameDayAs: begin)))
            fields["duration"] = .text(time.duration(end.timeIntervalSince(begin)))
        } else if begin <= now {
            fields["ongoingSince"] = .html(Self.substitute(strings.format("ongoing", ["time": "\u{1}"]),
                                                           timeElement(begin, time: time, text: time.dateTime(begin))))
        }
        let updates = allUpdates ? incident.updates : Array(incident.updates.prefix(1))
        let statusLabels = Self.statusLabels(incident, strings)
        fields["updates"] = .list(updates.map { update in
            let body = localized(update.body, translations: update.bodyTranslations, in: language)
            var value: [String: TemplateValue] = [
                "status": .text(statusLabels[update.id] ?? strings.incidentStatus(update.status)),
                "statusClass": .text("i-" + update.status.rawValue),
                "time": .html(timeElement(update.displayAt, time: time, text: time.dateTime(update.displayAt))),
                "body": .html(PlainText.html(body.text)),
                "bodyLang": body.textLanguage == language ? false : .text(body.textLanguage.tag),
            ]
            if let other = body.other {
                value["other"] = [
                    "label": .text(strings["other_language_version"]),
                    "lang": .text(other.language.tag),
                    "body": .html(PlainText.html(other.text)),
                ]
            }
            return .object(value)
        })
        if let postmortem = incident.postmortemBody, !postmortem.isEmpty, incident.postmortemPublishedAt != nil || incident.status == .postmortem {
            var value: [String: TemplateValue] = ["body": .html(PlainText.html(postmortem))]
            if let published = incident.postmortemPublishedAt {
                value["published"] = .html(Self.substitute(strings.format("published", ["time": "\u{1}"]),
                                                           timeElement(published, time: time, text: time.dateTime(published))))
            }
            fields["postmortem"] = .object(value)
        }
        return .object(fields)
    }

    /// Each update's label by id: its status, or "Update" when the status did not change.
    static func statusLabels(_ incident: Incident, _ strings: Strings) -> [String: String] {
        var previousStatus: IncidentStatus?
        var labels: [String: String] = [:]
        // Oldest first, to label an update whose status did not change "Update".
        for update in incident.updates.reversed() {
            labels[update.id] = update.status == previousStatus
                ? strings["incident_update"] : strings.incidentStatus(update.status)
            previousStatus = update.status
        }
        return labels
    }

    /// `text` escaped, with the placeholders `\u{1}` and `\u{2}` replaced by `markup`'s first
    /// and second element (markup this type built).
    static func substitute(_ text: String, _ markup: String...) -> String {
        var output = ""
        var pending = ""
        for character in text {
            let slot = character == "\u{1}" ? 0 : character == "\u{2}" ? 1 : nil
            if let slot {
                output += HTMLEscaping.escape(pending)
                pending = ""
                if slot < markup.count { output += markup[slot] }
            } else {
                pending.append(character)
            }
        }
        return output + HTMLEscaping.escape(pending)
    }

    func render(_ name: String, _ context: TemplateValue) -> [UInt8] {
        templates.render(name, context)
    }
}

