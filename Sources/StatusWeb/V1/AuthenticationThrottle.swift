import Foundation
import StatusCore
import Synchronization

/// Failed authentication, limited per client address: after `limit` failures within
/// `window`, every request from that address that needs a token is answered 429 with
/// `Retry-After` until the oldest failure leaves the window, and the token is not even
/// checked. Guessing tokens becomes hopeless (a 256-bit token at `limit` guesses a minute),
/// and a script with a revoked token cannot hammer the database.
public final class AuthenticationThrottle: Sendable {
    /// Failures allowed per address and window; 0 turns the limit off.
    public let limit: Int
    public let window: TimeInterval
    private let clock: any WallClock
    /// Failure times per address, oldest first, at most `limit` each.
    private let failures = Mutex<[String: [Date]]>([:])

    /// Addresses remembered at once; past it, those whose failures all left the window are
    /// forgotten first, so a flood of addresses cannot grow memory without bound.
    static let addressLimit = 100_000

    public init(limit: Int = 20, window: TimeInterval = 60, clock: any WallClock) {
        self.limit = max(0, limit)
        self.window = window
        self.clock = clock
    }

    /// Seconds until `address` may try again, or nil when it may now.
    public func retryAfter(_ address: String) -> Int? {
        guard limit > 0 else { return nil }
        let now = clock.now()
        return failures.withLock { table -> Int? in
            guard let times = table[address] else { return nil }
            let recent = times.filter { now.timeIntervalSince($0) < window }
            table[address] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    /// Notes a failed authentication from `address`.
    public func recordFailure(_ address: String) {
        guard limit > 0 else { return }
        let now = clock.now()
        failures.withLock { table in
            if table[address] == nil, table.count >= Self.addressLimit {
                table = table.filter { _, times in times.last.map { now.timeIntervalSince($0) < window } ?? false }
                if table.count >= Self.addressLimit { table.removeAll() }
            }
            var times = table[address, default: []]
            times.append(now)
            if times.count > limit { times.removeFirst(times.count - limit) }
            table[address] = times
        }
    }
}
