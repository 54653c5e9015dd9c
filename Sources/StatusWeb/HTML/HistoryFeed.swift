import Foundation
import StatusCore

/// `/history.rss` and `/history.atom` as Statuspage writes them (reference/statuspage-v2.md
/// §4): incidents and maintenances, newest first, each with its update trail as escaped
/// HTML, one `<p>` per update, newest first. Every language an update carries is included:
/// the page's language first, then each translation in a `<p lang="…">`. An open incident's
/// trail begins with what the page says of its next update (`UpdatePromise`), as Statuspage
/// begins a scheduled maintenance's with its window.
///
/// Links must be absolute, so a feed is built for a base URL: the page's `url`, or, while
/// that is unset, the scheme and host the request came in on.
public struct HistoryFeed: Sendable {
    /// How many entries a feed holds (Statuspage: about 25).
    public static let entryLimit = 25

    let state: StatusState
    let baseURL: String
    /// The instant the feed describes: whether a promised update is overdue, and by how long.
    let now: Date
    let time: PageTime
    /// Each entry's date: when it closed, a maintenance's scheduled start, else its start.
    let entries: [(incident: Incident, date: Date)]

    public init(state: StatusState, baseURL: String, now: Date) {
        self.state = state
        self.baseURL = baseURL
        self.now = now
        time = PageTime(timeZoneIdentifier: state.page.timeZone, strings: .of(.english))
        var entries: [(incident: Incident, date: Date)] = state.incidents.map { incident in
            (incident, Self.entryDate(incident))
        }
        entries.sort { $0.date != $1.date ? $0.date > $1.date : $0.incident.id > $1.incident.id }
        self.entries = Array(entries.prefix(Self.entryLimit))
    }

    /// When it closed; else a maintenance's scheduled start; else its start.
    static func entryDate(_ incident: Incident) -> Date {
        if let resolved = incident.resolvedAt { return resolved }
        if incident.isMaintenance, let scheduled = incident.scheduledFor { return scheduled }
        return incident.startedAt
    }

    var title: String { "\(state.page.name) Status - Incident History" }

    func link(_ incident: Incident) -> String { "\(baseURL)/incidents/\(incident.id)" }

    /// The host of `baseURL`, for `tag:` URIs (RFC 4151).
    var host: String {
        URLComponents(string: baseURL)?.host ?? "localhost"
    }

    // MARK: RSS 2.0

    public func rss() -> [UInt8] {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n"
        xml += element("title", title)
        xml += element("link", baseURL + "/")
        xml += element("description", "Statuspage")
        xml += element("language", state.page.defaultLanguage)
        xml += element("pubDate", Self.rfc822(entries.first?.date ?? state.page.updatedAt, zone: time.zone))
        for (incident, date) in entries {
            xml += "<item>\n"
            xml += element("title", incident.name)
            xml += element("description", contentHTML(incident))
            xml += element("pubDate", Self.rfc822(date, zone: time.zone))
            xml += element("link", link(incident))
            xml += "<guid isPermaLink=\"true\">\(HTMLEscaping.escape(link(incident)))</guid>\n"
            if incident.isMaintenance, !incident.status.isClosed, let end = incident.scheduledUntil {
                xml += element("maintenanceEndDate", Self.rfc822(end, zone: time.zone))
            }
            xml += "</item>\n"
        }
        xml += "</channel>\n</rss>\n"
        return Array(xml.utf8)
    }

    // MARK: Atom (RFC 4287)

    public func atom() -> [UInt8] {
        let updated = ([state.page.updatedAt] + entries.map(\.incident.updatedAt)).max() ?? state.page.updatedAt
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<feed xml:lang=\"\(HTMLEscaping.escape(state.page.defaultLanguage))\" xmlns=\"http://www.w3.org/2005/Atom\">\n"
        xml += element("id", "tag:\(host),2005:/history")
        xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(HTMLEscaping.escape(baseURL + "/"))\"/>\n"
        xml += "<link rel=\"self\" type=\"application/atom+xml\" href=\"\(HTMLEscaping.escape(baseURL + "/history.atom"))\"/>\n"
        xml += element("title", title)
        xml += element("updated", Timestamp.format(updated))
        xml += "<author>\n" + element("name", state.page.name) + "</author>\n"
        for (incident, date) in entries {
            xml += "<entry>\n"
            xml += element("id", "tag:\(host),2005:Incident/\(incident.id)")
            xml += element("published", Timestamp.format(date))
            xml += element("updated", Timestamp.format(max(date, incident.updatedAt)))
            xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(HTMLEscaping.escape(link(incident)))\"/>\n"
            xml += element("title", incident.name)
            xml += "<content type=\"html\">\(HTMLEscaping.escape(contentHTML(incident)))</content>\n"
            xml += "</entry>\n"
        }
        xml += "</feed>\n"
        return Array(xml.utf8)
    }

    // MARK: Content

    /// The update trail as HTML, Statuspage's markup:
    /// `<p><small>Feb <var data-var='date'> 9</var>, <var data-var='time'>16:57</var> UTC</small><br><strong>Resolved</strong> - body</p>`.
    func contentHTML(_ incident: Incident) -> String {
        var html = ""
        if incident.isMaintenance, incident.status == .scheduled, let start = incident.scheduledFor {
            let end = incident.scheduledUntil ?? start
            let local = time.zone.localTime(start)
            let window = "\(time.strings.shortMonths[local.month - 1]) <var data-var='date'>\(Self.padded(local.day))</var>, "
                + "<var data-var='time'>\(clock(start))</var> - <var data-var='time'>\(clock(end))</var> \(time.abbreviation(at: start))"
            html += "<p><strong>THIS IS A SCHEDULED EVENT \(window)</strong></p>"
        }
        if let promise = UpdatePromise(incident, page: state.page, now: now, time: time) {
            let text = promise.text.replacingOccurrences(of: "\u{1}", with: promise.instant.map { time.dateTime($0) } ?? "")
            html += "<p><strong>\(HTMLEscaping.escape(text))</strong></p>"
        }
        for (name, language) in translatedNames(incident) {
            html += "<p lang=\"\(HTMLEscaping.escape(language))\"><strong>\(HTMLEscaping.escape(name))</strong></p>"
        }
        var previous: IncidentStatus?
        var labels: [String: String] = [:]
        for update in incident.updates.reversed() {
            labels[update.id] = update.status == previous ? "Update" : Self.label(update.status)
            previous = update.status
        }
        for update in incident.updates {
            let local = time.zone.localTime(update.displayAt)
            let stamp = "<small>\(time.strings.shortMonths[local.month - 1]) <var data-var='date'>\(Self.padded(local.day))</var>, "
                + "<var data-var='time'>\(clock(update.displayAt))</var> \(HTMLEscaping.escape(time.abbreviation(at: update.displayAt)))</small>"
            html += "<p>\(stamp)<br><strong>\(labels[update.id] ?? Self.label(update.status))</strong> - \(Self.bodyHTML(update.body))</p>"
            for language in update.bodyTranslations.keys.sorted() {
                guard let text = update.bodyTranslations[language], !text.isEmpty else { continue }
                html += "<p lang=\"\(HTMLEscaping.escape(language))\">\(Self.bodyHTML(text))</p>"
            }
        }
        return html
    }

    private func translatedNames(_ incident: Incident) -> [(String, String)] {
        incident.nameTranslations.keys.sorted().compactMap { language in
            guard let name = incident.nameTranslations[language], !name.isEmpty, name != incident.name else { return nil }
            return (name, language)
        }
    }

    static func bodyHTML(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { PlainText.linked(String($0).replacingOccurrences(of: "\r", with: "")) }
            .joined(separator: "<br>")
    }

    /// Statuspage's label for a status in the feed (always English, as its feeds are).
    static func label(_ status: IncidentStatus) -> String {
        switch status {
        case .investigating: return "Investigating"
        case .identified: return "Identified"
        case .monitoring: return "Monitoring"
        case .resolved: return "Resolved"
        case .postmortem: return "Postmortem"
        case .scheduled: return "Scheduled"
        case .inProgress: return "In progress"
        case .verifying: return "Verifying"
        case .completed: return "Completed"
        }
    }

    private func clock(_ date: Date) -> String {
        let local = time.zone.localTime(date)
        return PageTime.twoDigits(local.hour) + ":" + PageTime.twoDigits(local.minute)
    }

    /// A day of the month padded with a space, as `%e` writes it.
    static func padded(_ day: Int) -> String { day < 10 ? " \(day)" : String(day) }

    private func element(_ name: String, _ text: String) -> String {
        "<\(name)>\(HTMLEscaping.escape(text))</\(name)>\n"
    }

    /// RFC 822 (as updated by RFC 1123) in the page's zone: `Sun, 29 Nov 2026 14:59:00 +0700`.
    static func rfc822(_ date: Date, zone: ZonedTimestamp) -> String {
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let local = zone.localTime(date)
        let second = Int(date.timeIntervalSince1970.rounded(.down)) % 60
        let weekday = days[((local.dayNumber % 7) + 7) % 7]
        let offset = abs(local.offsetSeconds) / 60
        let sign = local.offsetSeconds < 0 ? "-" : "+"
        return "\(weekday), \(PageTime.twoDigits(local.day)) \(months[local.month - 1]) \(local.year) "
            + "\(PageTime.twoDigits(local.hour)):\(PageTime.twoDigits(local.minute)):\(PageTime.twoDigits((second + 60) % 60)) "
            + "\(sign)\(PageTime.twoDigits(offset / 60))\(PageTime.twoDigits(offset % 60))"
    }
}
