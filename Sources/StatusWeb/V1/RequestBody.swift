import Foundation
import HTTPServer

/// The body of a management-API write, decoded by its Content-Type: JSON
/// (`application/json`, `application/*+json`) or a form
/// (`application/x-www-form-urlencoded`). Anything else is 415.
public enum RequestBody {
    public static func decode(_ request: HTTPRequest) throws(APIError) -> BodyValue {
        let mediaType = request.headers[.contentType].map {
            $0.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard let mediaType else {
            if request.body.isEmpty { return .object([]) }
            throw unsupported("the request has no Content-Type")
        }
        do {
            if mediaType == "application/json" || mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json") {
                return request.body.isEmpty ? .object([]) : try JSONParser.parse(request.body)
            }
            if mediaType == "application/x-www-form-urlencoded" {
                return try FormParser.parse(request.body)
            }
        } catch {
            throw APIError(.badRequest, error.message)
        }
        throw unsupported("not \(mediaType)")
    }

    private static func unsupported(_ reason: String) -> APIError {
        APIError(.unsupportedMediaType,
                 "Send the body as application/json or application/x-www-form-urlencoded; \(reason).",
                 headers: ["Accept-Post": "application/json, application/x-www-form-urlencoded"])
    }
}
