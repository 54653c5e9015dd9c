/// The public read endpoints of the Statuspage v2 API that Warta answers from a snapshot
/// (reference/statuspage-v2.md §1), plus Warta's `uptime.json` and `checks.json` extensions.
/// The raw value is the exact path; the router decides which other spellings (no `.json`)
/// map to it.
public enum V2Endpoint: String, CaseIterable, Sendable {
    /// `page, components, automated_checks, incidents, scheduled_maintenances, status`
    /// (`automated_checks` is Warta's; Statuspage clients ignore it).
    case summary = "/api/v2/summary.json"
    /// `page, status`.
    case status = "/api/v2/status.json"
    /// `page, components`: every component and group.
    case components = "/api/v2/components.json"
    /// `page, incidents`: the 50 most recent incidents, newest first.
    case incidents = "/api/v2/incidents.json"
    /// `page, incidents`: investigating, identified or monitoring.
    case unresolvedIncidents = "/api/v2/incidents/unresolved.json"
    /// `page, scheduled_maintenances`: the 50 most recent, by `scheduled_for` descending.
    case scheduledMaintenances = "/api/v2/scheduled-maintenances.json"
    /// `page, scheduled_maintenances`: status `scheduled`.
    case upcomingMaintenances = "/api/v2/scheduled-maintenances/upcoming.json"
    /// `page, scheduled_maintenances`: status `in_progress` or `verifying`.
    case activeMaintenances = "/api/v2/scheduled-maintenances/active.json"
    /// Warta's extension: `page, components` with 90 days of uptime each.
    case uptime = "/api/v2/uptime.json"
    /// Warta's extension: `page, checks`: what automatic checks measure, apart from what
    /// staff declare. Empty when the page keeps its checks private.
    case checks = "/api/v2/checks.json"

    public var path: String { rawValue }
}
