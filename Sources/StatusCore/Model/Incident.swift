import Foundation

/// An incident or a scheduled maintenance (Statuspage keeps both in one model; a
/// maintenance has `scheduledFor` and a maintenance status).
public struct Incident: Sendable, Equatable {
    public var id: String
    public var name: String
    public var nameTranslations: [String: String] = [:]
    public var status: IncidentStatus
    /// The impact in force: `impactOverride` when set, else derived from the affected
    /// components (see `Rollup.incidentImpact`).
    public var impact: Impact
    public var impactOverride: Impact?
    public var isMaintenance: Bool = false
    public var scheduledFor: Date?
    public var scheduledUntil: Date?
    /// Move to in_progress at `scheduledFor` (and set the components under maintenance).
    public var scheduledAutoInProgress: Bool = false
    /// Move to completed at `scheduledUntil` (and set the components back to operational).
    public var scheduledAutoCompleted: Bool = false
    /// Set the affected components under_maintenance when the maintenance enters in_progress.
    public var autoTransitionToMaintenanceState: Bool = false
    /// Set the affected components that are under_maintenance back to operational when the
    /// maintenance completes.
    public var autoTransitionToOperationalState: Bool = false
    /// Mail subscribers an hour before `scheduledFor` (Statuspage's `scheduled_remind_prior`).
    public var scheduledRemindPrior: Bool = false
    /// When that reminder was queued.
    public var scheduledRemindedAt: Date?
    /// When the newest update promised the next one; nil when none is promised or the
    /// incident is closed.
    public var nextUpdateAt: Date?
    /// Who promised `nextUpdateAt`: staff, or the page itself (`Page.maxSilence` after the
    /// latest update, when staff promised nothing). Set by `Store.state(now:)`.
    public var promisedBy: Promiser = .staff
    public var postmortemBody: String?
    public var postmortemPublishedAt: Date?
    /// The v1 `metadata` object, as JSON text.
    public var metadataJSON: String = "{}"
    public var startedAt: Date
    public var monitoringAt: Date?
    public var resolvedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    /// The affected components' ids, in the order they were added.
    public var componentIDs: [String] = []
    /// Newest first.
    public var updates: [IncidentUpdate] = []

    /// A maintenance under way: in progress or verifying. The one definition behind the
    /// page status (`Rollup`), `scheduled-maintenances/active.json` and the page's
    /// "maintenance in progress" list.
    public var isActiveMaintenance: Bool {
        isMaintenance && (status == .inProgress || status == .verifying)
    }

    /// An incident not yet resolved, or an active maintenance: what the page status rolls up
    /// and what the page shows as current. A scheduled maintenance is not yet in force.
    public var isInForce: Bool {
        isMaintenance ? isActiveMaintenance : !status.isClosed
    }

    /// Whether a promised update is late at `now`.
    public func isUpdateOverdue(at now: Date) -> Bool {
        guard !status.isClosed, let nextUpdateAt else { return false }
        return now > nextUpdateAt
    }
}

/// Who promised an incident's next update.
public enum Promiser: String, Sendable, Equatable {
    /// Staff, with `next_update_at` or `next_update_in`.
    case staff
    /// The page: no update for `Page.maxSilence` minutes is overdue.
    case page
}
