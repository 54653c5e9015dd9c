import Foundation
import StatusCore

/// Checks a static copy of the site (`warta export`, `serve --mirror`, or wherever rclone or
/// rsync carried one) against its signed `manifest.json`: first the signature, with a public
/// key the reader trusts, then every file, so a copy that verifies holds exactly the bytes
/// the server signed, no more and no fewer.
public struct CopyVerifier: Sendable {
    /// The first thing wrong with a copy.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The manifest or its signature was not made with the key (edited, forged, or
        /// signed with another key).
        case badSignature
        /// A listed file whose bytes differ.
        case changed(String)
        /// A listed file that is not there (also the manifest or its signature).
        case missing(String)
        /// A file on disk that the manifest does not list.
        case extra(String)
        /// A correctly signed manifest this verifier cannot read (from a newer version).
        case unreadableManifest(String)
        /// The folder or a file in it cannot be read.
        case unreadable(String)

        public var description: String {
            switch self {
            case .badSignature: return "bad signature"
            case .changed(let path): return "changed: \(path)"
            case .missing(let path): return "missing: \(path)"
            case .extra(let path): return "extra: \(path)"
            case .unreadableManifest(let reason): return "unreadable manifest: \(reason)"
            case .unreadable(let reason): return "cannot read: \(reason)"
            }
        }
    }

    /// The key the signature must be made with.
    public let key: PublicSigningKey

    public init(key: PublicSigningKey) {
        self.key = key
    }

    /// The copy under `directory`'s manifest, when the signature and every file check out.
    ///
    /// Files are compared in path order, listed and on-disk merged, and the first problem is
    /// the one reported, so the same damage always names the same file.
    public func verify(directory: String) -> Result<CopyManifest, Problem> {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let manifestBytes: [UInt8]
        let signatureText: [UInt8]
        switch (Self.read(root, CopyManifest.fileName), Self.read(root, CopyManifest.signatureFileName)) {
        case (.failure(let problem), _), (_, .failure(let problem)):
            return .failure(problem)
        case (.success(let manifest), .success(let signature)):
            (manifestBytes, signatureText) = (manifest, signature)
        }
        let text = String(decoding: signatureText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let signature = Data(base64Encoded: text),
              key.isValidSignature([UInt8](signature), for: manifestBytes) else {
            return .failure(.badSignature)
        }
        let manifest: CopyManifest
        do {
            manifest = try CopyManifest(parsing: manifestBytes)
        } catch {
            return .failure(.unreadableManifest(error.message))
        }
        let onDisk: [String]
        do {
            onDisk = try Self.files(under: root).filter { !CopyManifest.isUnlisted($0) }.sorted()
        } catch {
            return .failure(.unreadable("\(error)"))
        }
        var disk = onDisk[...]
        for listed in manifest.files {
            if let next = disk.first, next < listed.path { return .failure(.extra(next)) }
            guard disk.first == listed.path else { return .failure(.missing(listed.path)) }
            disk.removeFirst()
            guard case .success(let bytes) = Self.read(root, listed.path) else { return .failure(.missing(listed.path)) }
            if bytes.count != listed.size || CopyManifest.sha256Hex(bytes) != listed.sha256 {
                return .failure(.changed(listed.path))
            }
        }
        if let next = disk.first { return .failure(.extra(next)) }
        return .success(manifest)
    }

    private static func read(_ root: URL, _ path: String) -> Result<[UInt8], Problem> {
        let url = root.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { return .failure(.missing(path)) }
        do {
            return .success([UInt8](try Data(contentsOf: url)))
        } catch {
            return .failure(.unreadable("\(path): \(error.localizedDescription)"))
        }
    }

    /// Every file under `root` that is not a folder, relative, `/`-separated. Hidden files
    /// count: `.well-known/` is part of the copy, and anything else hidden there is extra.
    static func files(under root: URL) throws -> [String] {
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CopyManifestError("\(root.path) is not a folder")
        }
        guard let enumerator = FileManager.default.enumerator(
            at: URL(fileURLWithPath: base, isDirectory: true), includingPropertiesForKeys: [.isDirectoryKey]) else {
            throw CopyManifestError("\(root.path) cannot be listed")
        }
        var paths: [String] = []
        for case let url as URL in enumerator {
            guard try url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory != true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base + "/") else { continue }
            paths.append(String(path.dropFirst(base.count + 1)))
        }
        return paths
    }
}
