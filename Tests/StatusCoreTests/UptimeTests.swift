import Foundation
import Testing
@testable import StatusCore

/// Statuspage's uptime formula, per local day, with hand-computed expectations.
@Suite struct UptimeTests {
    static func at(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
        return date
    }

    static func zone(_ identifier: String) -> TimeZone { TimeZone(identifier: identifier)! }

    static func change(_ status: ComponentStatus, _ text: String) -> StatusChange {
        StatusChange(status: status, at: at(text))
    }

    /// The day `date` of `history`.
    static func day(_ date: String, in history: Uptime.History) throws -> Uptime.Day {
        try #require(history.days.first { $0.date == date }, "no day \(date)")
    }

    static func expectClose(_ actual: Double?, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let actual else {
            Issue.record("expected \(expected), got nil", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(actual - expected) < 1e-9, "\(actual) ≠ \(expected)", sourceLocation: sourceLocation)
    }

    /// Noon UTC on 29 November 2026; the component has existed since January.
    static let now = at("2026-11-29T12:00:00Z")
    static let since = change(.operational, "2026-01-01T00:00:00Z")

    // MARK: - Window

    @Test func windowIsNinetyLocalDaysEndingNow() {
        let window = Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC"))
        #expect(window.days.count == 90)
        #expect(window.days.first?.date == "2026-09-01")
        #expect(window.days.first?.start == Self.at("2026-09-01T00:00:00Z"))
        #expect(window.days.last?.date == "2026-11-29")
        #expect(window.days.last?.start == Self.at("2026-11-29T00:00:00Z"))
        #expect(window.days.last?.end == Self.now)
        for (earlier, later) in zip(window.days, window.days.dropFirst()) {
            #expect(earlier.end == later.start)
        }
    }

    @Test func windowDaysInJakarta() {
        // 20:00 UTC is already 03:00 the next day in Jakarta (UTC+7).
        let window = Uptime.Window(now: Self.at("2026-11-29T20:00:00Z"), timeZone: Self.zone("Asia/Jakarta"))
        #expect(window.days.last?.date == "2026-11-30")
        #expect(window.days.last?.start == Self.at("2026-11-29T17:00:00Z"))
    }

    @Test func dstDaysAre23And25HoursLong() throws {
        let newYork = Self.zone("America/New_York")
        let spring = Uptime.Window(now: Self.at("2026-04-01T16:00:00Z"), timeZone: newYork)
        let march8 = try #require(spring.days.first { $0.date == "2026-03-08" })
        #expect(march8.start == Self.at("2026-03-08T05:00:00Z"))
        #expect(march8.end.timeIntervalSince(march8.start) == 23 * 3600)
        let autumn = Uptime.Window(now: Self.now, timeZone: newYork)
        let november1 = try #require(autumn.days.first { $0.date == "2026-11-01" })
        #expect(november1.start == Self.at("2026-11-01T04:00:00Z"))
        #expect(november1.end.timeIntervalSince(november1.start) == 25 * 3600)
        let november2 = try #require(autumn.days.first { $0.date == "2026-11-02" })
        #expect(november2.end.timeIntervalSince(november2.start) == 24 * 3600)
    }

    // MARK: - Formula

    @Test func twoHourMajorOutage() throws {
        let changes = [Self.since, Self.change(.majorOutage, "2026-11-20T10:00:00Z"),
                       Self.change(.operational, "2026-11-20T12:00:00Z")]
        let history = Uptime.history(changes: changes, startDate: nil,
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC")))
        let day = try Self.day("2026-11-20", in: history)
        // 100 × (1 − 120 / 1440) = 91.667 %
        Self.expectClose(day.uptime, 100 * (1 - 120.0 / 1440))
        Self.expectClose(day.uptime, 91.666_666_666_666_67)
        #expect(day.majorOutageMinutes == 120)
        #expect(day.majorOutageSeconds == 7200)
        #expect(day.partialOutageMinutes == 0)
        Self.expectClose(try Self.day("2026-11-19", in: history).uptime, 100)
        Self.expectClose(try Self.day("2026-11-21", in: history).uptime, 100)
    }

    @Test func tenHoursPartialOutage() throws {
        let changes = [Self.since, Self.change(.partialOutage, "2026-11-20T08:00:00Z"),
                       Self.change(.operational, "2026-11-20T18:00:00Z")]
        let history = Uptime.history(changes: changes, startDate: nil,
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC")))
        let day = try Self.day("2026-11-20", in: history)
        // 600 min × 0.3 = 180 min of downtime: 100 × (1 − 180 / 1440) = 87.5 %
        #expect(day.uptime == 87.5)
        #expect(day.partialOutageMinutes == 600)
        #expect(day.majorOutageMinutes == 0)
    }

    @Test func degradedAndMaintenanceAreNotDowntime() throws {
        let changes = [Self.since, Self.change(.degradedPerformance, "2026-11-20T08:00:00Z"),
                       Self.change(.underMaintenance, "2026-11-20T12:00:00Z"),
                       Self.change(.operational, "2026-11-20T18:00:00Z")]
        let history = Uptime.history(changes: changes, startDate: nil,
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC")))
        #expect(try Self.day("2026-11-20", in: history).uptime == 100)
        #expect(history.uptime == 100)
    }

    @Test func todayCountsOnlyElapsedMinutes() throws {
        // One hour of major outage in the 12 hours elapsed today: 100 × (1 − 60 / 720).
        let changes = [Self.since, Self.change(.majorOutage, "2026-11-29T09:00:00Z"),
                       Self.change(.operational, "2026-11-29T10:00:00Z")]
        let history = Uptime.history(changes: changes, startDate: nil,
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC")))
        let today = try #require(history.days.last)
        #expect(today.date == "2026-11-29")
        Self.expectClose(today.uptime, 100 * (1 - 60.0 / 720))
        #expect(today.majorOutageMinutes == 60)
    }

    @Test func ongoingOutageRunsUntilNow() throws {
        // Major since 11:00, still open at 12:00: 60 of 720 minutes; the day before is clean.
        let changes = [Self.since, Self.change(.majorOutage, "2026-11-29T11:00:00Z")]
        let history = Uptime.history(changes: changes, startDate: nil,
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC")))
        Self.expectClose(history.days.last?.uptime, 100 * (1 - 60.0 / 720))
        #expect(history.days.last?.majorOutageMinutes == 60)
    }

    @Test func outageAcrossJakartaMidnightSplitsBetweenLocalDays() throws {
        // 16:00–18:00 UTC is 23:00–01:00 in Jakarta: one hour on each local day, although
        // the whole outage falls on one UTC day.
        let changes = [Self.since, Self.change(.majorOutage, "2026-11-20T16:00:00Z"),
                       Self.change(.operational, "2026-11-20T18:00:00Z")]
        let history = Uptime.history(changes: changes, startDate: nil,
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Asia/Jakarta")))
        let first = try Self.day("2026-11-20", in: history)
        let second = try Self.day("2026-11-21", in: history)
        #expect(first.majorOutageMinutes == 60)
        #expect(second.majorOutageMinutes == 60)
        Self.expectClose(first.uptime, 100 * (1 - 60.0 / 1440))
        Self.expectClose(second.uptime, 100 * (1 - 60.0 / 1440))
        Self.expectClose(try Self.day("2026-11-22", in: history).uptime, 100)
    }

    @Test func dstDayLengthsInNewYork() throws {
        let newYork = Self.zone("America/New_York")
        // One hour of major outage on the 23-hour day (8 March 2026) ...
        let spring = Uptime.history(
            changes: [Self.since, Self.change(.majorOutage, "2026-03-08T15:00:00Z"),
                      Self.change(.operational, "2026-03-08T16:00:00Z")],
            startDate: nil, window: Uptime.Window(now: Self.at("2026-04-01T16:00:00Z"), timeZone: newYork))
        Self.expectClose(try Self.day("2026-03-08", in: spring).uptime, 100 * (1 - 1.0 / 23))
        // ... and on the 25-hour day (1 November 2026): 100 × (1 − 1/25) = 96 %.
        let autumn = Uptime.history(
            changes: [Self.since, Self.change(.majorOutage, "2026-11-01T15:00:00Z"),
                      Self.change(.operational, "2026-11-01T16:00:00Z")],
            startDate: nil, window: Uptime.Window(now: Self.now, timeZone: newYork))
        Self.expectClose(try Self.day("2026-11-01", in: autumn).uptime, 96)
        // A whole 25-hour day of partial outage is 25 hours of it.
        let wholeDay = Uptime.history(
            changes: [Self.since, Self.change(.partialOutage, "2026-11-01T04:00:00Z"),
                      Self.change(.operational, "2026-11-02T05:00:00Z")],
            startDate: nil, window: Uptime.Window(now: Self.now, timeZone: newYork))
        let november1 = try Self.day("2026-11-01", in: wholeDay)
        #expect(november1.partialOutageMinutes == 25 * 60)
        Self.expectClose(november1.uptime, 70)
        Self.expectClose(try Self.day("2026-11-02", in: wholeDay).uptime, 100)
    }

    // MARK: - Existence

    @Test func daysBeforeTheFirstChangeHaveNoData() throws {
        // Created at 06:00 on 25 November: that day counts from 06:00 (18 hours).
        let changes = [Self.change(.operational, "2026-11-25T06:00:00Z"),
                       Self.change(.majorOutage, "2026-11-25T12:00:00Z"),
                       Self.change(.operational, "2026-11-25T13:00:00Z")]
        let history = Uptime.history(changes: changes, startDate: nil,
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC")))
        #expect(history.days.count == 90)
        #expect(history.days.filter { $0.uptime == nil }.count == 85)
        let before = try Self.day("2026-11-24", in: history)
        #expect(before.uptime == nil)
        #expect(before.majorOutageMinutes == 0)
        Self.expectClose(try Self.day("2026-11-25", in: history).uptime, 100 * (1 - 60.0 / (18 * 60)))
        // 90-day figure over the data only: 18 h + 3 × 24 h + 12 h, one hour down.
        Self.expectClose(history.uptime, 100 * (1 - 1.0 / (18 + 72 + 12)))
    }

    @Test func startDateStartsTheHistoryAtLocalMidnight() throws {
        // Start date before the first recorded change: operational until that change.
        let changes = [Self.change(.majorOutage, "2026-11-27T00:00:00Z"),
                       Self.change(.operational, "2026-11-27T02:00:00Z")]
        let history = Uptime.history(changes: changes, startDate: "2026-11-26",
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC")))
        #expect(try Self.day("2026-11-25", in: history).uptime == nil)
        #expect(try Self.day("2026-11-26", in: history).uptime == 100)
        Self.expectClose(try Self.day("2026-11-27", in: history).uptime, 100 * (1 - 120.0 / 1440))
        // 24 + 24 + 24 + 12 hours with data, 2 hours down.
        Self.expectClose(history.uptime, 100 * (1 - 2.0 / 84))
    }

    @Test func startDateInJakartaIsLocalMidnight() throws {
        // Start date 2026-11-28 in Jakarta begins at 2026-11-27T17:00Z; the next day is today.
        let history = Uptime.history(changes: [], startDate: "2026-11-28",
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Asia/Jakarta")))
        #expect(history.days.suffix(2).map(\.uptime) == [100, 100])
        #expect(history.days.dropLast(2).allSatisfy { $0.uptime == nil })
    }

    @Test func noHistoryAndNoStartDateHasNoData() {
        let history = Uptime.history(changes: [], startDate: nil,
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC")))
        #expect(history.days.count == 90)
        #expect(history.days.allSatisfy { $0.uptime == nil })
        #expect(history.uptime == nil)
    }

    @Test func outageFromBeforeTheWindowFillsIt() {
        let history = Uptime.history(changes: [Self.change(.majorOutage, "2025-01-01T00:00:00Z")], startDate: nil,
                                     window: Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC")))
        #expect(history.days.allSatisfy { $0.uptime == 0 })
        #expect(history.days.first?.majorOutageMinutes == 1440)
        #expect(history.uptime == 0)
    }

    @Test func changesAreSortedBeforeUse() throws {
        let ordered = [Self.since, Self.change(.majorOutage, "2026-11-20T10:00:00Z"),
                       Self.change(.operational, "2026-11-20T12:00:00Z")]
        let window = Uptime.Window(now: Self.now, timeZone: Self.zone("Etc/UTC"))
        #expect(Uptime.history(changes: ordered.reversed(), startDate: nil, window: window)
            == Uptime.history(changes: ordered, startDate: nil, window: window))
    }
}
