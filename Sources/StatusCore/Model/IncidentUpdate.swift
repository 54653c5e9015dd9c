import Foundation

/// One entry of an incident's timeline: a status and what staff said, in every language.
public struct IncidentUpdate: Sendable, Equatable {
    public var id: String
    public var incidentID: String
    public var status: IncidentStatus
    /// Plain text in the page's default language.
    public var body: String
    /// The body in other languages, by language code.
    public var bodyTranslations: [String: String] = [:]
    public var displayAt: Date
    public var deliverNotifications: Bool = true
    /// When this update promised the next one.
    public var nextUpdateAt: Date?
    public var affectedComponents: [AffectedComponent] = []
    public var createdAt: Date
    public var updatedAt: Date
}

/// A component's status before and after an update changed it.
public struct AffectedComponent: Sendable, Equatable {
    public var componentID: String
    /// The component's name when the update was posted (`Group - Component` when grouped).
    public var name: String
    public var oldStatus: ComponentStatus
    public var newStatus: ComponentStatus
}
