import Foundation

/// A part of the service whose status the page shows, at the top level or in a group.
public struct Component: Sendable, Equatable {
    public var id: String
    public var groupID: String?
    public var name: String
    public var description: String?
    /// The name and description in the page's other language (`en`, `id`): the primary ones
    /// are in its default language.
    public var nameTranslations: [String: String] = [:]
    public var descriptionTranslations: [String: String] = [:]
    public var status: ComponentStatus = .operational
    /// 1-based, within its group, or among top-level rows when ungrouped.
    public var position: Int
    public var showcase: Bool = true
    public var onlyShowIfDegraded: Bool = false
    /// `YYYY-MM-DD`: the day uptime history starts.
    public var startDate: String?
    public var createdAt: Date
    public var updatedAt: Date
}

extension Component {
    /// The name in `language`: its translation, else the primary name.
    public func name(in language: String) -> String { nameTranslations[language] ?? name }

    /// The description in `language`: its translation, else the primary description.
    public func description(in language: String) -> String? { descriptionTranslations[language] ?? description }
}
