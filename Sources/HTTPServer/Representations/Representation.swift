/// A 200 response prepared once, in identity form and, when that saves bytes, as gzip and as
/// Brotli: the read path only picks one (by `Accept-Encoding`, see `AcceptEncoding`) and
/// answers 304 or writes it.
///
/// Each form has its own strong ETag (a hash of its bytes): they are different
/// representations (RFC 9110 §8.8.3), and a cache holding the gzip bytes must not have them
/// validated against the identity or Brotli ones. All carry `Vary: Accept-Encoding`.
public final class Representation: Sendable {
    public let identity: HTTPResponse
    public let identityETag: String
    public let gzip: HTTPResponse?
    public let gzipETag: String?
    /// The Brotli form (RFC 7932), made only beside a gzip one and kept only when smaller.
    public let brotli: HTTPResponse?
    public let brotliETag: String?
    /// True while the Brotli form is still to be made (`withBrotli()`): a snapshot built on
    /// the write path leaves it for after the write is acknowledged.
    public let lacksBrotli: Bool
    /// Seconds since 1970, for `Last-Modified` and `If-Modified-Since`.
    public let lastModified: Int
    /// Whether large forms are also held in memory files and sent with `sendfile(2)`.
    let sendsFromFiles: Bool

    /// Bodies smaller than this are sent as they are: gzip's 18-byte frame and the extra
    /// header would eat what it saves.
    public static let minimumCompressedSize = 256

    /// Prepares `body` with `headers`, adding `ETag`, `Last-Modified` and, when `compress`
    /// and worth it, the gzip and Brotli variants (Brotli at `Brotli.defaultQuality`; with
    /// `brotli` false it is left for `withBrotli()`). `headers` should name
    /// `Vary: Accept-Encoding` when compressing (the caller may vary on more).
    ///
    /// `sendfile` holds each form of `FileBody.threshold` bytes or more in a memory file as
    /// well, sent without a copy: for the few large documents a snapshot prepares, not for
    /// documents made per request (each file is a descriptor while it lives).
    public init(body: [UInt8], headers: HTTPHeaders, lastModified: Int, compress: Bool, brotli makeBrotli: Bool = true,
                sendfile: Bool = false) {
        self.lastModified = lastModified
        sendsFromFiles = sendfile
        var headers = headers
        headers.set(.lastModified, HTTPDate.format(lastModified))
        (identity, identityETag) = Self.prepared(body, headers: headers, coding: nil, sendfile: sendfile)
        if compress, body.count >= Self.minimumCompressedSize, let compressed = Gzip.compress(body),
           compressed.count < body.count {
            (gzip, gzipETag) = Self.prepared(compressed, headers: headers, coding: "gzip", sendfile: sendfile)
            if makeBrotli {
                (brotli, brotliETag) = Self.brotli(of: body, smallerThan: compressed.count, headers: headers,
                                                   sendfile: sendfile)
            } else {
                (brotli, brotliETag) = (nil, nil)
            }
            lacksBrotli = !makeBrotli
        } else {
            (gzip, gzipETag) = (nil, nil)
            (brotli, brotliETag) = (nil, nil)
            lacksBrotli = false
        }
    }

    private init(_ other: Representation, brotli: (HTTPResponse, String)?) {
        identity = other.identity
        identityETag = other.identityETag
        gzip = other.gzip
        gzipETag = other.gzipETag
        (self.brotli, brotliETag) = (brotli?.0, brotli?.1)
        lacksBrotli = false
        lastModified = other.lastModified
        sendsFromFiles = other.sendsFromFiles
    }

    /// This representation with its Brotli form made, when `lacksBrotli`; otherwise itself.
    public func withBrotli() -> Representation {
        guard lacksBrotli, let gzip else { return self }
        var headers = identity.headers
        headers.remove(.etag)
        let (response, etag) = Self.brotli(of: identity.body, smallerThan: gzip.body.count, headers: headers,
                                           sendfile: sendsFromFiles)
        guard let response, let etag else { return Representation(self, brotli: nil) }
        return Representation(self, brotli: (response, etag))
    }

    /// The Brotli form of `body`, when it is smaller than the gzip one.
    private static func brotli(of body: [UInt8], smallerThan gzipSize: Int, headers: HTTPHeaders,
                               sendfile: Bool) -> (HTTPResponse?, String?) {
        guard let bytes = Brotli.compress(body), bytes.count < gzipSize else { return (nil, nil) }
        let (response, etag) = prepared(bytes, headers: headers, coding: "br", sendfile: sendfile)
        return (response, etag)
    }

    /// `body` as a prepared 200 with its own strong ETag and, for a compressed form, its
    /// `Content-Encoding` token (RFC 9110 §8.4.1).
    private static func prepared(_ body: [UInt8], headers: HTTPHeaders, coding: String?,
                                 sendfile: Bool) -> (HTTPResponse, String) {
        let etag = EntityTag.strong(for: body)
        var headers = headers
        headers.set(.etag, etag)
        if let coding { headers.set(.contentEncoding, coding) }
        let response = HTTPResponse(status: .ok, headers: headers, body: body)
        return (sendfile ? response.preparedForSendfile() : response.prepared(), etag)
    }

    /// The form `request` accepts and its ETag.
    public func selected(for request: HTTPRequest) -> (response: HTTPResponse, etag: String) {
        switch AcceptEncoding(request).preferred(hasGzip: gzip != nil, hasBrotli: brotli != nil) {
        case .brotli: if let brotli, let brotliETag { return (brotli, brotliETag) }
        case .gzip: if let gzip, let gzipETag { return (gzip, gzipETag) }
        case .identity: break
        }
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
