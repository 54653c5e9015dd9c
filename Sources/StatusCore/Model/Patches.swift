import Foundation

// The inputs of the store's update calls. Every field is optional: nil (or `.unchanged`)
// leaves the stored value as it is. Nullable fields use `Patch` so that "absent" and "set to
// null" stay apart.

/// Changes to the page's settings (`PATCH /pages/{page_id}`, body `page`).
public struct PagePatch: Sendable, Equatable {
    /// 1 to 255 characters.
    public var name: String?
    /// The public URL, `http(s)://host[/path]`, or empty; a trailing slash is dropped.
    public var url: String?
    /// An IANA time zone that `TimeZone(identifier:)` knows.
    public var timeZone: String?
    /// `id` or `en`.
    public var defaultLanguage: String?
    /// An `http(s)` URL or a path starting with `/`.
    public var logoURL: Patch<String>
    /// `#rrggbb`.
    public var accentColor: Patch<String>
    /// Replaces the list; at most 10 links.
    public var headerLinks: [Page.HeaderLink]?
    /// An `http(s)` URL or a path starting with `/`.
    public var stylesheetURL: Patch<String>
    public var checksPublic: Bool?
    /// Minutes, 0 to 10,080 (a week); 0 turns the page's own promise off.
    public var maxSilence: Int?
    /// Minutes, 0 to 10,080.
    public var statementGrace: Int?

    /// A patch changing only the fields given.
    public init(name: String? = nil, url: String? = nil, timeZone: String? = nil, defaultLanguage: String? = nil,
                logoURL: Patch<String> = .unchanged, accentColor: Patch<String> = .unchanged,
                headerLinks: [Page.HeaderLink]? = nil, stylesheetURL: Patch<String> = .unchanged,
                checksPublic: Bool? = nil, maxSilence: Int? = nil, statementGrace: Int? = nil) {
        self.checksPublic = checksPublic
        self.maxSilence = maxSilence
        self.statementGrace = statementGrace
        self.name = name
        self.url = url
        self.timeZone = timeZone
        self.defaultLanguage = defaultLanguage
        self.logoURL = logoURL
        self.accentColor = accentColor
        self.headerLinks = headerLinks
        self.stylesheetURL = stylesheetURL
    }
}

/// Changes to a component (`PATCH .../components/{id}`, body `component`).
public struct ComponentPatch: Sendable, Equatable {
    /// 1 to 255 characters, not blank.
    public var name: String?
    /// `.clear` removes it.
    public var description: Patch<String>
    /// Replace the translations of the name, or of the description, when given.
    public var nameTranslations: [String: String]?
    public var descriptionTranslations: [String: String]?
    /// A change is recorded in the status history.
    public var status: ComponentStatus?
    /// Moves the component to the end of another group (`.set`) or of the top level (`.clear`).
    public var groupID: Patch<String>
    /// Whether the public page lists it.
    public var showcase: Bool?
    /// Whether the public page lists it only while it is not operational.
    public var onlyShowIfDegraded: Bool?
    /// `YYYY-MM-DD`.
    public var startDate: Patch<String>

    /// A patch changing only the fields given.
    public init(name: String? = nil, description: Patch<String> = .unchanged, status: ComponentStatus? = nil,
                groupID: Patch<String> = .unchanged, showcase: Bool? = nil, onlyShowIfDegraded: Bool? = nil,
                startDate: Patch<String> = .unchanged) {
        self.name = name
        self.description = description
        self.status = status
        self.groupID = groupID
        self.showcase = showcase
        self.onlyShowIfDegraded = onlyShowIfDegraded
        self.startDate = startDate
    }
}

/// Changes to a component group (`PATCH .../component-groups/{id}`).
public struct ComponentGroupPatch: Sendable, Equatable {
    /// 1 to 255 characters, not blank.
    public var name: String?
    /// `.clear` removes it.
    public var description: Patch<String>
    /// Replace the translations of the name, or of the description, when given.
    public var nameTranslations: [String: String]?
    public var descriptionTranslations: [String: String]?
    /// Replaces the members, in this order. Members left out move to the end of the top level;
    /// listed components leave their previous parent.
    public var componentIDs: [String]?

    /// A patch changing only the fields given.
    public init(name: String? = nil, description: Patch<String> = .unchanged, componentIDs: [String]? = nil) {
        self.name = name
        self.description = description
        self.componentIDs = componentIDs
    }
}

/// Changes to an incident or maintenance (`PATCH .../incidents/{id}`, body `incident`).
///
/// A new incident update is appended when `status` changes or `body` is given (even empty);
/// it carries `body`, `bodyTranslations`, `deliverNotifications`, `nextUpdateAt` and the
/// component changes of this patch.
public struct IncidentPatch: Sendable, Equatable {
    /// 1 to 255 characters, not blank.
    public var name: String?
    /// Replaces the translations of the name.
    public var nameTranslations: [String: String]?
    /// An incident takes incident statuses, a maintenance maintenance statuses; `postmortem`
    /// only once resolved.
    public var status: IncidentStatus?
    /// The new update's text (at most 25,000 characters); giving it, even empty, appends an
    /// update.
    public var body: String?
    /// The new update's text in the page's other language.
    public var bodyTranslations: [String: String]?
    /// `.set` replaces the derived impact, `.clear` returns to it.
    public var impactOverride: Patch<Impact>
    /// Replaces the affected components (the keys of `components` are added to them).
    public var componentIDs: [String]?
    /// Sets these components' statuses; they become affected.
    public var components: [String: ComponentStatus]
    /// For the new update; true when nil.
    public var deliverNotifications: Bool?
    /// Maintenances only.
    public var scheduledFor: Date?
    /// Maintenances only.
    public var scheduledUntil: Date?
    /// See `IncidentDraft.scheduledAutoInProgress`.
    public var scheduledAutoInProgress: Bool?
    /// See `IncidentDraft.scheduledAutoCompleted`.
    public var scheduledAutoCompleted: Bool?
    /// See `IncidentDraft.autoTransitionToMaintenanceState`.
    public var autoTransitionToMaintenanceState: Bool?
    /// See `IncidentDraft.autoTransitionToOperationalState`.
    public var autoTransitionToOperationalState: Bool?
    /// See `IncidentDraft.scheduledRemindPrior`.
    public var scheduledRemindPrior: Bool?
    /// A JSON object; replaces the stored one.
    public var metadataJSON: String?
    /// The new update's promise. It needs a new update (a status change or a body): a promise
    /// belongs to the update that makes it.
    public var nextUpdateAt: Date?
    /// The postmortem's text (at most 25,000 characters); `.clear` removes it. Moving the
    /// status to postmortem is a separate field.
    public var postmortemBody: Patch<String>

    /// A patch changing only the fields given.
    public init(name: String? = nil, nameTranslations: [String: String]? = nil, status: IncidentStatus? = nil,
                body: String? = nil, bodyTranslations: [String: String]? = nil,
                impactOverride: Patch<Impact> = .unchanged, componentIDs: [String]? = nil,
                components: [String: ComponentStatus] = [:], deliverNotifications: Bool? = nil,
                scheduledFor: Date? = nil, scheduledUntil: Date? = nil, scheduledAutoInProgress: Bool? = nil,
                scheduledAutoCompleted: Bool? = nil, autoTransitionToMaintenanceState: Bool? = nil,
                autoTransitionToOperationalState: Bool? = nil, scheduledRemindPrior: Bool? = nil,
                metadataJSON: String? = nil, nextUpdateAt: Date? = nil, postmortemBody: Patch<String> = .unchanged) {
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
        self.postmortemBody = postmortemBody
    }
}

/// Edits to a posted update (`PATCH .../incidents/{id}/incident_updates/{update_id}`). Its
/// status and component changes are history and stay as they are.
public struct IncidentUpdatePatch: Sendable, Equatable {
    /// At most 25,000 characters.
    public var body: String?
    /// When the update is shown as posted (v1 `display_at`), e.g. to backdate it.
    public var displayAt: Date?
    /// Whether the update notifies subscribers.
    public var deliverNotifications: Bool?
    /// Replaces the translations of the body.
    public var bodyTranslations: [String: String]?

    /// A patch changing only the fields given.
    public init(body: String? = nil, displayAt: Date? = nil, deliverNotifications: Bool? = nil,
                bodyTranslations: [String: String]? = nil) {
        self.body = body
        self.displayAt = displayAt
        self.deliverNotifications = deliverNotifications
        self.bodyTranslations = bodyTranslations
    }
}
