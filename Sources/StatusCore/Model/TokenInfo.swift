import Foundation

/// What is known about an API token, never the token itself (only its SHA-256 is stored).
public struct TokenInfo: Sendable, Equatable {
    /// The unique name given at creation, recorded in the audit log as the actor.
    public var name: String
    /// When the token was created.
    public var createdAt: Date
    /// When the token last authenticated a request, to the minute: it is written at most
    /// once a minute.
    public var lastUsedAt: Date?
    /// When the token was revoked; nil while it is valid.
    public var revokedAt: Date?

    /// A token's record.
    public init(name: String, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil) {
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// A revoked token authenticates nothing.
    public var isRevoked: Bool { revokedAt != nil }
}
