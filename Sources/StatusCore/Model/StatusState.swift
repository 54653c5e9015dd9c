import Foundation

/// Everything the public representations are built from, read in one transaction.
public struct StatusState: Sendable {
    public var page: Page
    public var groups: [ComponentGroup]
    public var components: [Component]
    /// Incidents and maintenances, newest `createdAt` first (at most the recent ones the
    /// representations need, plus every open one).
    public var incidents: [Incident]
    /// Status changes for uptime: per component, oldest first.
    public var statusChanges: [String: [StatusChange]] = [:]
    /// Automatic checks, in the components' order, then by name.
    public var checks: [CheckStatus] = []
    /// Per incident id: when a check on one of its components began the failing spell that
    /// was under way at the incident's first update. The machines saw it then; the gap to the
    /// first update is the time to first statement.
    public var checkFailureBeforeStatement: [String: Date] = [:]
}

/// A component entering a status at an instant.
public struct StatusChange: Sendable, Equatable {
    public var status: ComponentStatus
    public var at: Date
}
