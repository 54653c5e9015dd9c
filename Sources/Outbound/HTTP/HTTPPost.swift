import Foundation

/// One HTTP POST Warta sends: where, with which header fields and body.
public struct HTTPPost: Sendable {
    /// An absolute `http` or `https` URL.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(url: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Sends `posts` concurrently and returns each one's outcome, in order: the status of
    /// the response (any status; the body is read and dropped), or why there was none.
    ///
    /// Each host is resolved here, and refused when any of its addresses is outside
    /// `destinations`; the connection is then pinned to exactly those addresses, and every
    /// address actually connected is checked again just before the socket opens, so an
    /// answer that changes between lookups (DNS rebinding) cannot lead inside. Redirects
    /// are not followed. Blocks until every post is answered or `timeout` passes.
    ///
    /// Proxy variables of the environment are ignored: through a proxy, the address
    /// connected is the proxy's, and the check above would see nothing. An operator who must
    /// send through one names it as `proxy` (`http://host:port`); the proxy then resolves and
    /// connects, and its own rules decide what is inside, while Warta still refuses address
    /// literals and `localhost` names outside `destinations` (and makes no DNS lookup).
    public static func send(_ posts: [HTTPPost], destinations: DestinationPolicy, proxy: String? = nil,
                            timeout: TimeInterval) -> [Result<Int, OutboundFailure>] {
        CurlTransfer.sendAll(posts, destinations: destinations, proxy: proxy, timeout: timeout)
    }
}
