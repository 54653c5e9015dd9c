import Foundation

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
