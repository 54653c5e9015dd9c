/// A component's status, exactly as Statuspage spells it (the v1 enum; v2 payloads use the
/// same strings). Ordered from best to worst.
public enum ComponentStatus: String, CaseIterable, Sendable, Comparable {
    case operational
    case underMaintenance = "under_maintenance"
    case degradedPerformance = "degraded_performance"
    case partialOutage = "partial_outage"
    case majorOutage = "major_outage"

    /// Higher is worse. Maintenance ranks above operational (something is going on) and below
    /// every kind of failure.
    public var severity: Int {
        switch self {
        case .operational: return 0
        case .underMaintenance: return 1
        case .degradedPerformance: return 2
        case .partialOutage: return 3
        case .majorOutage: return 4
        }
    }

    public static func < (lhs: ComponentStatus, rhs: ComponentStatus) -> Bool {
        lhs.severity < rhs.severity
    }
}

/// An incident's or a maintenance's status. Incidents use the first five, maintenances the
/// last four (Statuspage keeps both in one `status` field).
public enum IncidentStatus: String, CaseIterable, Sendable {
    case investigating, identified, monitoring, resolved, postmortem
    case scheduled
    case inProgress = "in_progress"
    case verifying, completed

    /// The statuses of a scheduled maintenance.
    public var isMaintenanceStatus: Bool {
        switch self {
        case .scheduled, .inProgress, .verifying, .completed: return true
        default: return false
        }
    }

    /// Over: resolved, postmortem or completed.
    public var isClosed: Bool {
        self == .resolved || self == .postmortem || self == .completed
    }

    public static let incidentStatuses: [IncidentStatus] = [.investigating, .identified, .monitoring, .resolved, .postmortem]
    public static let maintenanceStatuses: [IncidentStatus] = [.scheduled, .inProgress, .verifying, .completed]
}

/// An incident's impact, and the page indicator (`none` … `critical`, `maintenance`).
public enum Impact: String, CaseIterable, Sendable {
    case none, minor, major, critical, maintenance

    /// Higher is worse; maintenance ranks below every failure.
    public var severity: Int {
        switch self {
        case .none: return 0
        case .maintenance: return 1
        case .minor: return 2
        case .major: return 3
        case .critical: return 4
        }
    }
}
