import Testing
@testable import HTTPServer

/// Brotli through the system libbrotli, the choice among identity, gzip and Brotli by
/// `Accept-Encoding`, and the Brotli form of a prepared representation.
@Suite struct BrotliTests {
    static func request(_ acceptEncoding: String?, headers: [(HTTPHeaderName, String)] = []) -> HTTPRequest {
        GzipTests.request(acceptEncoding, headers: headers)
    }
    static let body = GzipTests.body

    @Test func compressesAndDecodesBack() throws {
        let text = Array(String(repeating: "Autogates are down at Soekarno-Hatta. ", count: 200).utf8)
        let compressed = try #require(Brotli.compress(text))
        #expect(compressed.count < text.count / 20)
        #expect(Brotli.decompress(compressed) == text)
        #expect(Brotli.decompress(Array(compressed.dropLast(2))) == nil)
        #expect(Brotli.decompress(compressed + [0x00]) == nil)
        #expect(Brotli.decompress(try #require(Gzip.compress(text))) == nil)
        #expect(Brotli.decompress(compressed, limit: text.count - 1) == nil)
        // Every quality makes a stream the decoder reads back, the window fitted or not.
        for quality: Int32 in [0, 5, 9, 11] {
            #expect(Brotli.decompress(try #require(Brotli.compress(text, quality: quality))) == text, "quality \(quality)")
        }
        #expect(Brotli.decompress(try #require(Brotli.compress([]))) == [])
    }

    /// (Accept-Encoding, the coding sent when both gzip and Brotli exist, the coding sent
    /// when only gzip does.)
    @Test(arguments: [
        ("br", ContentCoding.brotli, ContentCoding.identity),
        ("gzip, deflate, br, zstd", .brotli, .gzip),          // what browsers send over HTTPS
        ("gzip, deflate", .gzip, .gzip),                      // ... and over plain HTTP
        ("BR", .brotli, .identity),
        ("br;q=0.5, gzip;q=0.5", .brotli, .gzip),             // a tie goes to the smaller form
        ("br;q=0.4, gzip;q=0.5", .gzip, .gzip),
        ("br;q=1.0, gzip;q=0.8", .brotli, .gzip),
        ("gzip, br;q=0", .gzip, .gzip),
        ("br;q=0", .identity, .identity),
        ("br;q=0.000, gzip;q=0", .identity, .identity),
        ("*", .brotli, .gzip),
        ("*;q=0.5, gzip", .gzip, .gzip),
        ("*, br;q=0", .gzip, .gzip),
        ("*;q=0", .identity, .identity),
        ("br;q=0.2, *;q=0", .brotli, .identity),
        ("identity", .identity, .identity),
        ("deflate", .identity, .identity),
        ("", .identity, .identity),
        ("brotli, br-like", .identity, .identity),
        (" br ; q=0.9 , gzip ; q=0.1", .brotli, .gzip),
    ])
    func negotiation(_ header: String, _ withBoth: ContentCoding, _ withGzipOnly: ContentCoding) {
        let accepted = AcceptEncoding(Self.request(header))
        #expect(accepted.preferred(hasGzip: true, hasBrotli: true) == withBoth)
        #expect(accepted.preferred(hasGzip: true, hasBrotli: false) == withGzipOnly)
        #expect(accepted.preferred(hasGzip: false, hasBrotli: false) == .identity)
    }

    @Test func noAcceptEncodingGetsIdentityAndFieldsAddUp() {
        #expect(AcceptEncoding(Self.request(nil)).preferred(hasGzip: true, hasBrotli: true) == .identity)
        // A list split over two fields is one list (RFC 9110 §5.3).
        let split = AcceptEncoding(Self.request("gzip;q=0.9", headers: [(.acceptEncoding, "br;q=0.3")]))
        #expect(split.quality(of: .gzip) == 900)
        #expect(split.quality(of: .brotli) == 300)
        #expect(split.preferred(hasGzip: true, hasBrotli: true) == .gzip)
    }

    @Test func brotliFormHasItsOwnTagAndHeaders() throws {
        let representation = GzipTests.representation()
        let brotli = representation.response(to: Self.request("gzip, deflate, br"))
        let gzip = try #require(representation.gzip)
        #expect(brotli.status == .ok)
        #expect(brotli.headers[.contentEncoding] == "br")
        #expect(Brotli.decompress(brotli.body) == Self.body)
        #expect(brotli.body.count < gzip.body.count)
        #expect(brotli.headers[.etag] == representation.brotliETag)
        #expect(brotli.headers[.etag] == EntityTag.strong(for: brotli.body))
        #expect(brotli.headers[.vary] == "Accept-Encoding")
        #expect(brotli.headers[.lastModified] == "Tue, 14 Nov 2023 22:13:20 GMT")
        #expect(Set([representation.identityETag, representation.gzipETag, representation.brotliETag]).count == 3)
        #expect(representation.response(to: Self.request("gzip, br;q=0")).headers[.etag] == representation.gzipETag)
    }

    @Test func notModifiedOnlyForTheBrotliFormTheClientHolds() throws {
        let representation = GzipTests.representation()
        let brotliTag = try #require(representation.brotliETag)
        let gzipTag = try #require(representation.gzipETag)
        let revalidated = representation.response(to: Self.request("br, gzip", headers: [(.ifNoneMatch, brotliTag)]))
        #expect(revalidated.status == .notModified)
        #expect(revalidated.body.isEmpty)
        #expect(revalidated.headers[.etag] == brotliTag)
        #expect(revalidated.headers[.vary] == "Accept-Encoding")
        // Another form's tag does not validate the Brotli one, nor the other way round.
        #expect(representation.response(to: Self.request("br, gzip", headers: [(.ifNoneMatch, gzipTag)])).status == .ok)
        #expect(representation.response(to: Self.request("br, gzip", headers: [(.ifNoneMatch, representation.identityETag)])).status == .ok)
        #expect(representation.response(to: Self.request("gzip", headers: [(.ifNoneMatch, brotliTag)])).status == .ok)
        #expect(representation.response(to: Self.request(nil, headers: [(.ifNoneMatch, brotliTag)])).status == .ok)
        // A client holding both lists both tags.
        #expect(representation.response(to: Self.request("br", headers: [(.ifNoneMatch, gzipTag + ", " + brotliTag)])).status == .notModified)
    }
}
