import Foundation
import StatusCore

extension PageRenderer {
    /// `/incidents/{id}`: the incident with every update, affected components, duration and
    /// postmortem.
    public func incidentPage(_ incident: Incident, _ language: Language) -> [UInt8] {
        let name = incidentName(incident, language)
        let context = layout(language, title: name + " · " + state.page.name, path: "/incidents/" + incident.id, extra: [
            "incident": incidentValue(incident, language),
            "timeToStatement": timeToFirstStatement(incident, language),
            "preview": incidentPreview(incident, language),
        ])
        return render("incident", context)
    }

    /// How many months one page of `/history` shows.
    public static let monthsPerHistoryPage = 3

    /// The first instant of each month one history page shows, newest first, and the end of
    /// the newest. Page 1 ends with the current month; page 2 the three before; ...
    public func historyMonths(page: Int) -> (months: [(year: Int, month: Int, start: Date)], end: Date) {
        let zone = ZonedTimestamp(timeZoneIdentifier: state.page.timeZone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone.timeZone
        let local = zone.localTime(now)
        let skip = (max(1, page) - 1) * Self.monthsPerHistoryPage
        var months: [(year: Int, month: Int, start: Date)] = []
        for offset in 0...Self.monthsPerHistoryPage {
            let index = local.year * 12 + (local.month - 1) - skip - offset + 1
            let year = index / 12
            let month = index % 12 + 1
            let start = calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? now
            months.append((year, month, start))
        }
        // The first entry is the month after the newest shown: its start is the page's end.
        let end = months.removeFirst().start
        return (months, end)
    }

    /// `/history?page=N`: incidents and maintenances by month, three months a page, newest
    /// first. `incidents` are those `Store.incidents(shownFrom:to:)` returned for the page's
    /// range; `hasOlder` whether any exist before it.
    public func historyPage(page: Int, incidents: [Incident], hasOlder: Bool, _ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let time = pageTime(language)
        let (months, end) = historyMonths(page: page)
        var monthValues: [TemplateValue] = []
        var monthEnd = end
        for month in months {
            let items = incidents.filter { Self.shownAt($0) >= month.start && Self.shownAt($0) < monthEnd }
            monthEnd = month.start
            monthValues.append([
                "label": .text(time.month(year: month.year, month: month.month)),
                "incidents": Self.nonEmpty(items.map { incident in
                    let shownAt = Self.shownAt(incident)
                    var range = timeElement(shownAt, time: time, text: time.dateTime(shownAt))
                    if let end = incident.resolvedAt ?? (incident.isMaintenance ? incident.scheduledUntil : nil) {
                        range += " – " + timeElement(end, time: time, text: time.dateTime(end, sameDayAs: shownAt))
                    }
                    return [
                        "name": .text(incidentName(incident, language)),
                        "href": .text(Self.link("/incidents/" + incident.id, language)),
                        "status": .text(strings.incidentStatus(incident.status)),
                        "impact": .text(strings.impact(incident.impact)),
                        "impactClass": .text("m-" + incident.impact.rawValue),
                        "isMaintenance": .bool(incident.isMaintenance),
                        "range": .html(range),
                    ]
                }),
            ])
        }
        let path = page > 1 ? "/history?page=\(page)" : "/history"
        let context = layout(language, title: strings["history"] + " · " + state.page.name, path: path, extra: [
            "months": .list(monthValues),
            "pageNumber": .text(strings.format("page_of", ["page": String(page)])),
            "newer": page > 1 ? .text(Self.link(page == 2 ? "/history" : "/history?page=\(page - 1)", language)) : false,
            "older": hasOlder ? .text(Self.link("/history?page=\(page + 1)", language)) : false,
            "pager": .bool(page > 1 || hasOlder),
        ])
        return render("history", context)
    }

    /// The 404 page (the same for every missing path).
    public func notFound(_ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let context = layout(language, title: strings["not_found_title"] + " · " + state.page.name, path: "/", extra: [:])
        return render("not-found", context)
    }
}
