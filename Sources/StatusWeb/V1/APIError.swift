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

    /// A write refused because the server's disk is full: 507 (RFC 4918 §11.5), which tells
    /// the client the request was sound and may be repeated once space is freed.
    public static let diskFull = APIError(
        .insufficientStorage, "The server's disk is full; nothing was written. Try again once space is freed.")

    public var response: HTTPResponse {
        var response = HTTPResponse.problem(status, detail: detail, headers: headers) { writer in
            if let field { writer.field("field", field) }
        }
        response.headers.set(.cacheControl, "no-store")
        return response
    }
}

extension HTTPStatus {
    /// 507: the server cannot store what the request needs (RFC 4918 §11.5).
    static let insufficientStorage = HTTPStatus(code: 507, reasonPhrase: "Insufficient Storage")
}
