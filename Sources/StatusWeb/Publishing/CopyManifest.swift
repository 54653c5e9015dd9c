import Crypto
import Foundation
import HTTPServer
import StatusCore

/// `manifest.json` of a static copy: every file's path, size and SHA-256, and the time of
/// the snapshot the copy was made from. Signed with the database's `SigningKey`
/// (`manifest.json.sig`), it lets anyone holding the public key tell a genuine copy from a
/// forged or damaged one (`CopyVerifier`, `warta verify`).
///
/// ```json
/// {"generated_at":"2026-12-05T08:04:00.000Z","files":[{"path":"404.html","size":2817,"sha256":"9f86d0…"},…]}
/// ```
///
/// Files are sorted by path; the manifest and its signature are not listed.
public struct CopyManifest: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// Relative, `/`-separated, no leading slash.
        public let path: String
        public let size: Int
        /// Lowercase hexadecimal.
        public let sha256: String

        public init(path: String, size: Int, sha256: String) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    /// The snapshot's time, as written (`Timestamp.format`, UTC).
    public let generatedAt: String
    /// Sorted by path.
    public let files: [File]

    /// The manifest's own name in the copy.
    public static let fileName = "manifest.json"
    /// Its signature: the base64 (RFC 4648 §4) of the Ed25519 signature over the manifest's
    /// exact bytes, and a newline.
    public static let signatureFileName = "manifest.json.sig"
    /// Where a copy carries the public key, as the server serves it.
    public static let publicKeyPath = ".well-known/warta-signing-key"

    /// The manifest of `files` (path to content), made at `generatedAt`.
    public init(generatedAt: Date, files: [String: [UInt8]]) {
        self.generatedAt = Timestamp.format(generatedAt)
        self.files = files.keys.sorted().map { path in
            File(path: path, size: files[path]!.count, sha256: Self.sha256Hex(files[path]!))
        }
    }

    /// The manifest `bytes` hold.
    /// - Throws: `CopyManifestError` when they are not a manifest as `bytes` writes it.
    public init(parsing bytes: [UInt8]) throws(CopyManifestError) {
        let document: BodyValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw CopyManifestError(error.message)
        }
        guard case .string(let generatedAt)? = document["generated_at"], Timestamp.parse(generatedAt) != nil else {
            throw CopyManifestError("generated_at is not a timestamp")
        }
        guard case .array(let entries)? = document["files"] else { throw CopyManifestError("files is not a list") }
        var files: [File] = []
        for entry in entries {
            guard case .string(let path)? = entry["path"], Self.isRelativePath(path),
                  case .number(let sizeText)? = entry["size"], let size = Int(sizeText), size >= 0,
                  case .string(let sha256)? = entry["sha256"], sha256.count == 64,
                  sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw CopyManifestError("file \(files.count + 1) is not a path, size and sha256")
            }
            if let previous = files.last, previous.path >= path {
                throw CopyManifestError("\(path) is out of order or listed twice")
            }
            files.append(File(path: path, size: size, sha256: sha256))
        }
        self.generatedAt = generatedAt
        self.files = files
    }

    /// The JSON text, one line and a newline.
    public var bytes: [UInt8] {
        var writer = JSONWriter(capacity: 128 + files.count * 128)
        writer.beginObject()
        writer.field("generated_at", generatedAt)
        writer.key("files")
        writer.beginArray()
        for file in files {
            writer.beginObject()
            writer.field("path", file.path)
            writer.field("size", file.size)
            writer.field("sha256", file.sha256)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes + [UInt8(ascii: "\n")]
    }

    /// The contents of `manifest.json.sig` for these manifest bytes.
    public static func signature(of manifest: [UInt8], with key: SigningKey) throws -> [UInt8] {
        Array((Data(try key.signature(for: manifest)).base64EncodedString() + "\n").utf8)
    }

    /// The contents of `.well-known/warta-signing-key`, as `/.well-known/warta-signing-key`
    /// serves them: the key's base64 on one line.
    public static func publicKeyFile(_ key: PublicSigningKey) -> [UInt8] {
        Array((key.base64 + "\n").utf8)
    }

    /// Whether `path` is a file the manifest does not list: itself, its signature, and the
    /// temporary files an atomic write leaves for an instant (`.NAME.UUID.tmp`).
    public static func isUnlisted(_ path: String) -> Bool {
        if path == fileName || path == signatureFileName { return true }
        let name = path.split(separator: "/").last ?? ""
        return name.hasPrefix(".") && name.hasSuffix(".tmp")
    }

    /// A path inside the copy: relative, no empty, `.` or `..` segment.
    static func isRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/")
            && path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// A `manifest.json` that is not one.
public struct CopyManifestError: Error, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
