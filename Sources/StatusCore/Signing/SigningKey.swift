import Crypto
import Foundation

/// The Ed25519 key (RFC 8032) that signs static copies of the site. One per database
/// (`signing_keys`, migration 0007); made by `warta key create`.
///
/// Held as raw bytes (swift-crypto's key types are not `Sendable`); the Crypto key is made
/// from them for each use.
public struct SigningKey: Sendable {
    /// The 32-byte seed, as stored.
    public let rawPrivateKey: [UInt8]
    /// The public half, which checks what this key signs.
    public let publicKey: PublicSigningKey
    /// When the key was made.
    public let createdAt: Date

    /// A new random key.
    public static func generate(now: Date) -> SigningKey {
        SigningKey(privateKey: Curve25519.Signing.PrivateKey(), createdAt: now)
    }

    /// The key whose 32-byte seed is `rawPrivateKey`.
    public init(rawPrivateKey: [UInt8], createdAt: Date) throws {
        self.init(privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: rawPrivateKey), createdAt: createdAt)
    }

    private init(privateKey: Curve25519.Signing.PrivateKey, createdAt: Date) {
        rawPrivateKey = [UInt8](privateKey.rawRepresentation)
        publicKey = PublicSigningKey(validated: [UInt8](privateKey.publicKey.rawRepresentation))
        self.createdAt = createdAt
    }

    /// The Ed25519 signature of `message` (64 bytes).
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        [UInt8](try Curve25519.Signing.PrivateKey(rawRepresentation: rawPrivateKey).signature(for: message))
    }
}

/// The public half of a `SigningKey`: what readers of a copy check its signature with. Its
/// text form, as served at `/.well-known/warta-signing-key` and passed to `warta verify
/// --key`, is the standard base64 (RFC 4648 §4) of its 32 raw bytes.
public struct PublicSigningKey: Sendable, Equatable {
    /// The 32 raw bytes.
    public let rawRepresentation: [UInt8]

    fileprivate init(validated rawRepresentation: [UInt8]) {
        self.rawRepresentation = rawRepresentation
    }

    /// The key from its 32 raw bytes; nil for anything else.
    public init?(rawRepresentation: [UInt8]) {
        guard rawRepresentation.count == 32,
              (try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)) != nil else { return nil }
        self.rawRepresentation = rawRepresentation
    }

    /// The key from its base64 text (surrounding white space ignored); nil for anything else.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        self.init(rawRepresentation: [UInt8](data))
    }

    /// The one line that names the key: base64 of the raw bytes, 44 characters.
    public var base64: String { Data(rawRepresentation).base64EncodedString() }

    /// Whether `signature` is this key's Ed25519 signature of exactly `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}

/// Why a signing key could not be made or read.
public enum SigningKeyError: Error, Equatable, CustomStringConvertible {
    /// The database has a key already; replacing it must be asked for, since copies signed
    /// with the old key stop verifying against the new one.
    case exists(createdAt: Date)
    /// The stored key is not an Ed25519 key (the file was edited by hand).
    case unreadable

    public var description: String {
        switch self {
        case .exists(let createdAt):
            return "the database already has a signing key (created \(Timestamp.format(createdAt)))"
        case .unreadable:
            return "the stored signing key is not an Ed25519 key"
        }
    }
}
