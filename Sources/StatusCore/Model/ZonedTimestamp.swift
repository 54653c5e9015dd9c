import Foundation

/// Statuspage's timestamp format: ISO 8601 with exactly three fractional digits, in the
/// page's time zone with that instant's offset (DST-aware), e.g.
/// `2024-09-16T22:08:39.333Z` on an `Etc/UTC` page and `2026-11-29T12:31:03.123+07:00` on
/// an `Asia/Jakarta` one (reference/statuspage-v2.md §1.2).
///
/// Built once per time zone and used for every timestamp of a snapshot, so the fields are
/// computed with integer arithmetic (no `DateFormatter`, no `Calendar`); only the offset
/// comes from `TimeZone.secondsFromGMT(for:)`. `Timestamp`, the stored form, is this
/// formatter in UTC.
public struct ZonedTimestamp: Sendable {
    /// The time zone as the page names it.
    public let timeZoneIdentifier: String
    public let timeZone: TimeZone
    /// Whether the offset is written `Z`. Statuspage (Rails) writes `Z` only for zones whose
    /// abbreviation is UTC; any other zone at offset 0 (Europe/London in winter, Etc/GMT)
    /// gets `+00:00`.
    public let usesZuluDesignator: Bool

    /// Names of the UTC zone in the IANA database (`backward` links included).
    static let utcIdentifiers: Set<String> = [
        "UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu",
    ]

    /// UTC with `Z`: the stored form (`Timestamp`).
    public static let utc = ZonedTimestamp(timeZoneIdentifier: "UTC")

    /// A formatter for the IANA zone `timeZoneIdentifier`. An unknown name falls back to
    /// UTC (the page settings validate the name; a bad one must not take the API down).
    public init(timeZoneIdentifier: String) {
        self.timeZoneIdentifier = timeZoneIdentifier
        if let zone = TimeZone(identifier: timeZoneIdentifier) {
            timeZone = zone
            usesZuluDesignator = Self.utcIdentifiers.contains(timeZoneIdentifier)
        } else {
            timeZone = TimeZone(secondsFromGMT: 0)!
            usesZuluDesignator = true
        }
    }

    /// `date` formatted, e.g. `2024-09-16T22:08:39.333Z`.
    public func string(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `date` formatted (without quotes) to `bytes`.
    public func append(_ date: Date, to bytes: inout [UInt8]) {
        // Round to the millisecond first, so 0.3329999 s prints as .333, and every field
        // below comes from that one rounded instant.
        // (Clamped far beyond any real instant first, so the conversion cannot trap.)
        let rawMilliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let utcMilliseconds = rawMilliseconds.isNaN ? 0 : Int64(max(min(rawMilliseconds, 1e15), -1e15))
        let offsetSeconds = usesZuluDesignator ? 0 : timeZone.secondsFromGMT(for: date)
        let local = utcMilliseconds + Int64(offsetSeconds) * 1000

        let (days, millisecondOfDay) = Self.floorDivide(local, 86_400_000)
        var (year, month, day) = Self.civilDate(daysSince1970: days)
        var millisecond = Int(millisecondOfDay)
        // Four digits of year, as ISO 8601 without extension allows: clamp what lies outside.
        if year < 0 {
            (year, month, day, millisecond) = (0, 1, 1, 0)
        } else if year > 9999 {
            (year, month, day, millisecond) = (9999, 12, 31, 86_399_999)
        }
        let second = millisecond / 1000

        // Written into a fixed buffer and appended once: one capacity check instead of 29.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 29) { buffer in
            func put(_ value: Int, at offset: Int, width: Int) {
                var value = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
                    value /= 10
                }
            }
            put(year, at: 0, width: 4)
            buffer[4] = UInt8(ascii: "-")
            put(month, at: 5, width: 2)
            buffer[7] = UInt8(ascii: "-")
            put(day, at: 8, width: 2)
            buffer[10] = UInt8(ascii: "T")
            put(second / 3600, at: 11, width: 2)
            buffer[13] = UInt8(ascii: ":")
            put(second / 60 % 60, at: 14, width: 2)
            buffer[16] = UInt8(ascii: ":")
            put(second % 60, at: 17, width: 2)
            buffer[19] = UInt8(ascii: ".")
            put(millisecond % 1000, at: 20, width: 3)
            let count: Int
            if usesZuluDesignator {
                buffer[23] = UInt8(ascii: "Z")
                count = 24
            } else {
                // ISO 8601 offsets are hours and minutes; no current zone has seconds.
                let magnitude = abs(offsetSeconds)
                buffer[23] = offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
                put(magnitude / 3600, at: 24, width: 2)
                buffer[26] = UInt8(ascii: ":")
                put(magnitude / 60 % 60, at: 27, width: 2)
                count = 29
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// The wall-clock fields of an instant in this zone, to the minute.
    public struct LocalTime: Sendable, Equatable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        /// The zone's offset from UTC at that instant, in seconds.
        public var offsetSeconds: Int
        /// Days since 1970-01-01 of the local date, for comparing calendar days.
        public var dayNumber: Int
    }

    /// `date` on this zone's wall clock (seconds dropped, not rounded).
    public func localTime(_ date: Date) -> LocalTime {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let clamped = seconds.isNaN ? 0 : Int64(max(min(seconds, 2.5e11), -6e10))
        let offset = usesZuluDesignator ? 0 : timeZone.secondsFromGMT(for: date)
        let (days, secondOfDay) = Self.floorDivide(clamped + Int64(offset), 86_400)
        let (year, month, day) = Self.civilDate(daysSince1970: days)
        return LocalTime(year: year, month: month, day: day, hour: Int(secondOfDay / 3600),
                         minute: Int(secondOfDay % 3600 / 60), offsetSeconds: offset, dayNumber: Int(days))
    }

    /// Year, month and day of the proleptic Gregorian calendar for a count of days since
    /// 1970-01-01 (Howard Hinnant's `civil_from_days`,
    /// <https://howardhinnant.github.io/date_algorithms.html#civil_from_days>).
    static func civilDate(daysSince1970: Int64) -> (year: Int, month: Int, day: Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}
