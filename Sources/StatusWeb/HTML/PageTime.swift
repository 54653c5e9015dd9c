import Foundation
import StatusCore

/// Times as the page shows them: absolute, on the page's wall clock, with the zone's
/// abbreviation ("14:59 WIB"), formatted on the server so they read the same with script
/// off. Each comes with its machine-readable form for `<time datetime>`.
public struct PageTime: Sendable {
    public let zone: ZonedTimestamp
    public let strings: Strings

    public init(timeZoneIdentifier: String, strings: Strings) {
        zone = ZonedTimestamp(timeZoneIdentifier: timeZoneIdentifier)
        self.strings = strings
    }

    /// The abbreviation at `date`: WIB, WITA and WIT for Indonesia's three zones, UTC for
    /// UTC, the zone database's letters where it has them (CET, EST, JST), else the offset
    /// as `UTC+05:30`. Foundation on Linux answers "GMT+7" for zones without letters, which
    /// is not what anyone there reads, so numeric answers are rewritten.
    public func abbreviation(at date: Date) -> String {
        switch zone.timeZoneIdentifier {
        case "Asia/Jakarta", "Asia/Pontianak": return "WIB"
        case "Asia/Makassar", "Asia/Ujung_Pandang": return "WITA"
        case "Asia/Jayapura": return "WIT"
        default: break
        }
        if zone.usesZuluDesignator { return "UTC" }
        if let letters = zone.timeZone.abbreviation(for: date), !letters.isEmpty,
           letters.allSatisfy({ $0.isASCII && $0.isLetter }), letters != "GMT" || zone.timeZone.secondsFromGMT(for: date) == 0 {
            return letters
        }
        return Self.offsetName(zone.timeZone.secondsFromGMT(for: date))
    }

    /// `UTC+07:00`, `UTC−03:30`, `UTC` at zero.
    static func offsetName(_ seconds: Int) -> String {
        guard seconds != 0 else { return "UTC" }
        let minutes = abs(seconds) / 60
        return "UTC" + (seconds < 0 ? "-" : "+") + twoDigits(minutes / 60) + ":" + twoDigits(minutes % 60)
    }

    /// The footer's description of the zone: `WIB (Asia/Jakarta, UTC+07:00)`.
    public func zoneDescription(at date: Date) -> String {
        let abbreviation = abbreviation(at: date)
        let offset = Self.offsetName(zone.timeZone.secondsFromGMT(for: date))
        if abbreviation == offset { return "\(abbreviation) (\(zone.timeZoneIdentifier))" }
        return "\(abbreviation) (\(zone.timeZoneIdentifier), \(offset))"
    }

    /// `14:59 WIB` in English, `14.59 WIB` in Indonesian (which separates hours and minutes
    /// with a full stop, as the Indonesian spelling rules, PUEBI, write times of day).
    public func time(_ date: Date) -> String {
        let local = zone.localTime(date)
        let separator = strings.language == .indonesian ? "." : ":"
        return Self.twoDigits(local.hour) + separator + Self.twoDigits(local.minute) + " " + abbreviation(at: date)
    }

    /// `29 Nov 2026` in Indonesian, `Nov 29, 2026` in English.
    public func date(_ date: Date) -> String {
        let local = zone.localTime(date)
        return dayMonthYear(day: local.day, month: local.month, year: local.year)
    }

    func dayMonthYear(day: Int, month: Int, year: Int) -> String {
        let name = strings.shortMonths[max(1, min(12, month)) - 1]
        switch strings.language {
        case .indonesian: return "\(day) \(name) \(year)"
        case .english: return "\(name) \(day), \(year)"
        }
    }

    /// `29 Nov 2026` from a `YYYY-MM-DD` local date (the uptime days).
    public func date(iso: String) -> String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return iso }
        return dayMonthYear(day: parts[2], month: parts[1], year: parts[0])
    }

    /// `November 2026`.
    public func month(year: Int, month: Int) -> String {
        "\(strings.months[max(1, min(12, month)) - 1]) \(year)"
    }

    /// `29 Nov 2026, 14:59 WIB`; the time alone when `date` falls on the same local day as
    /// `sameDayAs`.
    public func dateTime(_ date: Date, sameDayAs reference: Date? = nil) -> String {
        if let reference, zone.localTime(reference).dayNumber == zone.localTime(date).dayNumber {
            return time(date)
        }
        return self.date(date) + ", " + time(date)
    }

    /// The instant for `<time datetime>`: ISO 8601 with the zone's offset.
    public func machineReadable(_ date: Date) -> String { zone.string(date) }

    /// A span in words: `47 min`, `2 h 5 min`, `3 d 4 h` (`47 menit`, ... in Indonesian).
    /// Rounded down to the minute, at least one minute.
    public func duration(_ seconds: TimeInterval) -> String {
        let minutes = max(1, Int(max(0, seconds) / 60))
        if minutes < 60 { return strings.format("duration_minutes", ["minutes": String(minutes)]) }
        if minutes < 24 * 60 {
            if minutes % 60 == 0 { return strings.format("duration_whole_hours", ["hours": String(minutes / 60)]) }
            return strings.format("duration_hours", ["hours": String(minutes / 60), "minutes": String(minutes % 60)])
        }
        if minutes / 60 % 24 == 0 { return strings.format("duration_whole_days", ["days": String(minutes / 1440)]) }
        return strings.format("duration_days", ["days": String(minutes / 1440), "hours": String(minutes % 1440 / 60)])
    }

    /// A running count in hours and minutes: `59 min`, `1 h 0 min`, `26 h 3 min` (`26 j 3 mnt`
    /// in Indonesian). Unlike `duration`, hours never roll over into days and a whole hour
    /// keeps its minutes, so a figure that grows minute by minute (how long staff have been
    /// silent) always reads the same way. Rounded down to the minute.
    public func hoursAndMinutes(_ seconds: TimeInterval) -> String {
        let minutes = Int(max(0, seconds) / 60)
        if minutes < 60 { return strings.format("count_minutes", ["minutes": String(minutes)]) }
        return strings.format("count_hours", ["hours": String(minutes / 60), "minutes": String(minutes % 60)])
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
