import Foundation
import StatusCore

// What automatic checks measured, shown beside what staff declared and never as it: a line
// under each component, a banner while a failure has no statement, the measured uptime
// beside the declared, the time to first statement on an incident's page. Nothing here
// when the page keeps its checks private (`checksByComponent` is empty then).
extension PageRenderer {
    /// Whether a check the public may see is failing on `component`.
    func hasFailingCheck(_ component: Component) -> Bool {
        checksByComponent[component.id]?.contains { $0.state == .failing } ?? false
    }

    /// A component with more checks than this shows its failing ones line by line and sums
    /// up the rest, and one measured bar for all of them: the page stays readable, and light,
    /// with hundreds of checks (`uptime.json` still has each one).
    static let checksShownOneByOne = 3

    /// The component's check lines: a failing check stands out and says whether staff have
    /// spoken; an up or unknown one is a quiet line, or, past `checksShownOneByOne`, a count.
    func checkLines(_ component: Component, _ language: Language) -> TemplateValue {
        let checks = checksByComponent[component.id] ?? []
        guard checks.count > Self.checksShownOneByOne else { return Self.nonEmpty(checks.map { checkLine($0, language) }) }
        let failing = checks.filter { $0.state == .failing }
        let others = checks.count - failing.count
        var lines = failing.map { checkLine($0, language) }
        if others > 0 {
            let up = checks.filter { $0.state == .up }.count
            lines.append(["class": "k-up", "failing": false, "text": .text(Strings.of(language).format("checks_others", [
                "count": String(others), "up": String(up), "unknown": String(others - up),
            ]))])
        }
        return Self.nonEmpty(lines)
    }

    func checkLine(_ status: CheckStatus, _ language: Language) -> TemplateValue {
        let strings = Strings.of(language)
        let name = status.check.name
        switch status.state {
        case .failing:
            let time = pageTime(language)
            let since = status.since ?? now
            let sinceMarkup = timeElement(since, time: time, text: time.dateTime(since, sameDayAs: now))
            // One location failing out of one says nothing the sentence does not.
            let locations = status.voters > 1
                ? strings.format("check_locations", ["failing": String(status.failingVoters), "voters": String(status.voters)])
                : ""
            let text: String
            if let incident = state.openIncident(listing: status.check.componentID) {
                let href = Self.link("/incidents/" + incident.id, language)
                let link = "<a href=\"\(HTMLEscaping.escape(href))\">\(HTMLEscaping.escape(strings["check_acknowledged"]))</a>"
                text = Self.substitute(strings.format("check_failing_acknowledged", [
                    "name": name, "time": "\u{1}", "locations": locations, "acknowledged": "\u{2}",
                ]), sinceMarkup, link)
            } else {
                text = Self.substitute(strings.format("check_failing", ["name": name, "time": "\u{1}", "locations": locations]),
                                       sinceMarkup)
            }
            return ["class": "k-failing", "failing": true, "text": .html(text)]
        case .up:
            let text = status.latencyMilliseconds.map {
                strings.format("check_up_latency", ["name": name, "latency": String($0)])
            } ?? strings.format("check_up", ["name": name])
            return ["class": "k-up", "failing": false, "text": .text(text)]
        case .unknown:
            return ["class": "k-unknown", "failing": false, "text": .text(strings.format("check_unknown", ["name": name]))]
        }
    }

    /// The banner's entries: checks failing for the page's statement grace on components no
    /// open incident lists (`StatusState.unacknowledgedFailures`). Components whose failure
    /// began in the same minute share one sentence (a data centre takes many down at once);
    /// each is named and linked to its line. False when there are none.
    func unconfirmedFailures(_ language: Language) -> TemplateValue {
        guard state.page.checksPublic else { return false }
        var earliest: [String: Date] = [:]
        for status in state.unacknowledgedFailures(at: now) {
            guard let since = status.since else { continue }
            earliest[status.check.componentID] = min(earliest[status.check.componentID] ?? since, since)
        }
        guard !earliest.isEmpty else { return false }
        let strings = Strings.of(language)
        let time = pageTime(language)
        var groups: [(text: String, since: Date, components: [String])] = []
        for (componentID, since) in earliest.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            let text = time.dateTime(since, sameDayAs: now)
            if let last = groups.last, last.text == text {
                groups[groups.count - 1].components.append(componentID)
            } else {
                groups.append((text, since, [componentID]))
            }
        }
        return Self.nonEmpty(groups.map { group in
            let names = group.components.map { id in
                let name = HTMLEscaping.escape(componentsByID[id]?.name(in: language.tag) ?? id)
                return "<a href=\"#component-\(HTMLEscaping.escape(id))\">\(name)</a>"
            }.joined(separator: ", ")
            let sentence = strings.format("unconfirmed_failure", [
                "time": "\u{1}", "duration": time.hoursAndMinutes(now.timeIntervalSince(group.since)),
            ])
            return .html(names + ": " + Self.substitute(sentence, timeElement(group.since, time: time, text: group.text)))
        })
    }

    /// Each check's measured 90-day bar, beside the component's declared one: a day's figure
    /// is the share of its results that succeeded, every location together; a day without
    /// results has no data.
    func measuredUptime(_ component: Component, _ language: Language) -> TemplateValue {
        let checks = checksByComponent[component.id] ?? []
        guard !checks.isEmpty else { return false }
        let strings = Strings.of(language)
        guard checks.count > Self.checksShownOneByOne else {
            return .list(checks.map { status in
                measuredBar(status.days, language) { percent in
                    percent.map { strings.format("uptime_measured", ["name": status.check.name, "percent": $0]) }
                        ?? strings.format("uptime_measured_no_data", ["name": status.check.name])
                }
            })
        }
        // Many checks: one bar of every result of every check, day by day.
        var combined: [String: CheckDay] = [:]
        for day in checks.flatMap(\.days) {
            var sum = combined[day.day] ?? CheckDay(day: day.day, successes: 0, failures: 0)
            sum.successes += day.successes
            sum.failures += day.failures
            combined[day.day] = sum
        }
        let count = String(checks.count)
        return .list([measuredBar(Array(combined.values), language) { percent in
            percent.map { strings.format("uptime_measured_many", ["count": count, "percent": $0]) }
                ?? strings.format("uptime_measured_many_no_data", ["count": count])
        }])
    }

    /// One measured 90-day bar of `days`; `summary` gets the window's percentage (nil: no
    /// result in it).
    private func measuredBar(_ days: [CheckDay], _ language: Language, summary: (String?) -> String) -> TemplateValue {
        let strings = Strings.of(language)
        let byDay = Dictionary(days.map { ($0.day, $0) }, uniquingKeysWith: { _, last in last })
        var bar = UptimeBar(strings: strings, time: pageTime(language), fullRangeKey: "uptime_measured_range_full")
        var successes = 0
        var total = 0
        for localDay in uptimeWindow.days {
            let day = byDay[localDay.date]
            let uptime = day?.uptime.map { $0 * 100 }
            let level = UptimeBar.level(uptime)
            if let day {
                successes += day.successes
                total += day.successes + day.failures
            }
            guard let day, let uptime, uptime < 100 else {
                bar.addQuietDay(localDay.date, level: level, hasData: uptime != nil)
                continue
            }
            bar.addDay(localDay.date, level: level, details: strings.format("uptime_measured_day", [
                "percent": Self.percent(uptime, language), "failures": String(day.failures),
                "total": String(day.successes + day.failures),
            ]))
        }
        let (markup, lines) = bar.finish()
        return [
            "summary": .text(summary(total == 0 ? nil : Self.percent(Double(successes) * 100 / Double(total), language))),
            "bar": .html(markup),
            "days": .list(lines.map { .html($0) }),
        ]
    }

    /// "10 h 44 min (automatic checks first saw the failure at …)": from when a check on the
    /// incident's components began failing to the incident's first update. False when no
    /// check saw it first.
    func timeToFirstStatement(_ incident: Incident, _ language: Language) -> TemplateValue {
        guard state.page.checksPublic, let seen = state.checkFailureBeforeStatement[incident.id] else { return false }
        let time = pageTime(language)
        let statement = incident.updates.map(\.createdAt).min() ?? incident.createdAt
        let text = Strings.of(language).format("time_to_statement_value", [
            "duration": time.hoursAndMinutes(statement.timeIntervalSince(seen)), "time": "\u{1}",
        ])
        return .html(Self.substitute(text, timeElement(seen, time: time, text: time.dateTime(seen))))
    }
}
