/// The lists of v1's `GET /pages/{page_id}/incidents[/filter]`. Every list is ordered newest
/// created first.
public enum IncidentFilter: String, CaseIterable, Sendable {
    /// Incidents and maintenances, whatever their status.
    case all
    /// Open incidents (investigating, identified, monitoring); no maintenances.
    case unresolved
    /// Maintenances not yet started (scheduled).
    case upcoming
    /// Maintenances in progress or verifying.
    case activeMaintenance = "active_maintenance"
    /// Maintenances not completed (scheduled, in progress, verifying).
    case scheduled
}
