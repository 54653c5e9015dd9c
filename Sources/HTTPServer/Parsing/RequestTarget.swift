/// The path and query of a request-target (RFC 9112 §3.2).
///
/// The path is percent-decoded exactly once and its dot segments removed (RFC 3986 §5.2.4),
/// so what a handler sees is what a file lookup would use. Anything that could make a path
/// mean two things is refused: an invalid escape, invalid UTF-8, an encoded NUL or slash,
/// a `..` that would climb above the root.
struct RequestTarget: Equatable, Sendable {
    var path: String
    var query: String?

    /// `target` is `bytes` as a string, passed in so the common case reuses it as the path.
    static func parse(_ bytes: ArraySlice<UInt8>, target: String, method: HTTPMethod) -> Result<RequestTarget, HTTPParseError> {
        var rest = bytes
        if rest.first == UInt8(ascii: "*"), rest.count == 1 {
            // asterisk-form, for OPTIONS only (RFC 9112 §3.2.4).
            guard method == .options else { return .failure(.badRequest("The target \"*\" is only allowed with OPTIONS.")) }
            return .success(RequestTarget(path: "*", query: nil))
        }
        if rest.first != UInt8(ascii: "/") {
            // absolute-form (RFC 9112 §3.2.2): drop scheme and authority.
            let text = String(decoding: rest, as: UTF8.self).lowercased()
            guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
                return .failure(.badRequest("The request target must be a path starting with \"/\" or an absolute http(s) URI."))
            }
            let afterScheme = rest.index(rest.startIndex, offsetBy: text.hasPrefix("http://") ? 7 : 8)
            rest = rest[afterScheme...]
            if let slash = rest.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) {
                rest = rest[slash...]
            } else {
                rest = rest[rest.endIndex...]
            }
        }
        let pathEnd = rest.firstIndex(of: UInt8(ascii: "?")) ?? rest.endIndex
        let query = pathEnd < rest.endIndex ? String(decoding: rest[(pathEnd + 1)...], as: UTF8.self) : nil
        var rawPath = rest[rest.startIndex..<pathEnd]
        if let fragment = rawPath.firstIndex(of: UInt8(ascii: "#")) { rawPath = rawPath[..<fragment] }
        if rawPath.first == UInt8(ascii: "/"), !needsDecoding(rawPath) {
            // The common case: nothing to decode or remove; the bytes are ASCII already.
            let path = rawPath.count == bytes.count ? target : String(decoding: rawPath, as: UTF8.self)
            return .success(RequestTarget(path: path, query: query))
        }

        var segments: [String] = []
        for rawSegment in rawPath.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard let decoded = PercentDecoding.decode(rawSegment) else {
                return .failure(.badRequest("The path contains an invalid percent escape."))
            }
            if decoded.contains(0) { return .failure(.badRequest("The path contains an encoded NUL.")) }
            if decoded.contains(UInt8(ascii: "/")) || decoded.contains(UInt8(ascii: "\\")) {
                return .failure(.badRequest("The path contains an encoded slash."))
            }
            guard let segment = String(validating: decoded, as: UTF8.self) else {
                return .failure(.badRequest("The path is not valid UTF-8 once decoded."))
            }
            switch segment {
            case ".": continue
            case "..":
                guard !segments.isEmpty else {
                    return .failure(.badRequest("The path climbs above the root."))
                }
                segments.removeLast()
            default:
                segments.append(segment)
            }
        }
        // Keep a trailing slash ("/a/" stays "/a/"), including after "." or "..".
        let endsWithSlash = rawPath.count > 1 && (rawPath.last == UInt8(ascii: "/")
            || rawPath.reversed().starts(with: "/.".utf8.reversed())
            || rawPath.reversed().starts(with: "/..".utf8.reversed()))
        var path = "/" + segments.joined(separator: "/")
        if endsWithSlash, path != "/" { path += "/" }
        return .success(RequestTarget(path: path, query: query))
    }

    /// Whether the path has an escape or a segment starting with a dot.
    private static func needsDecoding(_ path: ArraySlice<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for byte in path {
            if byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\")
                || (byte == UInt8(ascii: ".") && previous == UInt8(ascii: "/")) {
                return true
            }
            previous = byte
        }
        return false
    }
}
