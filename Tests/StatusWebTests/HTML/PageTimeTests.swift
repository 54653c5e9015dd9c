import Foundation
import TestSupport
import Testing
@testable import StatusWeb

@Suite struct PageTimeTests {
    static func make(_ zone: String, _ language: Language = .english) -> PageTime {
        PageTime(timeZoneIdentifier: zone, strings: .of(language))
    }

    @Test(arguments: [
        ("Asia/Jakarta", "2026-11-29T07:59:00Z", "14:59 WIB"),
        ("Asia/Pontianak", "2026-11-29T07:59:00Z", "14:59 WIB"),
        ("Asia/Makassar", "2026-11-29T07:59:00Z", "15:59 WITA"),
        ("Asia/Jayapura", "2026-11-29T07:59:00Z", "16:59 WIT"),
        ("UTC", "2026-11-29T07:59:00Z", "07:59 UTC"),
        ("Etc/UTC", "2026-11-29T07:59:00Z", "07:59 UTC"),
        ("Asia/Singapore", "2026-11-29T07:59:00Z", "15:59 UTC+08:00"),
        ("America/Sao_Paulo", "2026-11-29T07:59:00Z", "04:59 UTC-03:00"),
        ("Not/AZone", "2026-11-29T07:59:00Z", "07:59 UTC"),
    ])
    func timeWithTheZoneAbbreviation(_ zone: String, _ utc: String, _ expected: String) {
        #expect(Self.make(zone).time(instant(utc)) == expected)
    }

    /// Letters where the zone database has them, the offset where it has none; which one a
    /// zone gets depends on the system's tzdata, so this asserts the form, not the letters.
    @Test func europeanZonesFollowDaylightSaving() {
        let time = Self.make("Europe/Berlin")
        let winter = time.abbreviation(at: instant("2026-01-15T12:00:00Z"))
        let summer = time.abbreviation(at: instant("2026-07-15T12:00:00Z"))
        #expect(["CET", "UTC+01:00"].contains(winter))
        #expect(["CEST", "UTC+02:00"].contains(summer))
        #expect(time.time(instant("2026-07-15T12:00:00Z")).hasPrefix("14:00 "))
        #expect(["13:29 IST", "13:29 UTC+05:30"].contains(Self.make("Asia/Kolkata").time(instant("2026-11-29T07:59:00Z"))))
    }

    @Test func datesInEachLanguage() {
        let date = instant("2026-08-17T03:00:00Z")
        #expect(Self.make("Asia/Jakarta", .indonesian).date(date) == "17 Agu 2026")
        #expect(Self.make("Asia/Jakarta", .english).date(date) == "Aug 17, 2026")
        #expect(Self.make("Asia/Jakarta", .indonesian).month(year: 2026, month: 12) == "Desember 2026")
        #expect(Self.make("Asia/Jakarta", .english).date(iso: "2026-05-01") == "May 1, 2026")
    }

    @Test func localMidnightBelongsToTheNewDay() {
        // 17:00 UTC is midnight in Jakarta.
        let time = Self.make("Asia/Jakarta", .indonesian)
        #expect(time.dateTime(instant("2026-12-31T17:00:00Z")) == "1 Jan 2027, 00.00 WIB")
        #expect(time.dateTime(instant("2026-12-31T16:59:00Z")) == "31 Des 2026, 23.59 WIB")
    }

    @Test func theTimeAloneOnTheSameLocalDay() {
        let time = Self.make("Asia/Jakarta")
        let reference = instant("2026-11-29T01:00:00Z")
        #expect(time.dateTime(instant("2026-11-29T16:59:00Z"), sameDayAs: reference) == "23:59 WIB")
        #expect(time.dateTime(instant("2026-11-29T17:00:00Z"), sameDayAs: reference) == "Nov 30, 2026, 00:00 WIB")
    }

    static let durationCases: [(Double, String, String)] = [
        (0, "1 min", "1 menit"), (59, "1 min", "1 menit"), (2820, "47 min", "47 menit"),
        (3600, "1 h", "1 jam"), (7500, "2 h 5 min", "2 jam 5 menit"),
        (86_400, "1 d", "1 hari"), (273_600, "3 d 4 h", "3 hari 4 jam"), (-30, "1 min", "1 menit"),
    ]

    @Test(arguments: durationCases)
    func durations(_ seconds: Double, _ english: String, _ indonesian: String) {
        #expect(Self.make("UTC", .english).duration(seconds) == english)
        #expect(Self.make("UTC", .indonesian).duration(seconds) == indonesian)
    }

    /// Indonesian writes the time of day with a full stop, English with a colon.
    @Test func eachLanguageSeparatesHoursAndMinutesItsOwnWay() {
        let date = instant("2026-11-29T21:17:00Z")
        #expect(Self.make("Asia/Jakarta", .indonesian).time(date) == "04.17 WIB")
        #expect(Self.make("Asia/Jakarta", .english).time(date) == "04:17 WIB")
        #expect(Self.make("Asia/Jakarta", .indonesian).dateTime(date) == "30 Nov 2026, 04.17 WIB")
    }

    static let countCases: [(Double, String, String)] = [
        (0, "0 min", "0 mnt"), (59, "0 min", "0 mnt"), (59 * 60, "59 min", "59 mnt"), (3599, "59 min", "59 mnt"),
        (3600, "1 h 0 min", "1 j 0 mnt"), (2 * 3600 + 10 * 60 + 59, "2 h 10 min", "2 j 10 mnt"),
        (26 * 3600 + 3 * 60, "26 h 3 min", "26 j 3 mnt"), (-30, "0 min", "0 mnt"),
    ]

    /// A running count never rolls over into days and keeps a whole hour's minutes.
    @Test(arguments: countCases)
    func hoursAndMinutes(_ seconds: Double, _ english: String, _ indonesian: String) {
        #expect(Self.make("UTC", .english).hoursAndMinutes(seconds) == english)
        #expect(Self.make("UTC", .indonesian).hoursAndMinutes(seconds) == indonesian)
    }

    @Test func machineReadableTimesCarryTheOffset() {
        #expect(Self.make("Asia/Jakarta").machineReadable(instant("2026-11-29T07:59:00Z")) == "2026-11-29T14:59:00.000+07:00")
        #expect(Self.make("Asia/Jakarta").zoneDescription(at: instant("2026-11-29T07:59:00Z")) == "WIB (Asia/Jakarta, UTC+07:00)")
        #expect(Self.make("UTC").zoneDescription(at: instant("2026-11-29T07:59:00Z")) == "UTC (UTC)")
    }
}
