import Foundation

/// A check's state across every location that probes it.
///
/// Locations that have not reported within `staleIntervals` intervals are silent and left
/// out; of the rest, those whose own state is known vote. The check is failing when at least
/// a quorum of voters says so (by default a majority), up when it is not failing and some
/// voter says up, and unknown when nobody can tell.
public struct CheckVerdict: Sendable, Equatable {
    /// One location's part in the verdict.
    public struct Location: Sendable, Equatable {
        public let name: String
        public let state: CheckState
        public let lastReportAt: Date?
        /// No report within the staleness window: not counted.
        public let silent: Bool
    }

    public let state: CheckState
    /// For `failing`, the earliest first failure among the failing voters.
    public let failingSince: Date?
    /// Locations whose results count, and how many of them say failing.
    public let voters: Int
    public let failingVoters: Int
    /// Every location, by name.
    public let locations: [Location]

    /// How many intervals without a report make a location silent.
    public static let staleIntervals = 3.0

    /// - Parameter quorum: failing voters needed; nil for a majority of the voters.
    public init(tallies: [String: LocationTally], interval: TimeInterval, now: Date, quorum: Int? = nil) {
        var locations: [Location] = []
        var voters = 0
        var failing: [Date] = []
        var anyUp = false
        for (name, tally) in tallies.sorted(by: { $0.key < $1.key }) {
            let silent = tally.isSilent(now: now, staleAfter: interval * Self.staleIntervals)
            let state = silent ? CheckState.unknown : tally.state
            locations.append(Location(name: name, state: state, lastReportAt: tally.lastReportAt, silent: silent))
            guard !silent, state != .unknown else { continue }
            voters += 1
            if state == .failing { failing.append(tally.since ?? now) }
            if state == .up { anyUp = true }
        }
        let needed = max(1, quorum ?? (voters / 2 + 1))
        if voters > 0, failing.count >= needed {
            state = .failing
            failingSince = failing.min()
        } else {
            state = anyUp ? .up : .unknown
            failingSince = nil
        }
        self.voters = voters
        failingVoters = failing.count
        self.locations = locations
    }
}
