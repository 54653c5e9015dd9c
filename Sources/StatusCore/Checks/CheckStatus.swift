import Foundation

/// A check as the representations show it: its definition, its verdict across locations and
/// its measured days. Built by `Store.state(now:)`.
public struct CheckStatus: Sendable, Equatable {
    public var check: Check
    /// The verdict, as of the state's `now`.
    public var state: CheckState
    /// When the verdict entered `state` (for `failing`: the first failure).
    public var since: Date?
    /// The newest report from any location.
    public var lastCheckedAt: Date?
    /// The latency of that newest report, in milliseconds.
    public var latencyMilliseconds: Int?
    /// Every location that has reported, by name; silent ones marked.
    public var locations: [CheckVerdict.Location]
    /// Locations whose results count, and how many of them say failing.
    public var voters: Int
    public var failingVoters: Int
    /// Results per local day (`yyyy-MM-dd` in the page's zone), newest last.
    public var days: [CheckDay] = []
}

/// One local day of a check's results, every location together.
public struct CheckDay: Sendable, Equatable {
    public var day: String
    public var successes: Int
    public var failures: Int

    public init(day: String, successes: Int, failures: Int) {
        self.day = day
        self.successes = successes
        self.failures = failures
    }

    /// The share of successful results, 0 to 1; nil with no result.
    public var uptime: Double? {
        let total = successes + failures
        return total == 0 ? nil : Double(successes) / Double(total)
    }
}

extension StatusState {
    /// The incident in force (not resolved; a maintenance under way) that lists
    /// `componentID`, newest first: staff have spoken about it.
    public func openIncident(listing componentID: String) -> Incident? {
        incidents.first { $0.isInForce && $0.componentIDs.contains(componentID) }
    }

    /// Checks failing on a component no open incident lists, for longer than the page's
    /// statement grace at `now`: the page says staff have not spoken yet.
    public func unacknowledgedFailures(at now: Date) -> [CheckStatus] {
        let grace = TimeInterval(page.statementGrace * 60)
        return checks.filter { status in
            guard status.state == .failing, let since = status.since else { return false }
            return now.timeIntervalSince(since) >= grace && openIncident(listing: status.check.componentID) == nil
        }
    }
}
