import Foundation
import TestSupport
import Testing
@testable import StatusCore

/// Statuspage's timestamp form (reference/statuspage-v2.md §1.2): three fractional digits,
/// the page's zone, that instant's offset.
@Suite struct ZonedTimestampTests {
    static let cases: [(zone: String, utc: String, expected: String)] = [
        ("Etc/UTC", "2024-09-16T22:08:39.333Z", "2024-09-16T22:08:39.333Z"),
        ("UTC", "2024-09-16T22:08:39.333Z", "2024-09-16T22:08:39.333Z"),
        ("Etc/UTC", "2024-09-16T22:08:39Z", "2024-09-16T22:08:39.000Z"),
        ("Asia/Jakarta", "2026-11-29T05:31:03.123Z", "2026-11-29T12:31:03.123+07:00"),
        // Past local midnight: the date moves too.
        ("Asia/Jakarta", "2026-11-29T17:00:00.000Z", "2026-11-30T00:00:00.000+07:00"),
        ("Asia/Jakarta", "2026-12-31T16:59:59.999Z", "2026-12-31T23:59:59.999+07:00"),
        ("Asia/Jakarta", "2026-12-31T17:00:00.000Z", "2027-01-01T00:00:00.000+07:00"),
        // Los Angeles, both sides of DST (the Snowflake and Square captures).
        ("America/Los_Angeles", "2021-06-30T18:28:03.815Z", "2021-06-30T11:28:03.815-07:00"),
        ("America/Los_Angeles", "2020-11-09T17:23:39.202Z", "2020-11-09T09:23:39.202-08:00"),
        // The spring-forward instant and the millisecond before it.
        ("America/Los_Angeles", "2026-03-08T09:59:59.999Z", "2026-03-08T01:59:59.999-08:00"),
        ("America/Los_Angeles", "2026-03-08T10:00:00.000Z", "2026-03-08T03:00:00.000-07:00"),
        // Fall back: 01:30 happens twice, told apart by the offset.
        ("America/Los_Angeles", "2026-11-01T08:30:00.000Z", "2026-11-01T01:30:00.000-07:00"),
        ("America/Los_Angeles", "2026-11-01T09:30:00.000Z", "2026-11-01T01:30:00.000-08:00"),
        ("America/Chicago", "2019-02-20T18:00:19.418Z", "2019-02-20T12:00:19.418-06:00"),
        ("Asia/Kolkata", "2026-11-29T05:31:03.123Z", "2026-11-29T11:01:03.123+05:30"),
        // A zone at offset 0 that is not UTC writes the offset.
        ("Europe/London", "2026-01-15T12:00:00.000Z", "2026-01-15T12:00:00.000+00:00"),
        ("Europe/London", "2026-07-15T12:00:00.000Z", "2026-07-15T13:00:00.000+01:00"),
        ("Etc/UTC", "2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999Z"),
        ("Etc/UTC", "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
        // An unknown zone falls back to UTC rather than failing the snapshot.
        ("Mars/Olympus_Mons", "2026-11-29T05:31:03.123Z", "2026-11-29T05:31:03.123Z"),
    ]

    @Test(arguments: cases)
    func formats(_ zone: String, _ utc: String, _ expected: String) {
        #expect(ZonedTimestamp(timeZoneIdentifier: zone).string(instant(utc)) == expected)
    }

    @Test func roundsToTheNearestMillisecond() {
        let format = ZonedTimestamp(timeZoneIdentifier: "Etc/UTC")
        #expect(format.string(Date(timeIntervalSince1970: 0.3329999)) == "1970-01-01T00:00:00.333Z")
        #expect(format.string(Date(timeIntervalSince1970: 59.9996)) == "1970-01-01T00:01:00.000Z")
        #expect(format.string(Date(timeIntervalSince1970: 1_726_524_519.333)) == "2024-09-16T22:08:39.333Z")
    }

    @Test func clampsToFourDigitYears() {
        let format = ZonedTimestamp(timeZoneIdentifier: "Etc/UTC")
        #expect(format.string(Date(timeIntervalSince1970: -70_000_000_000)) == "0000-01-01T00:00:00.000Z")
        #expect(format.string(Date(timeIntervalSince1970: 400_000_000_000)) == "9999-12-31T23:59:59.999Z")
        #expect(format.string(Date(timeIntervalSince1970: .infinity)) == "9999-12-31T23:59:59.999Z")
        #expect(format.string(Date.distantFuture) == "4001-01-01T00:00:00.000Z")
    }

    @Test func appendsWithoutQuotes() {
        var bytes = Array("x=".utf8)
        ZonedTimestamp(timeZoneIdentifier: "Asia/Jakarta").append(instant("2026-11-29T05:31:03.123Z"), to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x=2026-11-29T12:31:03.123+07:00")
    }

    /// Every day of four centuries against Foundation's own calendar.
    @Test func civilDateAgreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for day in stride(from: Int64(-25_000), through: 125_000, by: 7) {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let civil = ZonedTimestamp.civilDate(daysSince1970: day)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day, "day \(day)")
            if civil.year != parts.year || civil.month != parts.month || civil.day != parts.day { break }
        }
    }
}
