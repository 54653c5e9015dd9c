/// Why something Warta sent did not arrive, in words of Warta's own: what is stored and
/// shown (a webhook's `last_error`) names the kind of failure and never carries text from
/// the other side (a banner, a body, a reason phrase), which would let whoever chooses the
/// destination read what answers there.
public enum OutboundFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The destination policy does not allow the address (as registered, or as resolved).
    case destinationRefused(IPAddress.Scope)
    /// The URL cannot be sent to (not http or https, no host).
    case invalidURL
    /// The name has no address.
    case nameNotResolved
    /// No TCP connection could be made (refused, unreachable).
    case connectionFailed
    /// No complete answer within the time allowed.
    case timedOut
    /// The TLS handshake or the certificate check failed.
    case tlsFailed
    /// The connection broke, or what came back was not HTTP.
    case noValidResponse
    /// The receiver answered with a status other than 2xx (a redirect included: the
    /// destination is the URL registered, not where it points).
    case status(Int)
    /// Anything else, by libcurl's result code (<https://curl.se/libcurl/c/libcurl-errors.html>).
    case transferFailed(code: Int)

    public var description: String {
        switch self {
        case .destinationRefused(let scope): return "destination refused: \(scope.rawValue) address"
        case .invalidURL: return "invalid URL"
        case .nameNotResolved: return "name not resolved"
        case .connectionFailed: return "connection failed"
        case .timedOut: return "timed out"
        case .tlsFailed: return "TLS failed"
        case .noValidResponse: return "no valid HTTP response"
        case .status(let code): return "HTTP \(code)"
        case .transferFailed(let code): return "transfer failed (curl \(code))"
        }
    }
}
