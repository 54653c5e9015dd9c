import Foundation
import StatusCore

/// What the page and the feeds say about an open incident's next update: when it is due, or
/// that it is overdue, in words that say whose promise it is. Staff promise with
/// `next_update_at`; where they promised nothing the page itself promises an update at
/// least every `Page.maxSilence` minutes (`Silence`), and says so, so a reader knows the
/// deadline is the page's rule, not the staff's word.
struct UpdatePromise {
    /// The sentence, with `\u{1}` where `instant` goes (written by the caller: a `<time>`
    /// element on the page, plain text in a feed).
    let text: String
    /// The time the sentence names, if it names one.
    let instant: Date?
    /// Whether the promise has passed.
    let overdue: Bool

    /// nil for a closed incident or one with no promise.
    init?(_ incident: Incident, page: Page, now: Date, time: PageTime) {
        guard !incident.status.isClosed, let due = incident.nextUpdateAt else { return nil }
        let strings = time.strings
        overdue = due < now
        switch (incident.promisedBy, overdue) {
        case (.staff, true):
            text = strings.format("overdue", ["duration": time.duration(now.timeIntervalSince(due)), "time": "\u{1}"])
            instant = incident.updates.first?.displayAt ?? incident.updatedAt
        case (.staff, false):
            text = strings.format("next_update", ["time": "\u{1}"])
            instant = due
        case (.page, true):
            // The page's promise falls due `maxSilence` minutes after the latest update.
            let spoke = due.addingTimeInterval(-Double(page.maxSilence) * 60)
            text = strings.format("page_promise_overdue", [
                "duration": time.hoursAndMinutes(now.timeIntervalSince(spoke)), "minutes": String(page.maxSilence),
            ])
            instant = nil
        case (.page, false):
            text = strings.format("page_promise_next", ["time": "\u{1}", "minutes": String(page.maxSilence)])
            instant = due
        }
    }
}
