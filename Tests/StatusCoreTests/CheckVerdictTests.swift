import Foundation
import StatusCore
import Testing

/// A check's thresholds at one location, and the quorum across locations, on literal results.
struct CheckVerdictTests {
    static let start = Date(timeIntervalSince1970: 1_718_835_300) // 2024-06-20 04:15 WIB
    static let thresholds = CheckThresholds(failures: 3, successes: 2)

    /// Results one interval (60 s) apart from `start`.
    static func tally(_ outcomes: [ProbeOutcome], interval: TimeInterval = 60) -> LocationTally {
        var tally = LocationTally()
        for (index, outcome) in outcomes.enumerated() {
            tally.record(outcome, at: start.addingTimeInterval(Double(index) * interval), thresholds: thresholds)
        }
        return tally
    }

    @Test func failingNeedsConsecutiveFailuresAndDatesFromTheFirst() {
        var tally = LocationTally()
        #expect(tally.state == .unknown)
        let first = tally.record(.failure, at: Self.start, thresholds: Self.thresholds)
        let second = tally.record(.failure, at: Self.start.addingTimeInterval(60), thresholds: Self.thresholds)
        #expect(!first && !second)
        #expect(tally.state == .unknown)
        let third = tally.record(.failure, at: Self.start.addingTimeInterval(120), thresholds: Self.thresholds)
        #expect(third)
        #expect(tally.state == .failing)
        #expect(tally.since == Self.start)
    }

    @Test func aSuccessBetweenFailuresRestartsTheCount() {
        let tally = Self.tally([.success, .success, .failure, .failure, .success, .failure, .failure])
        #expect(tally.state == .up)
        #expect(tally.consecutiveFailures == 2)
        #expect(tally.since == Self.start)
    }

    @Test func recoveryNeedsConsecutiveSuccesses() {
        let tally = Self.tally([.failure, .failure, .failure, .success])
        #expect(tally.state == .failing)
        let recovered = Self.tally([.failure, .failure, .failure, .success, .success])
        #expect(recovered.state == .up)
        #expect(recovered.since == Self.start.addingTimeInterval(180))
    }

    @Test func anInconclusiveResultMakesTheLocationUnknown() {
        let tally = Self.tally([.failure, .failure, .failure, .inconclusive])
        #expect(tally.state == .unknown)
        #expect(tally.consecutiveFailures == 0)
        #expect(tally.since == Self.start.addingTimeInterval(180))
    }

    @Test func aMajorityOfReportingLocationsDecides() {
        let down = Self.tally([.failure, .failure, .failure])
        let up = Self.tally([.success, .success, .success])
        let now = Self.start.addingTimeInterval(150)
        let two = CheckVerdict(tallies: ["jakarta": down, "singapore": down, "tokyo": up], interval: 60, now: now)
        #expect(two.state == .failing)
        #expect(two.voters == 3 && two.failingVoters == 2)
        #expect(two.failingSince == Self.start)
        let one = CheckVerdict(tallies: ["jakarta": down, "singapore": up, "tokyo": up], interval: 60, now: now)
        #expect(one.state == .up)
        #expect(one.failingSince == nil)
        let even = CheckVerdict(tallies: ["jakarta": down, "singapore": up], interval: 60, now: now)
        #expect(even.state == .up)
        let explicit = CheckVerdict(tallies: ["jakarta": down, "singapore": up], interval: 60, now: now, quorum: 1)
        #expect(explicit.state == .failing)
    }

    @Test func aSilentLocationIsShownAndLeftOut() {
        let down = Self.tally([.failure, .failure, .failure])
        let up = Self.tally([.success, .success, .success])
        // `up` last reported at start + 120 s; four intervals later it is silent.
        let now = Self.start.addingTimeInterval(120 + 4 * 60)
        var fresh = down
        fresh.record(.failure, at: now, thresholds: Self.thresholds)
        let verdict = CheckVerdict(tallies: ["local": fresh, "remote": up], interval: 60, now: now)
        #expect(verdict.state == .failing)
        #expect(verdict.voters == 1)
        #expect(verdict.locations.map(\.name) == ["local", "remote"])
        #expect(verdict.locations.map(\.silent) == [false, true])
        #expect(verdict.locations[1].state == .unknown)
    }

    @Test func nobodyReportingIsUnknown() {
        #expect(CheckVerdict(tallies: [:], interval: 60, now: Self.start).state == .unknown)
        let unsure = Self.tally([.inconclusive])
        let verdict = CheckVerdict(tallies: ["local": unsure], interval: 60, now: Self.start)
        #expect(verdict.state == .unknown)
        #expect(verdict.voters == 0)
    }
}
