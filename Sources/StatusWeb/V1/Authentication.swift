import Foundation
import HTTPServer
import StatusCore

/// `Authorization: OAuth <token>` (Statuspage's scheme) or `Authorization: Bearer <token>`
/// (RFC 6750). The token is checked against the database on every request, so a token
/// created or revoked with `warta token` takes effect on the next one.
enum Authentication {
    static let challenge: HTTPHeaders = [.wwwAuthenticate: "Bearer realm=\"warta\", OAuth realm=\"warta\""]

    /// The actor behind the request, or a 401 that says what is wrong (never echoing the token).
    static func actor(for request: HTTPRequest, store: Store, now: Date) throws(APIError) -> Actor {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "This request needs an API token: send Authorization: Bearer <token> (or OAuth <token>).",
                           headers: challenge)
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2,
              asciiCaseInsensitiveEquals(parts[0], "Bearer") || asciiCaseInsensitiveEquals(parts[0], "OAuth")
        else {
            throw APIError(.unauthorized, "The Authorization header must be \"Bearer <token>\" or \"OAuth <token>\".",
                           headers: challenge)
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        let info: TokenInfo?
        do {
            info = try store.authenticate(token, now: now)
        } catch {
            throw APIError(.serviceUnavailable, "The token could not be checked; try again.")
        }
        guard let info else {
            throw APIError(.unauthorized, "The API token is not valid or has been revoked.", headers: challenge)
        }
        return Actor(tokenName: info.name, clientAddress: request.remoteAddress)
    }
}
