import Foundation
import SQLite

// The signing key of static copies (`signing_keys`, migration 0007). Read on every export
// and mirror write, with no cache: `warta key create` writes the same file from another
// process, and the server's next copy must be signed with the key it made.

extension Store {
    /// The database's signing key; nil when none was made.
    public func signingKey() throws -> SigningKey? {
        try withDatabase { database in try Self.signingKey(database) }
    }

    /// The public half of the signing key and when it was made; nil when none was made.
    /// Reads only the public column: serving the key never loads the private one.
    public func publicSigningKey() throws -> (key: PublicSigningKey, createdAt: Date)? {
        try withReader { database in
            guard let row = try database.queryOne("SELECT public_key, created_at FROM signing_keys WHERE id = 1") else {
                return nil
            }
            guard let key = PublicSigningKey(rawRepresentation: try row.blob("public_key")) else {
                throw SigningKeyError.unreadable
            }
            return (key, try RowReader(row).date("created_at"))
        }
    }

    /// Makes a new signing key and stores it, with an audit row.
    ///
    /// - Parameter replacing: whether an existing key may be replaced. Copies signed with
    ///   the old key no longer verify against the new one, so it must be asked for.
    /// - Throws: `SigningKeyError.exists` when there is a key and `replacing` is false.
    public func createSigningKey(replacing: Bool, by actor: Actor, now: Date) throws -> SigningKey {
        try write { database in
            let existing = try Self.signingKey(database)
            if let existing, !replacing { throw SigningKeyError.exists(createdAt: existing.createdAt) }
            let key = SigningKey.generate(now: now)
            try database.execute("""
                INSERT OR REPLACE INTO signing_keys (id, private_key, public_key, created_at) VALUES (1, ?, ?, ?)
                """, [key.rawPrivateKey, key.publicKey.rawRepresentation, Timestamp.format(now)])
            try Self.audit(database, by: actor, action: existing == nil ? "signing_key.create" : "signing_key.replace",
                           targetType: "signing_key", targetID: key.publicKey.base64, detail: AuditDetail(), now: now)
            return key
        }
    }

    static func signingKey(_ database: Database) throws -> SigningKey? {
        guard let row = try database.queryOne("SELECT private_key, created_at FROM signing_keys WHERE id = 1") else {
            return nil
        }
        let raw = try row.blob("private_key")
        let createdAt = try RowReader(row).date("created_at")
        guard let key = try? SigningKey(rawPrivateKey: raw, createdAt: createdAt) else { throw SigningKeyError.unreadable }
        return key
    }
}
