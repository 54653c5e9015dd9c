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
    public var componentIDs: [String] = []
}
