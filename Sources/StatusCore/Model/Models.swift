import Foundation

/// The page's settings: what every representation reads.
public struct Page: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The public URL without a trailing slash; empty until configured.
    public var url: String
    /// An IANA time zone, e.g. `Asia/Jakarta`.
    public var timeZone: String
    /// `id` or `en`: the language of the primary text of incidents and updates.
    public var defaultLanguage: String
    public var logoURL: String?
    /// `#rrggbb`.
    public var accentColor: String?
    public var headerLinks: [HeaderLink]
    public var stylesheetURL: String?
    public var createdAt: Date
    public var updatedAt: Date

    public struct HeaderLink: Sendable, Equatable {
        public var label: String
        public var url: String

        public init(label: String, url: String) {
            self.label = label
            self.url = url
        }
    }

    public init(id: String, name: String, url: String = "", timeZone: String = "Asia/Jakarta",
                defaultLanguage: String = "id", logoURL: String? = nil, accentColor: String? = nil,
                headerLinks: [HeaderLink] = [], stylesheetURL: String? = nil,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.url = url
        self.timeZone = timeZone
        self.defaultLanguage = defaultLanguage
        self.logoURL = logoURL
        self.accentColor = accentColor
        self.headerLinks = headerLinks
        self.stylesheetURL = stylesheetURL
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A named group of components. Its status is the worst of its children's.
public struct ComponentGroup: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    /// 1-based, among top-level rows (groups and ungrouped components).
    public var position: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// The members' ids, in their order within the group (v1 and v2 `components`).
    public var componentIDs: [String]

    public init(id: String, name: String, description: String? = nil, position: Int,
                createdAt: Date, updatedAt: Date, componentIDs: [String] = []) {
        self.id = id
        self.name = name
        self.description = description
        self.position = position
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.componentIDs = componentIDs
    }
}

public struct Component: Sendable, Equatable {
    public var id: String
    public var groupID: String?
    public var name: String
    public var description: String?
    public var status: ComponentStatus
    /// 1-based, within its group, or among top-level rows when ungrouped.
    public var position: Int
    public var showcase: Bool
    public var onlyShowIfDegraded: Bool
    /// `YYYY-MM-DD`: the day uptime history starts.
    public var startDate: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, groupID: String? = nil, name: String, description: String? = nil,
                status: ComponentStatus = .operational, position: Int, showcase: Bool = true,
                onlyShowIfDegraded: Bool = false, startDate: String? = nil,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.groupID = groupID
        self.name = name
        self.description = description
        self.status = status
        self.position = position
        self.showcase = showcase
        self.onlyShowIfDegraded = onlyShowIfDegraded
        self.startDate = startDate
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A component's status before and after an update changed it.
public struct AffectedComponent: Sendable, Equatable {
    public var componentID: String
    /// The component's name when the update was posted (`Group - Component` when grouped).
    public var name: String
    public var oldStatus: ComponentStatus
    public var newStatus: ComponentStatus

    public init(componentID: String, name: String, oldStatus: ComponentStatus, newStatus: ComponentStatus) {
        self.componentID = componentID
        self.name = name
        self.oldStatus = oldStatus
        self.newStatus = newStatus
    }
}

public struct IncidentUpdate: Sendable, Equatable {
    public var id: String
    public var incidentID: String
    public var status: IncidentStatus
    /// Plain text in the page's default language.
    public var body: String
    /// The body in other languages, by language code.
    public var bodyTranslations: [String: String]
    public var displayAt: Date
    public var deliverNotifications: Bool
    /// When this update promised the next one.
    public var nextUpdateAt: Date?
    public var affectedComponents: [AffectedComponent]
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, incidentID: String, status: IncidentStatus, body: String,
                bodyTranslations: [String: String] = [:], displayAt: Date, deliverNotifications: Bool = true,
                nextUpdateAt: Date? = nil, affectedComponents: [AffectedComponent] = [],
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.incidentID = incidentID
        self.status = status
        self.body = body
        self.bodyTranslations = bodyTranslations
        self.displayAt = displayAt
        self.deliverNotifications = deliverNotifications
        self.nextUpdateAt = nextUpdateAt
        self.affectedComponents = affectedComponents
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An incident or a scheduled maintenance (Statuspage keeps both in one model; a
/// maintenance has `scheduledFor` and a maintenance status).
public struct Incident: Sendable, Equatable {
    public var id: String
    public var name: String
    public var nameTranslations: [String: String]
    public var status: IncidentStatus
    /// The impact in force: `impactOverride` when set, else derived from the affected
    /// components (see `Rollup.incidentImpact`).
    public var impact: Impact
    public var impactOverride: Impact?
    public var isMaintenance: Bool
    public var scheduledFor: Date?
    public var scheduledUntil: Date?
    /// Move to in_progress at `scheduledFor` (and set the components under maintenance).
    public var scheduledAutoInProgress: Bool
    /// Move to completed at `scheduledUntil` (and set the components back to operational).
    public var scheduledAutoCompleted: Bool
    /// Set the affected components under_maintenance when the maintenance enters in_progress.
    public var autoTransitionToMaintenanceState: Bool
    /// Set the affected components that are under_maintenance back to operational when the
    /// maintenance completes.
    public var autoTransitionToOperationalState: Bool
    /// When the newest update promised the next one; nil when none is promised or the
    /// incident is closed.
    public var nextUpdateAt: Date?
    public var postmortemBody: String?
    public var postmortemPublishedAt: Date?
    /// The v1 `metadata` object, as JSON text.
    public var metadataJSON: String
    public var startedAt: Date
    public var monitoringAt: Date?
    public var resolvedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    /// The affected components' ids, in the order they were added.
    public var componentIDs: [String]
    /// Newest first.
    public var updates: [IncidentUpdate]

    public init(id: String, name: String, nameTranslations: [String: String] = [:], status: IncidentStatus,
                impact: Impact, impactOverride: Impact? = nil, isMaintenance: Bool = false,
                scheduledFor: Date? = nil, scheduledUntil: Date? = nil,
                scheduledAutoInProgress: Bool = false, scheduledAutoCompleted: Bool = false,
                autoTransitionToMaintenanceState: Bool = false, autoTransitionToOperationalState: Bool = false,
                nextUpdateAt: Date? = nil, postmortemBody: String? = nil, postmortemPublishedAt: Date? = nil,
                metadataJSON: String = "{}", startedAt: Date, monitoringAt: Date? = nil, resolvedAt: Date? = nil,
                createdAt: Date, updatedAt: Date, componentIDs: [String] = [], updates: [IncidentUpdate] = []) {
        self.id = id
        self.name = name
        self.nameTranslations = nameTranslations
        self.status = status
        self.impact = impact
        self.impactOverride = impactOverride
        self.isMaintenance = isMaintenance
        self.scheduledFor = scheduledFor
        self.scheduledUntil = scheduledUntil
        self.scheduledAutoInProgress = scheduledAutoInProgress
        self.scheduledAutoCompleted = scheduledAutoCompleted
        self.autoTransitionToMaintenanceState = autoTransitionToMaintenanceState
        self.autoTransitionToOperationalState = autoTransitionToOperationalState
        self.nextUpdateAt = nextUpdateAt
        self.postmortemBody = postmortemBody
        self.postmortemPublishedAt = postmortemPublishedAt
        self.metadataJSON = metadataJSON
        self.startedAt = startedAt
        self.monitoringAt = monitoringAt
        self.resolvedAt = resolvedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.componentIDs = componentIDs
        self.updates = updates
    }

    /// Whether a promised update is late at `now`.
    public func isUpdateOverdue(at now: Date) -> Bool {
        guard !status.isClosed, let nextUpdateAt else { return false }
        return now > nextUpdateAt
    }
}

/// Everything the public representations are built from, read in one transaction.
public struct StatusState: Sendable {
    public var page: Page
    public var groups: [ComponentGroup]
    public var components: [Component]
    /// Incidents and maintenances, newest `createdAt` first (at most the recent ones the
    /// representations need, plus every open one).
    public var incidents: [Incident]
    /// Status changes for uptime: per component, oldest first.
    public var statusChanges: [String: [StatusChange]]

    public init(page: Page, groups: [ComponentGroup], components: [Component], incidents: [Incident],
                statusChanges: [String: [StatusChange]] = [:]) {
        self.page = page
        self.groups = groups
        self.components = components
        self.incidents = incidents
        self.statusChanges = statusChanges
    }
}

/// A component entering a status at an instant.
public struct StatusChange: Sendable, Equatable {
    public var status: ComponentStatus
    public var at: Date

    public init(status: ComponentStatus, at: Date) {
        self.status = status
        self.at = at
    }
}
