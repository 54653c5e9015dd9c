import Foundation

/// Uptime per component and local day, the way Statuspage computes its 90-day bars:
/// minutes in `major_outage` count fully, minutes in `partial_outage` count 0.3, every other
/// status counts 0, and a day's uptime is `100 × (1 − downtime / minutes of the day)`.
/// Today counts only the minutes elapsed so far. Days before the component existed have no
/// data (`uptime` nil).
///
/// Pure: built from the status changes the Store read; no SQL, no clock (the caller passes
/// `now` through `Window`).
public enum Uptime {
    /// How many days the bars show, today included.
    public static let defaultDayCount = 90

    /// Weight of a status's minutes in the downtime.
    public static func downtimeWeight(of status: ComponentStatus) -> Double {
        switch status {
        case .majorOutage: return 1
        case .partialOutage: return 0.3
        case .operational, .underMaintenance, .degradedPerformance: return 0
        }
    }

    /// The local days of the window in the page's time zone, oldest first; the last is
    /// today and ends at `now`. Computed once per snapshot and shared by every component.
    public struct Window: Sendable {
        public struct LocalDay: Sendable, Equatable {
            /// `YYYY-MM-DD` in the page's time zone.
            public let date: String
            /// Local midnight (the day's first instant when midnight is skipped by DST).
            public let start: Date
            /// The next day's start; `now` for today.
            public let end: Date
        }

        public let days: [LocalDay]
        public let now: Date

        /// The `dayCount` local days up to and including the one containing `now`. A day is
        /// 23 or 25 hours long when a DST transition falls in it.
        public init(now: Date, timeZone: TimeZone, dayCount: Int = Uptime.defaultDayCount) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let todayStart = calendar.startOfDay(for: now)
            var starts: [Date] = []
            starts.reserveCapacity(max(dayCount, 0))
            for offset in stride(from: dayCount - 1, through: 0, by: -1) {
                // Adding days to midnight keeps the wall-clock time; startOfDay corrects the
                // rare day whose midnight does not exist.
                let shifted = calendar.date(byAdding: .day, value: -offset, to: todayStart) ?? todayStart
                starts.append(calendar.startOfDay(for: shifted))
            }
            var days: [LocalDay] = []
            days.reserveCapacity(starts.count)
            for (index, start) in starts.enumerated() {
                let end = index + 1 < starts.count ? starts[index + 1] : now
                let parts = calendar.dateComponents([.year, .month, .day], from: start)
                days.append(LocalDay(date: Self.isoDate(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0),
                                     start: start, end: end))
            }
            self.days = days
            self.now = now
        }

        static func isoDate(year: Int, month: Int, day: Int) -> String {
            func pad(_ value: Int, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
    }

    /// One component's day.
    public struct Day: Sendable, Equatable {
        /// `YYYY-MM-DD` in the page's time zone.
        public var date: String
        /// Percent, 0...100; nil when the component did not exist yet (no data).
        public var uptime: Double?
        /// Time spent in major_outage and partial_outage during the day (unweighted).
        /// Zero on days without data.
        public var majorOutageSeconds: Int
        public var partialOutageSeconds: Int

        public init(date: String, uptime: Double?, majorOutageSeconds: Int, partialOutageSeconds: Int) {
            self.date = date
            self.uptime = uptime
            self.majorOutageSeconds = majorOutageSeconds
            self.partialOutageSeconds = partialOutageSeconds
        }

        /// Whole minutes, rounded to the nearest.
        public var majorOutageMinutes: Int { (majorOutageSeconds + 30) / 60 }
        public var partialOutageMinutes: Int { (partialOutageSeconds + 30) / 60 }
    }

    /// A component's days, oldest first, and the uptime over all of them.
    public struct History: Sendable, Equatable {
        public var days: [Day]
        /// Percent over the days with data: total weighted downtime over total time, so a
        /// partial today weighs by its elapsed minutes. nil when no day has data.
        public var uptime: Double?

        public init(days: [Day], uptime: Double?) {
            self.days = days
            self.uptime = uptime
        }
    }

    /// The history of one component over `window`.
    ///
    /// - Parameters:
    ///   - changes: the component's status changes, oldest first; the first may be before
    ///     the window. Each holds until the next.
    ///   - startDate: the component's `start_date` (`YYYY-MM-DD`), when set: its history
    ///     starts at that local midnight, operational until its first change. When nil, it
    ///     starts at its first change; with neither, no day has data.
    public static func history(changes: [StatusChange], startDate: String?, window: Window) -> History {
        let sorted = changes.sorted { $0.at < $1.at }
        let existenceStart: Date
        if let startDate {
            if let first = window.days.first, startDate <= first.date {
                existenceStart = .distantPast
            } else {
                existenceStart = window.days.first { $0.date >= startDate }?.start ?? .distantFuture
            }
        } else {
            existenceStart = sorted.first?.at ?? .distantFuture
        }

        // Status segments: operational before the first change, then each change until the next.
        var segmentStarts: [Date] = [.distantPast]
        var segmentStatuses: [ComponentStatus] = [.operational]
        segmentStarts.reserveCapacity(sorted.count + 1)
        segmentStatuses.reserveCapacity(sorted.count + 1)
        for change in sorted {
            segmentStarts.append(change.at)
            segmentStatuses.append(change.status)
        }

        var days: [Day] = []
        days.reserveCapacity(window.days.count)
        var totalSeconds = 0.0
        var totalDowntime = 0.0
        var segment = 0
        for localDay in window.days {
            let from = max(localDay.start, existenceStart)
            let until = localDay.end
            guard from < until else {
                days.append(Day(date: localDay.date, uptime: nil, majorOutageSeconds: 0, partialOutageSeconds: 0))
                continue
            }
            // Days and segments both ascend: skip segments that ended before this day.
            while segment + 1 < segmentStarts.count, segmentStarts[segment + 1] <= from { segment += 1 }
            var major = 0.0
            var partial = 0.0
            var index = segment
            while index < segmentStarts.count, segmentStarts[index] < until {
                let overlapStart = max(segmentStarts[index], from)
                let overlapEnd = index + 1 < segmentStarts.count ? min(segmentStarts[index + 1], until) : until
                if overlapEnd > overlapStart {
                    let seconds = overlapEnd.timeIntervalSince(overlapStart)
                    switch segmentStatuses[index] {
                    case .majorOutage: major += seconds
                    case .partialOutage: partial += seconds
                    default: break
                    }
                }
                index += 1
            }
            let seconds = until.timeIntervalSince(from)
            let downtime = major * downtimeWeight(of: .majorOutage) + partial * downtimeWeight(of: .partialOutage)
            totalSeconds += seconds
            totalDowntime += downtime
            days.append(Day(date: localDay.date, uptime: 100 * (1 - downtime / seconds),
                            majorOutageSeconds: Int(major.rounded()), partialOutageSeconds: Int(partial.rounded())))
        }
        let uptime = totalSeconds > 0 ? 100 * (1 - totalDowntime / totalSeconds) : nil
        return History(days: days, uptime: uptime)
    }
}
