#if canImport(Glibc)
import Glibc
#endif

/// The IMF-fixdate format of `Date`, `Last-Modified` and `If-Modified-Since`
/// (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`.
public enum HTTPDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats seconds since 1970, UTC.
    public static func format(_ secondsSince1970: Int) -> String {
        var time = time_t(secondsSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        return "\(weekdays[Int(parts.tm_wday)]), \(twoDigits(Int(parts.tm_mday))) "
            + "\(months[Int(parts.tm_mon)]) \(Int(parts.tm_year) + 1900) "
            + "\(twoDigits(Int(parts.tm_hour))):\(twoDigits(Int(parts.tm_min))):\(twoDigits(Int(parts.tm_sec))) GMT"
    }

    /// Parses IMF-fixdate; nil for anything else (the obsolete formats are not accepted,
    /// and RFC 9110 §13.1.3 says to ignore an invalid If-Modified-Since).
    public static func parse(_ text: String) -> Int? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","),
              weekdays.contains(String(parts[0].dropLast())), parts[5] == "GMT",
              let day = Int(parts[1]), parts[1].count == 2,
              let month = months.firstIndex(of: String(parts[2])),
              let year = Int(parts[3]), parts[3].count == 4
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        var parts2 = tm()
        parts2.tm_year = Int32(year - 1900)
        parts2.tm_mon = Int32(month)
        parts2.tm_mday = Int32(day)
        parts2.tm_hour = Int32(hour)
        parts2.tm_min = Int32(minute)
        parts2.tm_sec = Int32(second)
        var time = timegm(&parts2)
        // timegm rolls 31 February over into March; an impossible date is no date.
        var check = tm()
        gmtime_r(&time, &check)
        guard check.tm_mday == Int32(day), check.tm_mon == Int32(month), check.tm_year == Int32(year - 1900) else {
            return nil
        }
        return Int(time)
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
