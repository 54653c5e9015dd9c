import Foundation
import Outbound
import StatusCore
import Synchronization

/// Public sign-ups (`POST /subscribe`), limited per client network: at most `limit` within
/// `window` (Statuspage's limit, 10 per 4 hours). Past it, a sign-up is answered 429 with
/// `Retry-After` until the oldest one counted leaves the window, before its form is even read.
/// Every sign-up counts, valid or not, so a script cannot probe addresses or flood mailboxes
/// by sending forms that fail; a refused one does not count, so `Retry-After` tells the truth.
///
/// An IPv6 client is counted by its /64: the last 64 bits are the interface identifier
/// (RFC 4291 §2.5.1), which a client picks and changes at will (RFC 8981), so counting each
/// address apart would limit nothing.
public final class SignUpLimiter: Sendable {
    /// Sign-ups allowed per network and window; 0 turns the limit off.
    public let limit: Int
    public let window: TimeInterval
    private let clock: any WallClock
    /// Sign-up times per network, oldest first, at most `limit` each.
    private let signUps = Mutex<[String: [Date]]>([:])

    /// Networks remembered at once; past it, those whose sign-ups all left the window are
    /// forgotten first, so a flood of addresses cannot grow memory without bound.
    static let networkLimit = 100_000

    public init(limit: Int = 10, window: TimeInterval = 4 * 60 * 60, clock: any WallClock) {
        self.limit = max(0, limit)
        self.window = window
        self.clock = clock
    }

    /// Counts a sign-up from `address` when the limit allows it and returns nil; otherwise
    /// counts nothing and returns the seconds until the next one is allowed. Checking and
    /// counting are one step, so concurrent requests cannot slip past the limit together.
    public func admit(_ address: String) -> Int? {
        guard limit > 0 else { return nil }
        let now = clock.now()
        let network = Self.network(of: address)
        return signUps.withLock { table -> Int? in
            var recent = (table[network] ?? []).filter { now.timeIntervalSince($0) < window }
            if recent.count >= limit, let oldest = recent.first {
                table[network] = recent
                return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
            }
            if table[network] == nil, table.count >= Self.networkLimit {
                table = table.filter { _, times in times.last.map { now.timeIntervalSince($0) < window } ?? false }
                if table.count >= Self.networkLimit { table.removeAll() }
            }
            recent.append(now)
            table[network] = recent
            return nil
        }
    }

    /// What sign-ups are counted by: an IPv4 address as it is (also when mapped into IPv6),
    /// an IPv6 address by its first 64 bits; anything unreadable as it is.
    static func network(of address: String) -> String {
        guard let parsed = IPAddress(address), !parsed.isIPv4 else { return address }
        let bytes = parsed.bytes
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        return bytes[0..<8].map { String(format: "%02x", $0) }.joined() + "::/64"
    }
}
