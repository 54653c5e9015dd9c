import Foundation
@testable import StatusCore
import Testing

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_930_263.123)) == "2026-11-29T05:31:03.123Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400.999)) == "2000-02-29T00:00:00.999Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        // Sub-millisecond instants round to the nearest millisecond.
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1.0006)) == "1970-01-01T00:00:01.001Z")
    }

    @Test func roundTripsEveryMillisecondOfASecond() throws {
        let base = try #require(Timestamp.parse("2026-11-29T05:31:03.000Z"))
        for millisecond in 0..<1000 {
            let text = "2026-11-29T05:31:03." + String(format: "%03d", millisecond) + "Z"
            let date = try #require(Timestamp.parse(text))
            #expect(Timestamp.format(date) == text)
            #expect(date == Timestamp.parse(Timestamp.format(date)))
            #expect(abs(date.timeIntervalSince(base) - Double(millisecond) / 1000) < 1e-6)
        }
    }

    @Test func parsesOnlyTheStoredForm() {
        #expect(Timestamp.parse("2026-11-29T05:31:03.123Z") == Date(timeIntervalSince1970: 1_795_930_263.123))
        #expect(Timestamp.parse("2026-11-29T05:31:03Z") == nil)
        #expect(Timestamp.parse("2026-11-29T05:31:03.123+07:00") == nil)
        #expect(Timestamp.parse("2026-02-29T05:31:03.123Z") == nil)  // not a leap year
        #expect(Timestamp.parse("2026-11-29T24:00:00.000Z") == nil)
        #expect(Timestamp.parse("2026-11-29 05:31:03.123Z") == nil)
    }

    @Test func parsesClientISO8601() {
        let expected = Date(timeIntervalSince1970: 1_795_930_263.123)
        #expect(Timestamp.parseISO8601("2026-11-29T05:31:03.123Z") == expected)
        #expect(Timestamp.parseISO8601("2026-11-29T12:31:03.123+07:00") == expected)
        #expect(Timestamp.parseISO8601("2026-11-28T21:31:03.123456-08:00") == expected)
        #expect(Timestamp.parseISO8601("2026-11-29T12:31:03.123+0700") == expected)
        #expect(Timestamp.parseISO8601("2026-11-29T05:31Z") == Date(timeIntervalSince1970: 1_795_930_260))
        #expect(Timestamp.parseISO8601("2026-11-29T05:31:03.1Z") == Date(timeIntervalSince1970: 1_795_930_263.1))
        #expect(Timestamp.parseISO8601("2026-11-29T05:31:03") == nil)  // no zone
        #expect(Timestamp.parseISO8601("2026-11-29") == nil)
        #expect(Timestamp.parseISO8601("tomorrow") == nil)
    }

    @Test func calendarDays() {
        #expect(Timestamp.isCalendarDay("2024-02-29"))
        #expect(!Timestamp.isCalendarDay("2026-02-29"))
        #expect(!Timestamp.isCalendarDay("2026-13-01"))
        #expect(!Timestamp.isCalendarDay("2026-1-01"))
    }
}

@Suite struct IdentifierTests {
    @Test func twelveCharactersOfLowercaseLettersAndDigits() {
        var seen: Set<String> = []
        for _ in 0..<1000 {
            let id = Identifier.make()
            #expect(id.count == 12)
            #expect(id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) })
            #expect(Identifier.isValid(id))
            seen.insert(id)
        }
        #expect(seen.count == 1000)
        #expect(!Identifier.isValid("ABCDEFGHIJKL"))
        #expect(!Identifier.isValid("abc"))
    }
}
