import Foundation

/// The one guard on where Warta connects: which scopes of address a kind of traffic may
/// reach. Webhooks default to the public internet only, so an API token cannot turn the
/// server into a scanner of its own network (loopback services, cloud metadata at
/// 169.254.169.254, the intranet); an operator whose receivers sit on an intranet allows
/// everything. Each caller chooses its policy (probes of internal checks will allow
/// private addresses, for instance).
///
/// A policy is applied twice: to the endpoint when it is registered (`refusal(forEndpoint:)`,
/// address literals and `localhost` names only, so registration needs no DNS), and to every
/// address actually connected at delivery (`refusal(for:)`), which also catches a public
/// name that resolves inside and a name whose answers change between lookups.
public struct DestinationPolicy: Sendable, Equatable {
    /// The scopes connections may reach.
    public let allowedScopes: Set<IPAddress.Scope>

    public init(allowing scopes: Set<IPAddress.Scope>) {
        allowedScopes = scopes
    }

    /// The public internet only: the default for webhooks.
    public static let publicOnly = DestinationPolicy(allowing: [.public])

    /// Every address, inside ones included (`--webhook-allow-private`).
    public static let anywhere = DestinationPolicy(allowing: Set(IPAddress.Scope.allCases))

    public var allowsEverything: Bool { allowedScopes == Set(IPAddress.Scope.allCases) }

    /// Why `address` may not be connected to, or nil when it may.
    public func refusal(for address: IPAddress) -> Refusal? {
        let scope = address.scope
        return allowedScopes.contains(scope) ? nil : Refusal(address: address.description, scope: scope)
    }

    /// Why an endpoint URL's host may not be registered, or nil when it may (or when the URL
    /// cannot be read at all: the endpoint's syntax rules report that). Only what is known
    /// without asking DNS: an address literal in any spelling, or `localhost` and its
    /// subdomains, which always resolve to loopback (RFC 6761 §6.3).
    public func refusal(forEndpoint endpoint: String) -> Refusal? {
        guard let host = URLComponents(string: endpoint)?.host, !host.isEmpty else { return nil }
        // A final dot only roots the name (RFC 1034 §3.1): `127.0.0.1.` is still that address.
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if let address = IPAddress(name) { return refusal(for: address) }
        if name == "localhost" || name.hasSuffix(".localhost") {
            return allowedScopes.contains(.loopback) ? nil : Refusal(address: host, scope: .loopback)
        }
        return nil
    }

    /// A destination the policy does not allow.
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        /// The address (or `localhost` name) refused.
        public let address: String
        public let scope: IPAddress.Scope

        /// `127.0.0.1 is a loopback address`
        public var description: String {
            let article = scope == .unspecified ? "an" : "a"
            return "\(address) is \(article) \(scope.rawValue) address"
        }
    }
}
