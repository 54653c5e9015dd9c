import Foundation

/// The one text form of an instant that Warta stores: UTC, ISO 8601, always three fractional
/// digits, `2026-11-29T05:31:03.123Z` (RFC 3339 §5.6 profile; the same form SQLite's
/// `strftime('%Y-%m-%dT%H:%M:%fZ')` writes).
///
/// Fixed width and UTC make the text sort as the instants do, so SQL compares and orders
/// timestamps as strings (`scheduled_for <= ?`, `ORDER BY created_at`). The conversion is
/// written out by hand on the proleptic Gregorian calendar: `DateFormatter` and
/// `ISO8601DateFormatter` are slow to create, not documented as thread-safe on every
/// platform, and `ISO8601DateFormatter` drops milliseconds unless told otherwise. Instants are
/// rounded to the nearest millisecond, so `parse(format(d)) == d` for every millisecond-aligned
/// `d`, and `format(parse(s)) == s` for every valid `s`.
public enum Timestamp {
    /// The stored form of `date`, rounded to the millisecond. Years outside 0000–9999 are
    /// clamped to that range, which the four-digit form can hold.
    public static func format(_ date: Date) -> String {
        ZonedTimestamp.utc.string(date)
    }

    /// Reads exactly the stored form (24 characters, `Z`); anything else is nil. Use
    /// `parseISO8601(_:)` for input from clients.
    ///
    /// Runs for every timestamp `state()` reads (thousands per call), so it works on the
    /// string's UTF-8 in place, without copying it into an array.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count == 24, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "."),
                  bytes[23] == UInt8(ascii: "Z"),
                  let local = parseLocal(bytes), local.consumed == 19,
                  let fraction = digits(bytes, 20, 23)
            else { return nil }
            return date(milliseconds: local.milliseconds + Int64(fraction))
        }
    }

    /// Reads an ISO 8601 / RFC 3339 instant as clients send it:
    /// `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or an offset `±HH:MM`, `±HHMM` or
    /// `±HH`. A space or `t` may stand for `T`. Digits past milliseconds are dropped. A time
    /// without a zone is refused: guessing one would shift a maintenance window by hours.
    public static func parseISO8601(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard let local = parseLocal(bytes) else { return nil }
            var index = local.consumed
            var milliseconds = local.milliseconds
            if local.hasSeconds, index < bytes.count,
               bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                index += 1
                let start = index
                var fraction = 0
                while index < bytes.count, let digit = digitValue(bytes[index]) {
                    if index - start < 3 { fraction = fraction * 10 + digit }
                    index += 1
                }
                guard index > start else { return nil }
                for _ in min(index - start, 3)..<3 { fraction *= 10 }
                milliseconds += Int64(fraction)
            }
            guard index < bytes.count else { return nil }
            let zoneLength = bytes.count - index
            if zoneLength == 1, bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
                return date(milliseconds: milliseconds)
            }
            let sign = bytes[index]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
            let offsetStart = index + 1
            let hours: Int?
            let minutes: Int?
            switch zoneLength - 1 {
            case 2:
                (hours, minutes) = (digits(bytes, offsetStart, offsetStart + 2), 0)
            case 4:
                (hours, minutes) = (digits(bytes, offsetStart, offsetStart + 2), digits(bytes, offsetStart + 2, offsetStart + 4))
            case 5 where bytes[offsetStart + 2] == UInt8(ascii: ":"):
                (hours, minutes) = (digits(bytes, offsetStart, offsetStart + 2), digits(bytes, offsetStart + 3, offsetStart + 5))
            default:
                return nil
            }
            guard let hours, let minutes, hours < 24, minutes < 60 else { return nil }
            let offset = Int64(hours * 60 + minutes) * 60_000
            // Local time = UTC + offset, so UTC = local - offset.
            return date(milliseconds: sign == UInt8(ascii: "+") ? milliseconds - offset : milliseconds + offset)
        }
    }

    /// Whether `text` is a real calendar day written `YYYY-MM-DD` (a component's start date).
    public static func isCalendarDay(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.count == 10 && calendarDay(bytes) != nil }
    }

    // MARK: Arithmetic

    static func millisecondsSince1970(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded(.toNearestOrAwayFromZero)
        // Far beyond year 9999 either way; `format` clamps what lies outside.
        return Int64(max(min(value, 1e17), -1e17))
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The inverse of `ZonedTimestamp.civilDate`: `days_from_civil`
    /// (<https://howardhinnant.github.io/date_algorithms.html#days_from_civil>).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let year = Int64(month <= 2 ? year - 1 : year)
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let monthFromMarch = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Parsing

    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    /// The decimal number in `bytes[start..<end]`, or nil if any byte there is not a digit.
    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard start < end, end <= bytes.count else { return nil }
        var value = 0
        for index in start..<end {
            guard let digit = digitValue(bytes[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// `YYYY-MM-DD` at the start of `bytes`, checked against the calendar.
    private static func calendarDay(_ bytes: UnsafeBufferPointer<UInt8>) -> (year: Int, month: Int, day: Int)? {
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 7), let day = digits(bytes, 8, 10),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        return (year, month, day)
    }

    /// `YYYY-MM-DDTHH:MM[:SS]` at the start of `bytes`, as milliseconds since 1970 in a zone
    /// not yet known, and how many bytes it took.
    private static func parseLocal(_ bytes: UnsafeBufferPointer<UInt8>)
        -> (milliseconds: Int64, consumed: Int, hasSeconds: Bool)? {
        guard let (year, month, day) = calendarDay(bytes), bytes.count >= 16 else { return nil }
        let separator = bytes[10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"),
              let hour = digits(bytes, 11, 13), let minute = digits(bytes, 14, 16), hour < 24, minute < 60
        else { return nil }
        var second = 0
        var consumed = 16
        var hasSeconds = false
        if bytes.count >= 19, bytes[16] == UInt8(ascii: ":") {
            // Leap seconds (:60) are refused: `Date` cannot hold them either.
            guard let value = digits(bytes, 17, 19), value < 60 else { return nil }
            second = value
            consumed = 19
            hasSeconds = true
        }
        let days = daysSince1970(year: year, month: month, day: day)
        let milliseconds = ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1000
        return (milliseconds, consumed, hasSeconds)
    }
}
