/// A 200 response prepared once, in identity form and, when that saves bytes, as gzip: the
/// read path only picks one (by `Accept-Encoding`) and answers 304 or writes it.
///
/// Each form has its own strong ETag (a hash of its bytes): they are different
/// representations (RFC 9110 §8.8.3), and a cache holding the gzip bytes must not have them
/// validated against the identity ones. Both carry `Vary: Accept-Encoding`.
public struct Representation: Sendable {
    public let identity: HTTPResponse
    public let identityETag: String
    public let gzip: HTTPResponse?
    public let gzipETag: String?
    /// Seconds since 1970, for `Last-Modified` and `If-Modified-Since`.
    public let lastModified: Int

    /// Bodies smaller than this are sent as they are: gzip's 18-byte frame and the extra
    /// header would eat what it saves.
    public static let minimumCompressedSize = 256

    /// Prepares `body` with `headers`, adding `ETag`, `Last-Modified` and, when `compress`
    /// and worth it, the gzip variant. `headers` should name `Vary: Accept-Encoding` when
    /// compressing (the caller may vary on more).
    public init(body: [UInt8], headers: HTTPHeaders, lastModified: Int, compress: Bool) {
        self.lastModified = lastModified
        var headers = headers
        headers.set(.lastModified, HTTPDate.format(lastModified))
        let identityETag = EntityTag.strong(for: body)
        var identityHeaders = headers
        identityHeaders.set(.etag, identityETag)
        identity = HTTPResponse(status: .ok, headers: identityHeaders, body: body).prepared()
        self.identityETag = identityETag
        if compress, body.count >= Self.minimumCompressedSize, let compressed = Gzip.compress(body),
           compressed.count < body.count {
            let gzipETag = EntityTag.strong(for: compressed)
            var gzipHeaders = headers
            gzipHeaders.set(.etag, gzipETag)
            gzipHeaders.set(.contentEncoding, "gzip")
            gzip = HTTPResponse(status: .ok, headers: gzipHeaders, body: compressed).prepared()
            self.gzipETag = gzipETag
        } else {
            gzip = nil
            gzipETag = nil
        }
    }

    /// The form `request` accepts and its ETag.
    public func selected(for request: HTTPRequest) -> (response: HTTPResponse, etag: String) {
        if let gzip, let gzipETag, Gzip.isAccepted(by: request) { return (gzip, gzipETag) }
        return (identity, identityETag)
    }

    /// The response to a GET or HEAD: the accepted form, or 304 when the client's copy of
    /// that form is current. `adjust` edits the chosen response first (a shortened
    /// `Cache-Control`), so a 304 repeats the edited fields.
    public func response(to request: HTTPRequest, adjust: ((inout HTTPResponse) -> Void)? = nil) -> HTTPResponse {
        var (response, etag) = selected(for: request)
        adjust?(&response)
        if ConditionalRequest.isNotModified(request, etag: etag, lastModified: lastModified) {
            return ConditionalRequest.notModified(from: response)
        }
        return response
    }
}
