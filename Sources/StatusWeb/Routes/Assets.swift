import Foundation
import HTTPServer

/// The static files of `Public/`, held in memory with their responses prepared once:
/// content type, strong ETag, Last-Modified. The embedded copy is the default; an operator's
/// `--public-dir` overrides it file by file.
///
/// Lookups go through a dictionary of known paths, so no request path ever reaches the file
/// system: traversal is impossible by construction. `templates/` is never served.
public struct Assets: Sendable {
    public struct Asset: Sendable {
        public let path: String
        public let contents: [UInt8]
        public let contentType: String
        /// The 200 responses, identity and gzip, built once.
        public let representation: Representation

        public var etag: String { representation.identityETag }
        public var lastModified: Int { representation.lastModified }
        public var response: HTTPResponse { representation.identity }

        init(path: String, contents: [UInt8], modified: Int) {
            self.path = path
            self.contents = contents
            self.contentType = Assets.contentType(of: path)
            let compressible = contentType.hasPrefix("text/") || contentType.hasPrefix("application/json")
                || contentType.hasPrefix("image/svg+xml") || contentType.hasPrefix("application/manifest+json")
            self.representation = Representation(body: contents, headers: [
                .contentType: contentType,
                .cacheControl: "public, max-age=300, stale-if-error=86400",
                .vary: "Accept-Encoding",
                .xContentTypeOptions: "nosniff",
            ], lastModified: modified, compress: compressible)
        }
    }

    private let byPath: [String: Asset]
    /// The page templates (`templates/NAME.html`), by NAME, as text.
    public let templateSources: [String: String]

    /// The embedded files, then those under `overrideDirectory` (if any) in their place.
    public init(overrideDirectory: String? = nil) throws {
        var files: [String: (contents: [UInt8], modified: Int)] = [:]
        for file in EmbeddedPublic.files {
            files[file.path] = (file.contents, file.modified)
        }
        if let overrideDirectory {
            for (path, file) in try Self.read(directory: overrideDirectory) { files[path] = file }
        }
        var byPath: [String: Asset] = [:]
        var templateSources: [String: String] = [:]
        for (path, file) in files {
            if path.hasPrefix("templates/") {
                if path.hasSuffix(".html") {
                    templateSources[String(path.dropFirst(10).dropLast(5))] = String(decoding: file.contents, as: UTF8.self)
                }
                continue
            }
            byPath["/" + path] = Asset(path: "/" + path, contents: file.contents, modified: file.modified)
        }
        self.byPath = byPath
        self.templateSources = templateSources
    }

    public subscript(path: String) -> Asset? { byPath[path] }

    public var paths: [String] { byPath.keys.sorted() }

    /// The response to a GET or HEAD of `asset`, 304 when the client's copy is current.
    public static func response(for asset: Asset, to request: HTTPRequest) -> HTTPResponse {
        asset.representation.response(to: request)
    }

    private static func read(directory: String) throws -> [String: (contents: [UInt8], modified: Int)] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AssetsError.notADirectory(directory)
        }
        var files: [String: (contents: [UInt8], modified: Int)] = [:]
        let keys: [URLResourceKey] = [.isRegularFileKey, .contentModificationDateKey]
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else {
            return files
        }
        for case let url as URL in enumerator {
            let values = try url.resourceValues(forKeys: Set(keys))
            guard values.isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count))
                .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            files[relative] = ([UInt8](try Data(contentsOf: url)),
                               Int(values.contentModificationDate?.timeIntervalSince1970 ?? 0))
        }
        return files
    }

    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last.map({ $0.lowercased() }) {
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "html": return "text/html; charset=utf-8"
        case "txt": return "text/plain; charset=utf-8"
        case "json": return "application/json"
        case "webmanifest": return "application/manifest+json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }
}

public enum AssetsError: Error, CustomStringConvertible {
    case notADirectory(String)

    public var description: String {
        switch self {
        case .notADirectory(let path): return "--public-dir \(path) is not a directory"
        }
    }
}

extension HTTPHeaderName {
    public static let xContentTypeOptions: HTTPHeaderName = "X-Content-Type-Options"
}
