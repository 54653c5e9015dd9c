/// Every limit and timeout of the server in one place, with defaults chosen for a public
/// page that meets broken and hostile clients.
///
/// Each limit answers with the status RFC 9110 gives for it; each timeout closes the
/// connection. Durations are in nanoseconds of the monotonic clock.
public struct Configuration: Sendable {
    /// The address to bind: a name or numeric IPv4/IPv6 address.
    public var host: String = "127.0.0.1"
    /// The port to bind; 0 asks the kernel for a free one (see `HTTPServer.port`).
    public var port: Int = 8080
    /// Event loops (threads, each with its own epoll set). Default: one per core.
    public var eventLoops: Int = System.coreCount
    /// Pending connections the kernel queues per listening socket.
    public var backlog: Int32 = 4096

    /// Longest request line, method to version; longer → 414 URI Too Long.
    public var maxRequestLineBytes: Int = 8 * 1024
    /// Most bytes of header fields after the request line (and of a chunked body's
    /// trailers); more → 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Most header fields in one request; more → 431.
    public var maxHeaderCount: Int = 100
    /// Largest request body; a larger declared length is refused with 413 before any of
    /// it is read.
    public var maxBodyBytes: Int = 1024 * 1024
    /// Most connections open at once across all loops; one more gets 503 and is closed.
    public var maxConnections: Int = 50_000
    /// Most response bytes waiting for a slow reader before the server stops reading
    /// further pipelined requests from it.
    public var maxPendingOutputBytes: Int = 1024 * 1024

    /// From the first byte of a request to the end of its header section. A client that
    /// dribbles its headers (slowloris) is answered 408 and cut off at this deadline,
    /// however steadily it sends.
    public var headerReadTimeout: UInt64 = 10 * nanosecondsPerSecond
    /// From the end of the header section to the end of the body.
    public var bodyReadTimeout: UInt64 = 30 * nanosecondsPerSecond
    /// How long a keep-alive connection may sit between requests.
    public var keepAliveTimeout: UInt64 = 15 * nanosecondsPerSecond
    /// How long a response may wait for the client to read any of it.
    public var writeTimeout: UInt64 = 30 * nanosecondsPerSecond
    /// After an error response the server stops writing and discards what the client
    /// still sends for this long, so the client reads the response instead of a reset.
    public var lingerTimeout: UInt64 = 2 * nanosecondsPerSecond
    /// On shutdown, how long in-flight requests may take before their connections are cut.
    public var shutdownGracePeriod: UInt64 = 10 * nanosecondsPerSecond

    /// Write one line per request to standard error.
    public var accessLog: Bool = true
    /// Where requests are counted for `/metrics`; nil counts nothing.
    public var metrics: ServerMetrics?
    /// Sent as `Server` on every response; nil sends none.
    public var serverName: String? = "warta"

    public init() {}
}

public let nanosecondsPerSecond: UInt64 = 1_000_000_000
