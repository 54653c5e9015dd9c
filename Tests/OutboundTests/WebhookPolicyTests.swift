import Outbound
import Testing

@Suite struct WebhookPolicyTests {
    @Test func waitsDoubleFromTheFirstRetryUpToTheMaximum() {
        let policy = WebhookSender.Policy(firstRetry: 30, maximumRetry: 3600)
        #expect((1...9).map { policy.delay(afterAttempt: $0) } == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600])
        // Far past any real count, still the maximum, never an overflow.
        #expect(policy.delay(afterAttempt: 10_000) == 3600)
    }
}
