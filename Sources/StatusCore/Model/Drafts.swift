import Foundation

// The inputs of the store's create calls, one per kind of row, with v1's defaults. The web
// layer decodes a request into one of these; the store validates it as a whole.

/// A new component (v1 `POST /pages/{page_id}/components`, body `component`).
public struct ComponentDraft: Sendable, Equatable {
    /// Required: 1 to 255 characters, not blank.
    public var name: String
    /// Shown under the name; nil for none.
    public var description: String?
    /// The name and description in the page's other language (see `Component`).
    public var nameTranslations: [String: String] = [:]
    public var descriptionTranslations: [String: String] = [:]
    /// The first status, recorded in the status history as the start of uptime.
    public var status: ComponentStatus
    /// The group to put it in, which must exist; nil for the top level. It is appended at the
    /// end of that parent.
    public var groupID: String?
    /// Whether the public page lists it (v1 `showcase`).
    public var showcase: Bool
    /// Whether the public page lists it only while it is not operational.
    public var onlyShowIfDegraded: Bool
    /// `YYYY-MM-DD`.
    public var startDate: String?

    /// A component draft with v1's defaults: operational, top level, showcased.
    public init(name: String, description: String? = nil, status: ComponentStatus = .operational,
                groupID: String? = nil, showcase: Bool = true, onlyShowIfDegraded: Bool = false,
                startDate: String? = nil) {
        self.name = name
        self.description = description
        self.status = status
        self.groupID = groupID
        self.showcase = showcase
        self.onlyShowIfDegraded = onlyShowIfDegraded
        self.startDate = startDate
    }
}

/// A new component group (v1 `POST /pages/{page_id}/component-groups`).
public struct ComponentGroupDraft: Sendable, Equatable {
    /// Required: 1 to 255 characters, not blank.
    public var name: String
    /// Shown under the group's name; nil for none.
    public var description: String?
    /// The name and description in the page's other language (see `ComponentGroup`).
    public var nameTranslations: [String: String] = [:]
    public var descriptionTranslations: [String: String] = [:]
    /// Existing components to move into the group, in the order they will be shown.
    public var componentIDs: [String]

    /// A group draft, empty unless members are listed.
    public init(name: String, description: String? = nil, componentIDs: [String] = []) {
        self.name = name
        self.description = description
        self.componentIDs = componentIDs
    }
}

/// A new incident or scheduled maintenance (v1 `POST /pages/{page_id}/incidents`).
///
/// It is a maintenance when `scheduledFor` is given or `status` is a maintenance status; a
/// maintenance needs both `scheduledFor` and `scheduledUntil`, the end after the start.
public struct IncidentDraft: Sendable, Equatable {
    /// Required: 1 to 255 characters, not blank, in the page's default language.
    public var name: String
    /// The name in the page's other language (`id` or `en`); the default language's is `name`.
    public var nameTranslations: [String: String]
    /// nil: `investigating`, or `scheduled` for a maintenance. `postmortem` is refused: an
    /// incident reaches it after being resolved.
    public var status: IncidentStatus?
    /// The first update's text (at most 25,000 characters); may be empty.
    public var body: String
    /// The first update's text in the page's other language.
    public var bodyTranslations: [String: String]
    /// Replaces the impact derived from the components.
    public var impactOverride: Impact?
    /// The affected components, in order.
    public var componentIDs: [String]
    /// Components whose status the incident sets; they are affected too.
    public var components: [String: ComponentStatus]
    /// Whether the first update notifies subscribers (stored on the update).
    public var deliverNotifications: Bool
    /// The start of a maintenance window; giving it makes the draft a maintenance.
    public var scheduledFor: Date?
    /// The end of a maintenance window; required with `scheduledFor`, after it.
    public var scheduledUntil: Date?
    /// Move to in_progress by itself at `scheduledFor` (see `Store.applyTimeDrivenChanges`).
    public var scheduledAutoInProgress: Bool
    /// Move to completed by itself at `scheduledUntil`.
    public var scheduledAutoCompleted: Bool
    /// Set the affected components under_maintenance when the maintenance enters in_progress.
    public var autoTransitionToMaintenanceState: Bool
    /// Set the affected components under maintenance back to operational when it completes.
    public var autoTransitionToOperationalState: Bool
    /// Mail subscribers an hour before the window opens.
    public var scheduledRemindPrior: Bool
    /// v1's free-form `metadata`: a JSON object.
    public var metadataJSON: String
    /// The promise carried by the first update: the next one is due by then.
    public var nextUpdateAt: Date?

    /// A draft with v1's defaults: no components, notifications on, no window, no promise.
    public init(name: String, nameTranslations: [String: String] = [:], status: IncidentStatus? = nil,
                body: String = "", bodyTranslations: [String: String] = [:], impactOverride: Impact? = nil,
                componentIDs: [String] = [], components: [String: ComponentStatus] = [:],
                deliverNotifications: Bool = true, scheduledFor: Date? = nil, scheduledUntil: Date? = nil,
                scheduledAutoInProgress: Bool = false, scheduledAutoCompleted: Bool = false,
                autoTransitionToMaintenanceState: Bool = false, autoTransitionToOperationalState: Bool = false,
                scheduledRemindPrior: Bool = false, metadataJSON: String = "{}", nextUpdateAt: Date? = nil) {
        self.name = name
        self.nameTranslations = nameTranslations
        self.status = status
        self.body = body
        self.bodyTranslations = bodyTranslations
        self.impactOverride = impactOverride
        self.componentIDs = componentIDs
        self.components = components
        self.deliverNotifications = deliverNotifications
        self.scheduledFor = scheduledFor
        self.scheduledUntil = scheduledUntil
        self.scheduledAutoInProgress = scheduledAutoInProgress
        self.scheduledAutoCompleted = scheduledAutoCompleted
        self.autoTransitionToMaintenanceState = autoTransitionToMaintenanceState
        self.autoTransitionToOperationalState = autoTransitionToOperationalState
        self.scheduledRemindPrior = scheduledRemindPrior
        self.metadataJSON = metadataJSON
        self.nextUpdateAt = nextUpdateAt
    }
}
