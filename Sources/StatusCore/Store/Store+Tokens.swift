import Crypto
import Foundation
import SQLite

// API tokens. Only the SHA-256 of a token is stored: a copy of the database (a backup, a
// leaked file) grants nothing. A plain hash suffices, unlike for passwords, because a token is
// 256 random bits: there is no dictionary to try.
//
// Every call reads the database, with no cache: the CLI (`warta token create|revoke`) writes
// the same file from another process, and its change must hold on the server's next request.

extension Store {
    /// The prefix of every token: it lets secret scanners and people recognise one.
    public static let tokenPrefix = "warta_"

    /// How often `authenticate` records `lastUsedAt` at most: once a minute spares a write
    /// (and an fsync) per request during an incident, when staff post often.
    public static let lastUsedResolution: TimeInterval = 60

    /// Creates a token and returns it: `warta_` and 43 characters of unpadded base64url
    /// (RFC 4648 §5) of 32 random bytes. The token is shown to the caller once and never
    /// stored; only its SHA-256 is.
    ///
    /// - Parameters:
    ///   - scopes: What the token may do; nil for every scope, present and future.
    ///   - expiresAt: When it stops working; nil for never.
    /// - Throws: `ValidationError`: `.token(.name)` empty, longer than 100 characters, or
    ///   taken by another token, revoked ones included (the name identifies the actor in the
    ///   audit log, so it is never reused); `.token(.scopes)` an empty set;
    ///   `.token(.expiresAt)` not after `now`.
    public func createToken(name: String, scopes: Set<TokenScope>? = nil, expiresAt: Date? = nil,
                            by actor: Actor, now: Date) throws -> String {
        try write { database in
            if let scopes, scopes.isEmpty {
                throw ValidationError.invalid(.token(.scopes), "A token needs at least one scope; leave them out for all.")
            }
            if let expiresAt, expiresAt <= now {
                throw ValidationError.invalid(.token(.expiresAt), "A token's expiry must be in the future.")
            }
            guard !name.allSatisfy(\.isWhitespace), name.unicodeScalars.count <= Rules.maximumTokenNameLength,
                  !name.contains(where: { $0.isNewline || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } })
            else {
                throw ValidationError.invalid(
                    .token(.name),
                    "A token name must be 1 to \(Rules.maximumTokenNameLength) characters, without control characters.")
            }
            guard try database.queryOne("SELECT 1 FROM api_tokens WHERE name = ?", [name]) == nil else {
                throw ValidationError.invalid(
                    .token(.name), "A token named '\(name)' already exists (names are never reused); choose another name.")
            }
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let token = Self.tokenPrefix + Self.base64URL(secret)
            try database.execute(
                "INSERT INTO api_tokens (name, token_sha256, created_at, scopes, expires_at) VALUES (?, ?, ?, ?, ?)",
                [name, Self.sha256Hex(token), Timestamp.format(now), scopes.map(Self.storedScopes),
                 expiresAt.map(Timestamp.format)])
            try Self.audit(database, by: actor, action: "token.create", targetType: "token", targetID: name,
                           detail: AuditDetail(name: name), now: now)
            return token
        }
    }

    /// Every token, oldest first.
    public func tokens() throws -> [TokenInfo] {
        try withReader { database in
            try RowReader.readers(database.query("SELECT * FROM api_tokens ORDER BY id")).map(Self.tokenInfo(from:))
        }
    }

    /// Revokes a token: it authenticates nothing from then on. Revoking a revoked token
    /// changes nothing (its first revocation time stays).
    /// - Throws: `ValidationError.notFound` (`.token(.identity)`).
    public func revokeToken(name: String, by actor: Actor, now: Date) throws {
        try write { database in
            guard let row = try database.queryOne("SELECT revoked_at FROM api_tokens WHERE name = ?", [name])
                .map(RowReader.init) else {
                throw ValidationError.notFound(.token(.identity), "There is no token named '\(name)'.")
            }
            guard try row.optionalString("revoked_at") == nil else { return }
            try database.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE name = ?", [Timestamp.format(now), name])
            try Self.audit(database, by: actor, action: "token.revoke", targetType: "token", targetID: name,
                           detail: AuditDetail(name: name), now: now)
        }
    }

    /// What a presented token is worth at `now`.
    public enum TokenVerdict: Sendable, Equatable {
        /// A known, unrevoked, unexpired token: its record.
        case valid(TokenInfo)
        /// A genuine token past its expiry: its record, so the refusal can say so.
        case expired(TokenInfo)
        /// Not a token, an unknown one or a revoked one; which of these is not told.
        case refused
    }

    /// The token's record if `token` is valid (known, unrevoked, unexpired); nil otherwise.
    /// `verifyToken(_:now:)` tells an expired token apart.
    public func authenticate(_ token: String, now: Date) throws -> TokenInfo? {
        if case .valid(let info) = try verifyToken(token, now: now) { return info }
        return nil
    }

    /// What `token` is worth at `now`.
    ///
    /// The presented token is hashed and looked up by its hash; the stored hash is then
    /// compared with the computed one in constant time, so how long the check takes does not
    /// depend on how many leading characters match. Timing of the indexed lookup can at most
    /// reveal something about a hash, whose preimage is 256 random bits.
    ///
    /// `lastUsedAt` is written, for valid tokens only, when it is unset or at least a minute
    /// old, not on every request; it is a plain autocommit UPDATE, not audited (it is bookkeeping, not a change
    /// anyone asked for). The lookup runs on a reader, so a request whose token was used
    /// within the minute (every GET of a busy script) does not wait for the writer.
    public func verifyToken(_ token: String, now: Date) throws -> TokenVerdict {
        // The shape is public knowledge; refusing other input early leaks nothing.
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count == Self.tokenPrefix.utf8.count + 43 else {
            return .refused
        }
        let presented = Self.sha256Hex(token)
        let found = try withReader { database -> (id: Int64, lastUsedAt: String?, info: TokenInfo)? in
            guard let row = try database.queryOne("SELECT * FROM api_tokens WHERE token_sha256 = ?", [presented])
                    .map(RowReader.init),
                  Self.constantTimeEqual(try row.string("token_sha256"), presented)
            else { return nil }
            return (try row.int64("id"), try row.optionalString("last_used_at"), try Self.tokenInfo(from: row))
        }
        guard let found, !found.info.isRevoked else { return .refused }
        guard !found.info.hasExpired(at: now) else { return .expired(found.info) }
        var info = found.info
        let threshold = Timestamp.format(now.addingTimeInterval(-Self.lastUsedResolution))
        // The same test as the UPDATE's, on the same text, so the writer is asked only when
        // the UPDATE would change the row.
        guard found.lastUsedAt.map({ $0 <= threshold }) ?? true else { return .valid(info) }
        // Bookkeeping only: a busy or read-only database must not turn a valid token away.
        let noted = (try? withDatabase { database in
            try database.execute("""
                UPDATE api_tokens SET last_used_at = ?
                WHERE id = ? AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at <= ?)
                """, [Timestamp.format(now), found.id, threshold])
            return database.changes > 0
        }) ?? false
        if noted {
            info.lastUsedAt = Timestamp.parse(Timestamp.format(now))
        }
        return .valid(info)
    }

    // MARK: Pieces

    private static func tokenInfo(from row: RowReader) throws -> TokenInfo {
        TokenInfo(name: try row.string("name"), createdAt: try row.date("created_at"),
                  lastUsedAt: try row.optionalDate("last_used_at"), revokedAt: try row.optionalDate("revoked_at"),
                  scopes: try row.optionalString("scopes").map(scopes(stored:)),
                  expiresAt: try row.optionalDate("expires_at"))
    }

    /// `scopes` as stored: names in declaration order, separated by single spaces.
    static func storedScopes(_ scopes: Set<TokenScope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: " ")
    }

    /// The stored list read back; a name this binary does not know is dropped, so a token
    /// never gains a scope by a misread.
    static func scopes(stored text: String) -> Set<TokenScope> {
        Set(text.split(separator: " ").compactMap { TokenScope(rawValue: String($0)) })
    }

    /// Lowercase hex of the SHA-256 of the token's UTF-8 bytes.
    static func sha256Hex(_ token: String) -> String {
        let digest = SHA256.hash(data: Data(token.utf8))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Compares every byte whatever the differences, accumulating them, with no early exit.
    static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let leftBytes = Array(left.utf8)
        let rightBytes = Array(right.utf8)
        guard leftBytes.count == rightBytes.count else { return false }
        var difference: UInt8 = 0
        for index in leftBytes.indices {
            difference |= leftBytes[index] ^ rightBytes[index]
        }
        return difference == 0
    }

    /// Unpadded base64url (RFC 4648 §5): URL- and header-safe, and one token stays one word
    /// when double-clicked.
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
