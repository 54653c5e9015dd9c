import Foundation

/// One row of the audit log: a successful write, who made it and what it touched.
public struct AuditEntry: Sendable, Equatable {
    /// Increasing with every entry; the log is ordered by it.
    public var id: Int64
    /// When the write happened (the `now` it was given).
    public var at: Date
    /// The actor's token name (`system` for changes made by time).
    public var tokenName: String
    /// `incident.create`, `incident.update`, `incident.delete`, `incident_update.update`,
    /// `component.create|update|delete`, `component_group.create|update|delete`,
    /// `page.update`, `token.create`, `token.revoke`.
    public var action: String
    /// `incident`, `incident_update`, `component`, `component_group`, `page` or `token`.
    public var targetType: String
    /// The target's id (a token's name for tokens).
    public var targetID: String
    /// The client's address as the server saw it; empty for automatic changes.
    public var clientAddress: String
    /// A JSON object with details, e.g. `{"fields":["name","status"],"status":"resolved"}`.
    public var detailJSON: String

    /// An entry as read back from the log.
    public init(id: Int64, at: Date, tokenName: String, action: String, targetType: String,
                targetID: String, clientAddress: String, detailJSON: String) {
        self.id = id
        self.at = at
        self.tokenName = tokenName
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.clientAddress = clientAddress
        self.detailJSON = detailJSON
    }
}
