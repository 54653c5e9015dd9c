/// Who asked for a write: recorded in the audit log with every change.
///
/// The name shadows the standard library's `Actor` protocol inside this module and in files
/// that import it; write `_Concurrency.Actor` there for the protocol.
public struct Actor: Sendable, Equatable {
    /// The name of the API token that authenticated the request (or `cli`, `system`).
    public var tokenName: String
    /// The client's IP address as the server saw it; empty for local and automatic changes.
    public var clientAddress: String

    /// An actor: the token's name and the client's address.
    public init(tokenName: String, clientAddress: String) {
        self.tokenName = tokenName
        self.clientAddress = clientAddress
    }

    /// Changes made by time alone: a maintenance window starting or ending.
    public static let system = Actor(tokenName: "system", clientAddress: "")
}
