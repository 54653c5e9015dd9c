import Foundation
import StatusCore
import Testing
@testable import StatusWeb

/// The limit on failed authentication, on a clock the test moves.
@Suite struct AuthenticationThrottleTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func limitedAfterTheLimitUntilTheOldestFailureLeavesTheWindow() {
        let clock = ManualClock(Self.start)
        let throttle = AuthenticationThrottle(limit: 3, window: 60, clock: clock)
        for _ in 0..<3 {
            #expect(throttle.retryAfter("10.0.0.1") == nil)
            throttle.recordFailure("10.0.0.1")
            clock.advance(by: 10)
        }
        // Failures at 0, 10 and 20 s: limited until the first is 60 s old.
        clock.set(Self.start + 25)
        #expect(throttle.retryAfter("10.0.0.1") == 35)
        clock.set(Self.start + 59.5)
        #expect(throttle.retryAfter("10.0.0.1") == 1)
        clock.set(Self.start + 60)
        #expect(throttle.retryAfter("10.0.0.1") == nil)
        clock.set(Self.start + 25)
        #expect(throttle.retryAfter("10.0.0.2") == nil)
        // One more failure at 61 s: three within the window again (10, 20, 61).
        clock.set(Self.start + 61)
        throttle.recordFailure("10.0.0.1")
        #expect(throttle.retryAfter("10.0.0.1") == 9)
    }

    @Test func zeroTurnsTheLimitOff() {
        let throttle = AuthenticationThrottle(limit: 0, clock: ManualClock(Self.start))
        for _ in 0..<100 { throttle.recordFailure("10.0.0.1") }
        #expect(throttle.retryAfter("10.0.0.1") == nil)
    }

    @Test func manyAddressesDoNotGrowWithoutBound() {
        let throttle = AuthenticationThrottle(limit: 1, window: 60, clock: ManualClock(Self.start))
        for index in 0..<(AuthenticationThrottle.addressLimit + 10) {
            throttle.recordFailure("addr-\(index)")
        }
        // The table was cleared when it filled; the newest addresses are still limited.
        #expect(throttle.retryAfter("addr-\(AuthenticationThrottle.addressLimit + 9)") == 60)
    }
}
