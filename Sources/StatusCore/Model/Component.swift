import Foundation

/// A part of the service whose status the page shows, at the top level or in a group.
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
