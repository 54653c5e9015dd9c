import Foundation
import HTTPServer
import StatusCore

/// `Authorization: OAuth <token>` (Statuspage's scheme) or `Authorization: Bearer <token>`
/// (RFC 6750). The token is checked against the database on every request, so a token
/// created or revoked with `warta token` takes effect on the next one.
enum Authentication {
    static let challenge: HTTPHeaders = [.wwwAuthenticate: "Bearer realm=\"warta\", OAuth realm=\"warta\""]

    /// The challenge for a token past its expiry: RFC 6750 §3.1's `invalid_token` error
    /// tells a client that a new token, not a retry, is what helps.
    static let expiredChallenge: HTTPHeaders = [
        .wwwAuthenticate: "Bearer realm=\"warta\", error=\"invalid_token\", error_description=\"The token has expired\", "
            + "OAuth realm=\"warta\"",
    ]

    /// What a v1 route needs of the token that calls it, declared where the route is added
    /// (`ManagementAPI.register`), so the whole table of who may do what reads in one place.
    enum Access: Sendable, Equatable {
        /// Any valid token: reading the page (its id above all), which every client asks first.
        case anyToken
        /// A token holding this scope.
        case scope(TokenScope)
    }

    /// The actor behind the request, or the refusal: 401 that says what is wrong with the
    /// credential (never echoing the token), 403 naming the scope `access` needs when the
    /// token is sound but does not hold it (RFC 9110 §15.5.4: authenticating again with the
    /// same token will not help).
    static func actor(for request: HTTPRequest, access: Access, store: Store, now: Date) throws(APIError) -> Actor {
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
        let verdict: Store.TokenVerdict
        do {
            verdict = try store.verifyToken(token, now: now)
        } catch {
            throw APIError(.serviceUnavailable, "The token could not be checked; try again.")
        }
        switch verdict {
        case .refused:
            throw APIError(.unauthorized, "The API token is not valid or has been revoked.", headers: challenge)
        case .expired(let info):
            throw APIError(.unauthorized,
                           "The API token expired at \(Timestamp.format(info.expiresAt ?? now)); ask for a new one "
                               + "(warta token create).",
                           headers: expiredChallenge)
        case .valid(let info):
            if case .scope(let needed) = access, !info.holds(needed) {
                let held = (info.scopes ?? []).sorted().map(\.rawValue).joined(separator: ", ")
                throw APIError(.forbidden,
                               "This request needs a token with the scope \(needed.rawValue); this token holds only: \(held).")
            }
            return Actor(tokenName: info.name, clientAddress: request.remoteAddress)
        }
    }
}
