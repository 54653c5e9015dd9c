import Foundation
import Testing
@testable import StatusWeb

/// The limit on failed authentication, with a clock the test sets.
@Suite struct AuthenticationThrottleTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func limitedAfterTheLimitUntilTheOldestFailureLeavesTheWindow() {
        let throttle = AuthenticationThrottle(limit: 3, window: 60)
        for second in 0..<3 {
            #expect(throttle.retryAfter("10.0.0.1", now: Self.start + Double(second * 10)) == nil)
            throttle.recordFailure("10.0.0.1", now: Self.start + Double(second * 10))
        }
        // Failures at 0, 10 and 20 s: limited until the first is 60 s old.
        #expect(throttle.retryAfter("10.0.0.1", now: Self.start + 25) == 35)
        #expect(throttle.retryAfter("10.0.0.1", now: Self.start + 59.5) == 1)
        #expect(throttle.retryAfter("10.0.0.1", now: Self.start + 60) == nil)
        #expect(throttle.retryAfter("10.0.0.2", now: Self.start + 25) == nil)
        // One more failure at 61 s: three within the window again (10, 20, 61).
        throttle.recordFailure("10.0.0.1", now: Self.start + 61)
        #expect(throttle.retryAfter("10.0.0.1", now: Self.start + 61) == 9)
    }

    @Test func zeroTurnsTheLimitOff() {
        let throttle = AuthenticationThrottle(limit: 0)
        for _ in 0..<100 { throttle.recordFailure("10.0.0.1", now: Self.start) }
        #expect(throttle.retryAfter("10.0.0.1", now: Self.start) == nil)
    }

    @Test func manyAddressesDoNotGrowWithoutBound() {
        let throttle = AuthenticationThrottle(limit: 1, window: 60)
        for index in 0..<(AuthenticationThrottle.addressLimit + 10) {
            throttle.recordFailure("addr-\(index)", now: Self.start)
        }
        // The table was cleared when it filled; the newest addresses are still limited.
        #expect(throttle.retryAfter("addr-\(AuthenticationThrottle.addressLimit + 9)", now: Self.start) == 60)
    }
}
