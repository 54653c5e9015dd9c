import HTTPServer

/// A management-API request that cannot be honoured: the status to answer and the problem
/// in words, naming the offending field when there is one. Sent as
/// `application/problem+json` (RFC 9457) with the extension member `field`.
public struct APIError: Error, Equatable, Sendable {
    public var status: HTTPStatus
    public var detail: String
    public var field: String?
    public var headers: HTTPHeaders = [:]

    public init(_ status: HTTPStatus, _ detail: String, field: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.detail = detail
        self.field = field
        self.headers = headers
    }

    public static func invalid(_ field: String, _ detail: String) -> APIError {
        APIError(.unprocessableContent, detail, field: field)
    }

    public var response: HTTPResponse {
        var response = HTTPResponse.problem(status, detail: detail, headers: headers) { writer in
            if let field { writer.field("field", field) }
        }
        response.headers.set(.cacheControl, "no-store")
        return response
    }
}
