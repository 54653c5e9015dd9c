import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPServer
import StatusCore

/// The public site as static files: the very bytes `StatusRoutes` serves, at paths any web server,
/// object store or CDN can serve with no Warta running (`warta export`, `serve --mirror`).
///
/// - `index.html`, `history/index.html` (the first page), `incidents/<id>/index.html` for
///   every incident the snapshot holds, `404.html`, the banner `embed/index.html` and
///   `status.txt`: in the page's language, and in every language under `lang/<tag>/` (a
///   server picks them by `?lang=`, see the README);
/// - `api/v2/*.json`, `history.rss`, `history.atom`, `badge.svg`,
///   `components/<id>/badge.svg`, `theme.css`, and every file of `Public/`;
/// - beside each file that compresses, a `.gz` sibling holding the bytes served to
///   `Accept-Encoding: gzip` (nginx's `gzip_static on`) and, where Brotli is smaller, a `.br`
///   sibling holding the bytes served to `Accept-Encoding: br` (`brotli_static on`, a module);
/// - when the database has a signing key (`warta key create`): the public key at
///   `.well-known/warta-signing-key`, and `manifest.json` with `manifest.json.sig`
///   (`CopyManifest`), which `warta verify` checks.
///
/// Every page says it is a copy as of the snapshot's time, so a stale copy never looks live.
public struct StaticExport: Sendable {
    /// Path (relative, no leading slash) to content.
    public let files: [String: [UInt8]]
    /// The signed manifest; nil when the database has no signing key.
    public let manifest: CopyManifest?

    /// The site of `snapshot`. History pages and feeds are built as `StatusRoutes` builds them;
    /// feed links start with `baseURL`. Signed with the store's key, read now, so a key made
    /// while a server runs signs its next mirror write.
    public init(snapshot: Snapshot, assets: Assets, store: Store, baseURL: String) throws {
        var files: [String: [UInt8]] = [:]
        func add(_ path: String, _ representation: Representation) {
            // A snapshot published by a write may not have its Brotli forms yet.
            let representation = representation.withBrotli()
            files[path] = representation.identity.body
            if let gzip = representation.gzip { files[path + ".gz"] = gzip.body }
            if let brotli = representation.brotli { files[path + ".br"] = brotli.body }
        }
        for path in assets.paths {
            guard let asset = assets[path] else { continue }
            add(String(path.dropFirst()), asset.representation)
        }
        for path in snapshot.paths {
            guard let entry = snapshot.entry(for: path) else { continue }
            add(String(path.dropFirst()), entry.representation)
        }
        let html = snapshot.html.staticCopy()
        add("theme.css", html.theme.representation)
        add("history.rss", html.feed(.rss, baseURL: baseURL).representation)
        add("history.atom", html.feed(.atom, baseURL: baseURL).representation)
        for language in Language.allCases {
            let prefixes = language == html.defaultLanguage ? ["", "lang/\(language.tag)/"] : ["lang/\(language.tag)/"]
            let overview = html.overview(language).representation
            let history = try html.history(page: 1, store: store, language).representation
            let statusText = html.statusText(language).representation
            let embed = html.embed(language).representation
            let notFound = Representation(body: html.notFound(language).body, headers: [:],
                                          lastModified: html.lastModified, compress: true)
            var badges: [(String, Representation)] = []
            if let badge = html.badge(componentID: nil, language) { badges.append(("badge.svg", badge.representation)) }
            for component in html.pages.state.components {
                if let badge = html.badge(componentID: component.id, language) {
                    badges.append(("components/\(component.id)/badge.svg", badge.representation))
                }
            }
            for prefix in prefixes {
                add(prefix + "index.html", overview)
                add(prefix + "history/index.html", history)
                add(prefix + "404.html", notFound)
                add(prefix + "status.txt", statusText)
                add(prefix + "embed/index.html", embed)
                for incident in html.pages.state.incidents {
                    add(prefix + "incidents/\(incident.id)/index.html", html.incidentPage(incident, language).representation)
                }
                for (path, badge) in badges { add(prefix + path, badge) }
            }
        }
        if let key = try store.signingKey() {
            files[CopyManifest.publicKeyPath] = CopyManifest.publicKeyFile(key.publicKey)
            let manifest = CopyManifest(generatedAt: snapshot.builtAt, files: files)
            let manifestBytes = manifest.bytes
            files[CopyManifest.fileName] = manifestBytes
            files[CopyManifest.signatureFileName] = try CopyManifest.signature(of: manifestBytes, with: key)
            self.manifest = manifest
        } else {
            self.manifest = nil
        }
        self.files = files
    }

    /// Writes every file under `directory`, each atomically: its bytes go to a temporary
    /// name in the same folder, are flushed, then renamed over the old file (rename(2) is
    /// atomic), so a reader sees the old file or the new, never a part. Files whose bytes
    /// equal `previous[path]` are left alone; files of `previous` no longer in the site are
    /// removed. The signature and then the manifest come last, after every file they list
    /// is in place and every file they do not list is gone. Returns how many files were
    /// written.
    @discardableResult
    public func write(to directory: String, previous: [String: [UInt8]] = [:]) throws -> Int {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let last = [CopyManifest.signatureFileName, CopyManifest.fileName]
        var written = 0
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) where previous[path] != bytes && !last.contains(path) {
            try Self.writeAtomically(bytes, to: root.appendingPathComponent(path))
            written += 1
        }
        for path in previous.keys where files[path] == nil {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(path))
        }
        for path in last {
            guard let bytes = files[path], previous[path] != bytes else { continue }
            try Self.writeAtomically(bytes, to: root.appendingPathComponent(path))
            written += 1
        }
        return written
    }

    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StaticExportError.write(temporary.path, errno) }
        var offset = 0
        let result: Int32 = bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += count
            }
            return fsync(descriptor) == 0 ? 0 : errno
        }
        close(descriptor)
        guard result == 0 else {
            unlink(temporary.path)
            throw StaticExportError.write(temporary.path, result)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw StaticExportError.write(url.path, code)
        }
    }
}

public enum StaticExportError: Error, CustomStringConvertible {
    case write(String, Int32)

    public var description: String {
        switch self {
        case .write(let path, let code): return "cannot write \(path): \(String(cString: strerror(code)))"
        }
    }
}
