/// Evaluation of `If-None-Match` and `If-Modified-Since` for GET and HEAD
/// (RFC 9110 §13.1.2, §13.1.3, §13.2.2).
public enum ConditionalRequest {
    /// Whether the client's copy is current, so a 304 Not Modified is the answer.
    /// `If-None-Match` wins when present; `If-Modified-Since` is then ignored.
    public static func isNotModified(_ request: HTTPRequest, etag: String?, lastModified: Int?) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        if request.headers.contains(.ifNoneMatch) {
            guard let etag else { return false }
            return request.headers.listElements(.ifNoneMatch).contains { candidate in
                // Weak comparison (RFC 9110 §8.8.3.2): W/ prefixes are ignored.
                candidate == "*" || stripWeak(candidate) == stripWeak(Substring(etag))
            }
        }
        if let since = request.headers[.ifModifiedSince], let lastModified,
           let sinceSeconds = HTTPDate.parse(since) {
            return lastModified <= sinceSeconds
        }
        return false
    }

    /// The 304 for `response`: its validators and caching fields, no content.
    public static func notModified(from response: HTTPResponse) -> HTTPResponse {
        var headers = HTTPHeaders()
        for field in response.headers where notModifiedFields.contains(field.name) {
            headers.add(field.name, field.value)
        }
        return HTTPResponse(status: .notModified, headers: headers)
    }

    /// Fields a 304 must repeat (RFC 9110 §15.4.5).
    private static let notModifiedFields: [HTTPHeaderName] = [
        .cacheControl, .contentLocation, .etag, .expires, .vary, .lastModified,
    ]

    private static func stripWeak(_ tag: Substring) -> Substring {
        tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
    }
}

extension HTTPHeaderName {
    public static let contentLocation: HTTPHeaderName = "Content-Location"
    public static let expires: HTTPHeaderName = "Expires"
}
