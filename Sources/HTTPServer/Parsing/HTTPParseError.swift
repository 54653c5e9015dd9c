/// Why a request could not be read. The connection answers with `status`, names the
/// problem in the body and closes: after a framing error nothing that follows on the
/// connection can be trusted (RFC 9112 §11.2).
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: HTTPStatus
    /// A sentence for the client that names the problem.
    public let detail: String

    public init(_ status: HTTPStatus, _ detail: String) {
        self.status = status
        self.detail = detail
    }

    public var description: String { "\(status): \(detail)" }

    static func badRequest(_ detail: String) -> HTTPParseError { HTTPParseError(.badRequest, detail) }
}
