/// `method SP request-target SP HTTP-version` (RFC 9112 §3), split and checked.
struct RequestLine: Sendable {
    var method: HTTPMethod
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion

    static func parse(_ line: ArraySlice<UInt8>) -> Result<RequestLine, HTTPParseError> {
        guard let firstSpace = line.firstIndex(of: .space),
              let secondSpace = line[(firstSpace + 1)...].firstIndex(of: .space),
              !line[(secondSpace + 1)...].contains(.space),
              firstSpace > line.startIndex, secondSpace > firstSpace + 1, secondSpace + 1 < line.endIndex
        else {
            return .failure(.badRequest("The request line must be a method, a target and a version separated by single spaces."))
        }
        let methodBytes = line[line.startIndex..<firstSpace]
        let targetBytes = line[(firstSpace + 1)..<secondSpace]
        let versionBytes = line[(secondSpace + 1)...]
        guard methodBytes.allSatisfy(isTokenCharacter) else {
            return .failure(.badRequest("The method contains a character that is not allowed."))
        }
        let version: HTTPVersion
        switch parseVersion(versionBytes) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): version = parsed
        }
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.badRequest("The request target contains a character that is not allowed."))
        }
        let method = HTTPMethod.known(methodBytes) ?? HTTPMethod(String(decoding: methodBytes, as: UTF8.self))
        let target = String(decoding: targetBytes, as: UTF8.self)
        switch RequestTarget.parse(targetBytes, target: target, method: method) {
        case .failure(let error): return .failure(error)
        case .success(let parsed):
            return .success(RequestLine(method: method, target: target, path: parsed.path,
                                        query: parsed.query, version: version))
        }
    }

    /// `HTTP/` DIGIT `.` DIGIT. A 1.x minor above 1 is served as 1.1 (RFC 9110 §2.5); any
    /// other major version is not spoken here.
    static func parseVersion(_ bytes: ArraySlice<UInt8>) -> Result<HTTPVersion, HTTPParseError> {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        let start = bytes.startIndex
        guard bytes.count == 8, bytes[start] == UInt8(ascii: "H"), bytes[start + 1] == UInt8(ascii: "T"),
              bytes[start + 2] == UInt8(ascii: "T"), bytes[start + 3] == UInt8(ascii: "P"),
              bytes[start + 4] == UInt8(ascii: "/"),
              digits.contains(bytes[bytes.startIndex + 5]),
              bytes[bytes.startIndex + 6] == UInt8(ascii: "."),
              digits.contains(bytes[bytes.startIndex + 7])
        else {
            return .failure(.badRequest("The request line does not end with a valid HTTP version."))
        }
        let major = Int(bytes[bytes.startIndex + 5] - digits.lowerBound)
        let minor = Int(bytes[bytes.startIndex + 7] - digits.lowerBound)
        guard major == 1 else {
            return .failure(HTTPParseError(.httpVersionNotSupported, "Only HTTP/1.0 and HTTP/1.1 are supported."))
        }
        return .success(minor == 0 ? .http1_0 : .http1_1)
    }
}

extension HTTPMethod {
    /// The common methods without building a new string.
    static func known(_ bytes: ArraySlice<UInt8>) -> HTTPMethod? {
        // The bytes as one big-endian number: a compare per method, not a loop per byte.
        guard bytes.count <= 6 else { return nil }
        var word: UInt64 = 0
        for byte in bytes { word = word << 8 | UInt64(byte) }
        switch (bytes.count, word) {
        case (3, 0x47_45_54): return .get
        case (3, 0x50_55_54): return .put
        case (4, 0x48_45_41_44): return .head
        case (4, 0x50_4F_53_54): return .post
        case (5, 0x50_41_54_43_48): return .patch
        case (6, 0x44_45_4C_45_54_45): return .delete
        default: return nil
        }
    }
}
