import Foundation

/// A 90-day bar and its text equivalent, built one day at a time, oldest first: the bar is
/// hidden from assistive technology, and the list beside it names every day, runs of quiet
/// days (perfect, or without data) as one range each, so a screen reader hears a handful of
/// lines and a keyboard user meets one tab stop, not 90. The declared bar (from component
/// statuses) and each check's measured bar are built the same way.
struct UptimeBar {
    let strings: Strings
    let time: PageTime
    /// The string of a range of perfect days (`{range}: 100%, …`).
    let fullRangeKey: String
    private var bar = "<span class=\"bar\" aria-hidden=\"true\">"
    private var lines: [String] = []
    private var run: (first: String, last: String, hasData: Bool)?

    init(strings: Strings, time: PageTime, fullRangeKey: String = "uptime_range_full") {
        self.strings = strings
        self.time = time
        self.fullRangeKey = fullRangeKey
    }

    /// A day that joins the run of its kind: perfect (`hasData`) or without data.
    mutating func addQuietDay(_ date: String, level: Int, hasData: Bool) {
        if let current = run, current.hasData == hasData {
            run = (current.first, date, hasData)
        } else {
            closeRun()
            run = (date, date, hasData)
        }
        // A perfect day is the bar's plain cell (the stylesheet's `.bar i`): with 90 days for
        // each of 150 components, the class alone would be 150 KB of the page to render and
        // compress on every write.
        bar += level == 1 ? "<i></i>" : "<i class=\"u\(level)\"></i>"
    }

    /// A day with a line of its own: `date: details`, also the bar cell's tooltip.
    mutating func addDay(_ date: String, level: Int, details: String) {
        closeRun()
        let line = HTMLEscaping.escape(time.date(iso: date) + ": " + details)
        lines.append(line)
        bar += "<i class=\"u\(level)\" title=\"\(line)\"></i>"
    }

    /// The bar's markup and the list's lines (markup, escaped).
    mutating func finish() -> (bar: String, lines: [String]) {
        closeRun()
        return (bar + "</span>", lines)
    }

    private mutating func closeRun() {
        guard let current = run else { return }
        let range = current.first == current.last
            ? time.date(iso: current.first)
            : strings.format("history_range", ["from": time.date(iso: current.first), "to": time.date(iso: current.last)])
        lines.append(HTMLEscaping.escape(strings.format(current.hasData ? fullRangeKey : "uptime_range_no_data",
                                                        ["range": range])))
        run = nil
    }

    /// 1 at 99.95% and above, 2 from 99%, 3 from 95%, 4 below; 0 without data.
    static func level(_ uptime: Double?) -> Int {
        guard let uptime else { return 0 }
        if uptime >= 99.95 { return 1 }
        if uptime >= 99 { return 2 }
        if uptime >= 95 { return 3 }
        return 4
    }
}
