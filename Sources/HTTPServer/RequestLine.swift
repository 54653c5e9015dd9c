/// `method SP request-target SP HTTP-version` (RFC 9112 §3), split and checked.
struct RequestLine: Sendable {
    var method: HTTPMethod
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion

    static func parse(_ line: ArraySlice<UInt8>) -> Result<RequestLine, HTTPParseError> {
        let parts = line.split(separator: .space, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            return .failure(.badRequest("The request line must be a method, a target and a version separated by single spaces."))
        }
        let (methodBytes, targetBytes, versionBytes) = (parts[0], parts[1], parts[2])
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
        let method = HTTPMethod(String(decoding: methodBytes, as: UTF8.self))
        let target = String(decoding: targetBytes, as: UTF8.self)
        switch RequestTarget.parse(targetBytes, method: method) {
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
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8),
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
