import Foundation
import StatusCore

extension PageRenderer {
    /// How many days "past incidents" on `/` covers, today included.
    static let pastIncidentDays = 14

    /// `/`: the overall status, open incidents with their timelines, maintenance, components
    /// with their uptime, the past 14 days.
    public func overview(_ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let open = openIncidents
        let active = state.incidents.filter(\.isActiveMaintenance)
        let upcoming = state.incidents.filter { $0.isMaintenance && $0.status == .scheduled }
            .sorted { ($0.scheduledFor ?? .distantFuture) < ($1.scheduledFor ?? .distantFuture) }
        let context = layout(language, title: state.page.name, path: "/", extra: [
            "refresh": true,
            "preview": overviewPreview(language),
            "overall": [
                "text": .text(strings.indicator(pageStatus.indicator)),
                "class": .text("o-" + pageStatus.indicator.rawValue),
            ],
            "openIncidents": Self.nonEmpty(open.map { incidentValue($0, language) }),
            "activeMaintenances": Self.nonEmpty(active.map { incidentValue($0, language) }),
            "upcomingMaintenances": Self.nonEmpty(upcoming.map { incidentValue($0, language) }),
            "unconfirmed": unconfirmedFailures(language),
            "componentRows": .list(componentRowValues(language)),
            "pastDays": .list(pastDays(language)),
            "subscribe": mailSubscriptions ? subscribeTeaser(language) : false,
        ])
        return render("overview", context)
    }

    // MARK: Components

    func componentRowValues(_ language: Language) -> [TemplateValue] {
        var rows: [TemplateValue] = []
        for row in componentRows {
            switch row {
            case .group(let group, let children):
                let visible = children.filter(isShown)
                guard !visible.isEmpty else { continue }
                let worst = visible.map(\.status).max() ?? .operational
                rows.append([
                    "isGroup": true,
                    "name": .text(group.name(in: language.tag)),
                    "description": .optional(group.description(in: language.tag)),
                    "status": .text(Strings.of(language).componentStatus(worst)),
                    "statusClass": .text("c-" + worst.rawValue),
                    // A failing check opens the group too, so its line is not folded away.
                    "open": .bool(worst != .operational || visible.contains(where: hasFailingCheck)),
                    "children": .list(visible.map { componentValue($0, language) }),
                ])
            case .component(let component):
                // Children follow their group's row; only ungrouped components stand alone.
                guard component.groupID == nil || !state.groups.contains(where: { $0.id == component.groupID }),
                      isShown(component) else { continue }
                rows.append(componentValue(component, language))
            }
        }
        return rows
    }

    /// A component set to show only when degraded is hidden while operational, unless a
    /// check on it is failing: the banner names it, so its line must be there to read.
    func isShown(_ component: Component) -> Bool {
        !(component.onlyShowIfDegraded && component.status == .operational) || hasFailingCheck(component)
    }

    func componentValue(_ component: Component, _ language: Language) -> TemplateValue {
        let strings = Strings.of(language)
        var fields: [String: TemplateValue] = [
            "isGroup": false,
            "id": .text(component.id),
            "name": .text(component.name(in: language.tag)),
            "description": .optional(component.description(in: language.tag)),
            "status": .text(strings.componentStatus(component.status)),
            "statusClass": .text("c-" + component.status.rawValue),
            "checks": checkLines(component, language),
        ]
        if component.showcase {
            // A component shown since the bars were last computed gets its own now.
            var uptime = uptimeValues[language]?[component.id] ?? uptimeValue(
                component, history: Uptime.history(changes: state.statusChanges[component.id] ?? [],
                                                   startDate: component.startDate, window: uptimeWindow), language)
            let measured = measuredUptime(component, language)
            // Beside a measured bar the declared one says whose figures it shows.
            if measured.isTruthy, case .object(var declared) = uptime, case .text(let summary)? = declared["summary"] {
                declared["summary"] = .text(Strings.of(language).format("uptime_declared", ["summary": summary]))
                uptime = .object(declared)
            }
            fields["uptime"] = uptime
            fields["measured"] = measured
        }
        return .object(fields)
    }

    /// The declared 90-day bar (from the component's statuses) and its text equivalent, as
    /// `UptimeBar` builds them.
    func uptimeValue(_ component: Component, history: Uptime.History, _ language: Language) -> TemplateValue {
        let strings = Strings.of(language)
        let time = pageTime(language)
        let incidents = incidentsByComponent[component.id] ?? []
        var bar = UptimeBar(strings: strings, time: time)
        for (index, day) in history.days.enumerated() {
            let localDay = uptimeWindow.days[index]
            let names = incidents.isEmpty ? [] : incidents.filter { incident in
                incident.startedAt < localDay.end && (incident.resolvedAt ?? now) >= localDay.start
            }.map { incidentName($0, language) }
            let perfect = day.uptime.map { $0 >= 100 } ?? false
            let quiet = names.isEmpty && day.majorOutageSeconds == 0 && day.partialOutageSeconds == 0
            let level = UptimeBar.level(day.uptime)
            if (perfect && quiet) || day.uptime == nil {
                bar.addQuietDay(day.date, level: level, hasData: day.uptime != nil)
                continue
            }
            var parts = [Self.percent(day.uptime ?? 0, language)]
            if day.majorOutageSeconds > 0 {
                parts.append(strings.format("uptime_major", ["duration": time.duration(Double(day.majorOutageSeconds))]))
            }
            if day.partialOutageSeconds > 0 {
                parts.append(strings.format("uptime_partial", ["duration": time.duration(Double(day.partialOutageSeconds))]))
            }
            if !names.isEmpty {
                parts.append(strings.format("uptime_incidents", ["names": names.joined(separator: "; ")]))
            }
            bar.addDay(day.date, level: level, details: parts.joined(separator: ", "))
        }
        let (markup, lines) = bar.finish()
        let summary = history.uptime.map {
            strings.format("uptime_summary", ["percent": Self.percent($0, language)])
        } ?? strings["uptime_no_data"]
        return [
            "summary": .text(summary),
            "bar": .html(markup),
            "days": .list(lines.map { .html($0) }),
        ]
    }

    /// `99.95%` in English, `99,95%` in Indonesian; 100 without decimals.
    static func percent(_ value: Double, _ language: Language) -> String {
        if value >= 100 { return "100%" }
        let hundredths = Int((max(0, value) * 100).rounded(.down))
        let text = "\(hundredths / 100)\(language == .indonesian ? "," : ".")\(PageTime.twoDigits(hundredths % 100))"
        return text + "%"
    }

    // MARK: Past incidents

    /// Today and the 13 days before, newest first, each with the incidents and maintenances
    /// shown on it (upcoming maintenance has its own section).
    func pastDays(_ language: Language) -> [TemplateValue] {
        let strings = Strings.of(language)
        let time = pageTime(language)
        let days = uptimeWindow.days.suffix(Self.pastIncidentDays).reversed()
        return days.map { day in
            let items = state.incidents.filter { incident in
                guard incident.status != .scheduled else { return false }
                let shownAt = Self.shownAt(incident)
                return shownAt >= day.start && shownAt < day.end
            }.sorted { Self.shownAt($0) > Self.shownAt($1) }
            return [
                "date": .html(timeElement(day.start, time: time, text: time.date(iso: day.date))),
                "incidents": Self.nonEmpty(items.map { incident in
                    [
                        "name": .text(incidentName(incident, language)),
                        "href": .text(Self.link("/incidents/" + incident.id, language)),
                        "status": .text(strings.incidentStatus(incident.status)),
                        "impactClass": .text("m-" + incident.impact.rawValue),
                        "time": .html(timeElement(Self.shownAt(incident), time: time, text: time.time(Self.shownAt(incident)))),
                    ]
                }),
            ]
        }
    }

    /// `{entries: items}`, or false when there are none: a template wraps a list in
    /// `{{#key}}<ul>{{#entries}}…{{/entries}}</ul>{{/key}}` and says "none" in `{{^key}}`.
    static func nonEmpty(_ items: [TemplateValue]) -> TemplateValue {
        items.isEmpty ? false : ["entries": .list(items)]
    }

    /// Where an incident sits in time on the page: its start, or a maintenance's scheduled
    /// start (the same expression as the history query's index).
    static func shownAt(_ incident: Incident) -> Date {
        incident.scheduledFor ?? incident.startedAt
    }
}
