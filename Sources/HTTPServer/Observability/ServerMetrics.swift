import Synchronization

/// A route's name for metrics: its pattern, and a small number so that counting needs no
/// hashing. `Router` numbers its routes from `firstRouteIndex` as they are added.
public struct RouteTag: Sendable {
    public let index: Int
    public let pattern: String

    public init(index: Int, pattern: String) {
        self.index = index
        self.pattern = pattern
    }

    /// A response no route produced.
    public static let other = RouteTag(index: 0, pattern: "other")
    /// A request the parser refused.
    public static let invalidRequest = RouteTag(index: 1, pattern: "(invalid request)")
    public static let firstRouteIndex = 2
}

/// Requests by route and status, and their latency, for a `/metrics` endpoint.
///
/// Each event loop records into a shard of its own, so recording takes a lock nobody else
/// wants but the occasional scrape, which merges the shards. Routes are the router's patterns
/// (`/v1/pages/{page_id}/incidents`), never raw paths, so the series stay few whatever
/// clients send; a response no route produced counts as `other`.
public final class ServerMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds (Prometheus `le`).
    public static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    public struct Latency: Sendable {
        /// Counts per bucket (not cumulative), one more than `bucketBounds` for `+Inf`.
        public var buckets = [Int](repeating: 0, count: ServerMetrics.bucketBounds.count + 1)
        public var count = 0
        public var sumSeconds = 0.0
    }

    /// One route's counts.
    public struct Route: Sendable {
        /// Responses by status code.
        public var statuses: [Int: Int] = [:]
        public var latency = Latency()

        mutating func record(status: Int, bucket: Int, seconds: Double) {
            statuses[status, default: 0] += 1
            latency.buckets[bucket] += 1
            latency.count += 1
            latency.sumSeconds += seconds
        }

        mutating func merge(_ other: Route) {
            statuses.merge(other.statuses, uniquingKeysWith: +)
            for index in latency.buckets.indices { latency.buckets[index] += other.latency.buckets[index] }
            latency.count += other.latency.count
            latency.sumSeconds += other.latency.sumSeconds
        }
    }

    public struct Totals: Sendable {
        /// By route pattern.
        public var routes: [String: Route] = [:]
    }

    /// One loop's counts, by route index; names kept beside them.
    private struct ShardCounts {
        var routes: [Route] = []
        var names: [String] = []
    }

    private final class Shard: Sendable {
        let counts = Mutex(ShardCounts())
    }

    private let shards: [Shard]
    private let nextShard = Atomic<Int>(0)
    /// The server's own count, attached when the server is made with these metrics.
    private let connectionCount = Mutex<(@Sendable () -> Int)?>(nil)

    /// Client connections open now (0 before a server uses these metrics).
    public var openConnections: Int { connectionCount.withLock { $0 }?() ?? 0 }

    func countConnections(_ count: @escaping @Sendable () -> Int) {
        connectionCount.withLock { $0 = count }
    }

    public init(shards: Int = 8) {
        self.shards = (0..<max(1, shards)).map { _ in Shard() }
    }

    /// The shard index an event loop records into.
    func claimShard() -> Int { nextShard.add(1, ordering: .relaxed).oldValue % shards.count }

    func record(shard: Int, route: RouteTag?, status: Int, nanoseconds: UInt64) {
        let route = route ?? .other
        let seconds = Double(nanoseconds) / 1e9
        let bucket = Self.bucketBounds.firstIndex { seconds <= $0 } ?? Self.bucketBounds.count
        shards[shard].counts.withLock { counts in
            if route.index >= counts.routes.count {
                counts.routes += repeatElement(Route(), count: route.index + 1 - counts.routes.count)
                counts.names += repeatElement("", count: route.index + 1 - counts.names.count)
            }
            if counts.routes[route.index].latency.count == 0 { counts.names[route.index] = route.pattern }
            counts.routes[route.index].record(status: status, bucket: bucket, seconds: seconds)
        }
    }

    /// Every shard merged.
    public func totals() -> Totals {
        var merged = Totals()
        for shard in shards {
            shard.counts.withLock { counts in
                for (index, route) in counts.routes.enumerated() where route.latency.count > 0 {
                    merged.routes[counts.names[index], default: Route()].merge(route)
                }
            }
        }
        return merged
    }
}
