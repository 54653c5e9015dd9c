import Foundation

/// A check's state as machines measure it. Never a component's status: what staff declared
/// and what probes measured are shown side by side, never mixed.
public enum CheckState: String, CaseIterable, Sendable {
    /// Enough consecutive probes succeeded.
    case up
    /// Enough consecutive probes failed.
    case failing
    /// No data yet, data too old, or the prober could not tell (its own control target was
    /// unreachable): a prober that lost its own network must not report the world as down.
    case unknown
}

/// What one probe of a check found.
public enum ProbeOutcome: Sendable, Equatable {
    case success
    case failure
    /// The prober could not tell: its control target was unreachable too.
    case inconclusive
}

/// How many consecutive results it takes to change a check's state.
public struct CheckThresholds: Sendable, Equatable {
    /// Consecutive failures before `failing`.
    public var failures: Int
    /// Consecutive successes before `up`.
    public var successes: Int

    public init(failures: Int = 3, successes: Int = 2) {
        self.failures = failures
        self.successes = successes
    }
}

/// One check as seen from one location: its results run through the thresholds, so one lost
/// packet is not an outage and one lucky answer is not a recovery.
public struct LocationTally: Sendable, Equatable {
    public private(set) var state: CheckState = .unknown
    /// When the current state began. For `failing`, the first failure of the run that led
    /// to it (the outage began then, not when the threshold was reached).
    public private(set) var since: Date?
    public private(set) var consecutiveSuccesses = 0
    public private(set) var consecutiveFailures = 0
    /// The first result of the current run of equal results.
    public private(set) var runStartedAt: Date?
    /// When this location last reported anything.
    public private(set) var lastReportAt: Date?

    public init() {}

    /// A tally as it was stored.
    public init(state: CheckState, since: Date?, consecutiveSuccesses: Int, consecutiveFailures: Int,
                runStartedAt: Date?, lastReportAt: Date?) {
        self.state = state
        self.since = since
        self.consecutiveSuccesses = consecutiveSuccesses
        self.consecutiveFailures = consecutiveFailures
        self.runStartedAt = runStartedAt
        self.lastReportAt = lastReportAt
    }

    /// Records one result at `instant`; returns whether the state changed.
    @discardableResult
    public mutating func record(_ outcome: ProbeOutcome, at instant: Date, thresholds: CheckThresholds) -> Bool {
        lastReportAt = instant
        let before = state
        switch outcome {
        case .success:
            if consecutiveSuccesses == 0 { runStartedAt = instant }
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            if state != .up, consecutiveSuccesses >= thresholds.successes { enter(.up, since: runStartedAt ?? instant) }
        case .failure:
            if consecutiveFailures == 0 { runStartedAt = instant }
            consecutiveFailures += 1
            consecutiveSuccesses = 0
            if state != .failing, consecutiveFailures >= thresholds.failures { enter(.failing, since: runStartedAt ?? instant) }
        case .inconclusive:
            consecutiveSuccesses = 0
            consecutiveFailures = 0
            runStartedAt = nil
            if state != .unknown { enter(.unknown, since: instant) }
        }
        return state != before
    }

    /// Whether this location's last report is older than `staleAfter` at `now` (or it never
    /// reported): a silent location is left out of the verdict and shown as silent.
    public func isSilent(now: Date, staleAfter: TimeInterval) -> Bool {
        guard let lastReportAt else { return true }
        return now.timeIntervalSince(lastReportAt) > staleAfter
    }

    private mutating func enter(_ next: CheckState, since instant: Date) {
        state = next
        since = instant
    }
}
