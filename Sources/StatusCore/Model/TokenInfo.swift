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
    /// The scopes the token holds; nil for every scope, present and future (a token created
    /// without `--scope`, and every token made before scopes existed).
    public var scopes: Set<TokenScope>?
    /// When the token stops working; nil if it never does.
    public var expiresAt: Date?

    /// A token's record.
    public init(name: String, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil,
                scopes: Set<TokenScope>? = nil, expiresAt: Date? = nil) {
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
        self.scopes = scopes
        self.expiresAt = expiresAt
    }

    /// A revoked token authenticates nothing.
    public var isRevoked: Bool { revokedAt != nil }

    /// An expired token authenticates nothing from its expiry on (the instant itself included).
    public func hasExpired(at now: Date) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }

    /// Whether the token may act within `scope`.
    public func holds(_ scope: TokenScope) -> Bool {
        scopes?.contains(scope) ?? true
    }
}
