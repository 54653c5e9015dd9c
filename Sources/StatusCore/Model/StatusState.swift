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
}

/// A component entering a status at an instant.
public struct StatusChange: Sendable, Equatable {
    public var status: ComponentStatus
    public var at: Date
}
