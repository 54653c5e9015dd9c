import Foundation

/// A named group of components. Its status is the worst of its children's.
public struct ComponentGroup: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    /// The name and description in the page's other language, as a component's.
    public var nameTranslations: [String: String] = [:]
    public var descriptionTranslations: [String: String] = [:]
    /// 1-based, among top-level rows (groups and ungrouped components).
    public var position: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// The members' ids, in their order within the group (v1 and v2 `components`).
    public var componentIDs: [String] = []
}

extension ComponentGroup {
    /// The name in `language`: its translation, else the primary name.
    public func name(in language: String) -> String { nameTranslations[language] ?? name }

    /// The description in `language`: its translation, else the primary description.
    public func description(in language: String) -> String? { descriptionTranslations[language] ?? description }
}
