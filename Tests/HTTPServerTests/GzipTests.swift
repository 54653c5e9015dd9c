import Testing
@testable import HTTPServer

/// gzip made by libdeflate and read back by zlib, the Accept-Encoding choice, and representations prepared
/// once in both forms.
@Suite struct GzipTests {
    static func request(_ acceptEncoding: String?, headers: [(HTTPHeaderName, String)] = [], method: HTTPMethod = .get) -> HTTPRequest {
        var request = HTTPRequest(method: method, target: "/", path: "/")
        if let acceptEncoding { request.headers.add(.acceptEncoding, acceptEncoding) }
        for (name, value) in headers { request.headers.add(name, value) }
        return request
    }

    @Test func compressesAndInflatesBack() throws {
        let text = Array(String(repeating: "Autogates are down at Soekarno-Hatta. ", count: 200).utf8)
        let compressed = try #require(Gzip.compress(text))
        #expect(compressed.count < text.count / 10)
        #expect(compressed.prefix(3) == [0x1F, 0x8B, 0x08])  // gzip magic, deflate (RFC 1952 §2.3.1)
        #expect(Gzip.decompress(compressed) == text)
        #expect(Gzip.decompress(Array("not gzip".utf8)) == nil)
        #expect(Gzip.decompress(Array(compressed.dropLast(12))) == nil)
    }

    @Test(arguments: [
        ("gzip", true), ("GZIP", true), ("x-gzip", true), ("gzip, deflate, br", true), ("br;q=1.0, gzip;q=0.8", true),
        ("deflate, gzip;q=0", false), ("gzip;q=0.000", false), ("identity", false), ("br", false),
        ("*", true), ("*;q=0", false), ("gzip;q=0, *", false), ("*, gzip;q=0", false), ("gzip;q=0.5, *;q=0", true),
        ("", false), ("gzip;q=abc", true), ("deflate;q=0.5 , gzip ; q=0.1", true),
    ])
    func acceptEncodingChoosesGzip(_ header: String, _ accepted: Bool) {
        #expect((AcceptEncoding(Self.request(header)).quality(of: .gzip) > 0) == accepted)
    }

    @Test func noAcceptEncodingGetsIdentity() {
        #expect(AcceptEncoding(Self.request(nil)).quality(of: .gzip) == 0)
        #expect(AcceptEncoding(Self.request(nil)).preferred(hasGzip: true, hasBrotli: true) == .identity)
    }

    static let body = Array(String(repeating: "{\"status\":\"major_outage\"}", count: 40).utf8)

    static func representation(_ body: [UInt8] = body) -> Representation {
        Representation(body: body, headers: [.contentType: "application/json", .vary: "Accept-Encoding"],
                       lastModified: 1_700_000_000, compress: true)
    }

    @Test func eachFormHasItsOwnTagAndHeaders() throws {
        let representation = Self.representation()
        let plain = representation.response(to: Self.request(nil))
        let gzip = representation.response(to: Self.request("gzip"))
        #expect(plain.body == Self.body)
        #expect(plain.headers[.contentEncoding] == nil)
        #expect(gzip.headers[.contentEncoding] == "gzip")
        #expect(Gzip.decompress(gzip.body) == Self.body)
        #expect(plain.headers[.etag] == representation.identityETag)
        #expect(gzip.headers[.etag] == representation.gzipETag)
        #expect(representation.identityETag != representation.gzipETag)
        for response in [plain, gzip] {
            #expect(response.headers[.vary] == "Accept-Encoding")
            #expect(response.headers[.lastModified] == "Tue, 14 Nov 2023 22:13:20 GMT")
        }
    }

    @Test func notModifiedOnlyForTheFormTheClientHolds() throws {
        let representation = Self.representation()
        let gzipTag = try #require(representation.gzipETag)
        let revalidated = representation.response(to: Self.request("gzip", headers: [(.ifNoneMatch, gzipTag)]))
        #expect(revalidated.status == .notModified)
        #expect(revalidated.body.isEmpty)
        #expect(revalidated.headers[.etag] == gzipTag)
        // The identity copy's tag does not validate the gzip form, nor the other way round.
        #expect(representation.response(to: Self.request("gzip", headers: [(.ifNoneMatch, representation.identityETag)])).status == .ok)
        #expect(representation.response(to: Self.request(nil, headers: [(.ifNoneMatch, gzipTag)])).status == .ok)
        #expect(representation.response(to: Self.request("gzip;q=0", headers: [(.ifNoneMatch, representation.identityETag)])).status == .notModified)
        let since = representation.response(to: Self.request("gzip", headers: [(.ifModifiedSince, "Tue, 14 Nov 2023 22:13:20 GMT")]))
        #expect(since.status == .notModified)
        #expect(representation.response(to: Self.request("gzip", headers: [(.ifModifiedSince, "Tue, 14 Nov 2023 22:13:19 GMT")])).status == .ok)
    }

    /// Neither gzip nor Brotli: Brotli is only made beside a gzip form.
    @Test func smallOrIncompressibleBodiesStayIdentity() {
        let small = Self.representation(Array("{\"ok\":true}".utf8))
        #expect(small.gzip == nil && small.brotli == nil && small.brotliETag == nil)
        #expect(small.response(to: Self.request("gzip, br")).headers[.contentEncoding] == nil)
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let incompressible = Self.representation(noise)
        #expect(incompressible.gzip == nil && incompressible.brotli == nil)
        #expect(incompressible.response(to: Self.request("br")).body == noise)
        let off = Representation(body: Self.body, headers: [:], lastModified: 0, compress: false)
        #expect(off.gzip == nil && off.brotli == nil)
        #expect(off.response(to: Self.request("br")).body == Self.body)
    }
}
