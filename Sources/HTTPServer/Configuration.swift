/// Every limit and timeout of the server in one place, with defaults chosen for a public
/// page that meets broken and hostile clients.
///
/// Each limit answers with the status RFC 9110 gives for it. A deadline on reading a request
/// answers 408; the others close the connection. Durations are in nanoseconds of `clock`.
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
    /// Longest line giving a chunk's size (and its extensions) in a chunked request body
    /// (RFC 9112 §7.1); longer → 400.
    public var maxChunkSizeLineBytes: Int = 1024
    /// Requests waiting for or running on the worker threads (`HTTPReply.blocking`) across
    /// the server; one more is answered 503 with `Retry-After` instead of being queued, so a
    /// flood of writes cannot grow the queue without bound.
    public var maxQueuedBlockingRequests: Int = 1024
    /// Connections one loop accepts in one wake-up before it returns to serving the ones it
    /// has (a burst of new connections must not starve the open ones).
    public var acceptsPerWakeUp: Int = 128
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
    /// After a response that ends the connection (an error, a 408, or a `Connection: close`
    /// with more input pending) the server shuts its write side and discards what the client
    /// still sends for at most this long, so the client reads the response instead of a
    /// reset (RFC 9112 §9.6; nginx's `lingering_close`).
    public var lingerTimeout: UInt64 = 2 * nanosecondsPerSecond
    /// The most bytes discarded while lingering before the connection is closed anyway.
    public var maxLingerBytes: Int = 1024 * 1024
    /// How often each loop checks its connections' deadlines. A deadline is met within this
    /// much of its time.
    public var deadlineCheckInterval: UInt64 = nanosecondsPerSecond / 5
    /// On shutdown, how long in-flight requests may take before their connections are cut.
    public var shutdownGracePeriod: UInt64 = 10 * nanosecondsPerSecond

    /// The time deadlines are measured in. Tests pass a `ManualMonotonicClock` and call
    /// `HTTPServer.checkDeadlines()` after moving it.
    public var clock: any MonotonicClock = SystemMonotonicClock()

    /// Write one line per request to standard error.
    public var accessLog: Bool = true
    /// Where requests are counted for `/metrics`; nil counts nothing.
    public var metrics: ServerMetrics?
    /// Sent as `Server` on every response; nil sends none.
    public var serverName: String? = "warta"

    public init() {}
}

public let nanosecondsPerSecond: UInt64 = 1_000_000_000
