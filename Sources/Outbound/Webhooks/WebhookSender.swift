import Dispatch
import Foundation
import Logging
import StatusCore

/// Delivers the webhook outbox on a thread of its own, so a staff request never waits for a
/// subscriber.
///
/// Each round takes every subscriber's oldest due delivery, fixes its body at the first
/// attempt (so every retry sends the same signed bytes), POSTs them all at once and records
/// each outcome. A 2xx answer is a delivery; anything else (another status, a redirect, a
/// refused connection, a timeout, a destination the `DestinationPolicy` refuses) is retried
/// after `firstRetry`, doubling each time up to `maximumRetry`, until 24 hours after the
/// change, then abandoned. The sender wakes after every write and when the next retry falls
/// due; the outbox is in the database, so a restart resumes where it stopped. Delivery is at
/// least once: a crash between an attempt and its record repeats it, and receivers can tell
/// by `X-Warta-Delivery`.
///
/// Every time it reads (what is due, when to retry) comes from the injected clock: tests
/// drive a `ManualClock` and call `deliverDue()` instead of waiting for real retries.
public final class WebhookSender: @unchecked Sendable {
    public struct Policy: Sendable {
        /// The wait before the first retry.
        public var firstRetry: TimeInterval
        /// The longest wait between retries.
        public var maximumRetry: TimeInterval
        /// How long one attempt may take.
        public var timeout: TimeInterval

        public init(firstRetry: TimeInterval = 30, maximumRetry: TimeInterval = 3600, timeout: TimeInterval = 10) {
            self.firstRetry = firstRetry
            self.maximumRetry = maximumRetry
            self.timeout = timeout
        }

        /// The wait after the attempt numbered `attempt` (1 for the first) failed.
        public func delay(afterAttempt attempt: Int) -> TimeInterval {
            OutboxThread.backoff(afterAttempt: attempt, first: firstRetry, maximum: maximumRetry)
        }
    }

    /// What the sender has done since it started, for `/metrics`.
    public struct Counts: Sendable {
        public var delivered = 0
        public var failedAttempts = 0
        public var abandoned = 0
    }

    private let store: Store
    private let renderer: any WebhookPayloadRenderer
    private let destinations: DestinationPolicy
    private let proxy: String?
    private let clock: any WallClock
    private let policy: Policy
    private let log = Logger(label: "warta.webhooks")
    private let thread = OutboxThread(name: "webhooks")
    /// Guards `counts`.
    private let lock = NSLock()
    private var counts = Counts()

    /// - Parameters:
    ///   - renderer: writes each delivery's body before its first attempt.
    ///   - destinations: the addresses deliveries may connect to; `.publicOnly` unless the
    ///     operator allows receivers inside the network.
    ///   - proxy: an HTTP proxy every delivery goes through (see `HTTPPost.send`); nil: direct.
    public init(store: Store, renderer: any WebhookPayloadRenderer, destinations: DestinationPolicy = .publicOnly,
                proxy: String? = nil, clock: any WallClock = SystemClock(), policy: Policy = Policy()) {
        self.store = store
        self.renderer = renderer
        self.destinations = destinations
        self.proxy = proxy
        self.clock = clock
        self.policy = policy
    }

    public var statistics: Counts {
        lock.withLock { counts }
    }

    public func start() {
        thread.start { [self] in
            do {
                if try deliverDue() > 0 { return 0 }
                return try store.nextWebhookAttempt().map { $0.timeIntervalSince(clock.now()) } ?? OutboxThread.longestWait
            } catch {
                log.error("webhook round failed", metadata: ["error": "\(error)"])
                return OutboxThread.longestWait
            }
        }
    }

    /// Asks for a round now (after a write queued deliveries).
    public func wake() {
        thread.wake()
    }

    public func stop() {
        thread.stop()
    }

    /// One round at the clock's current time: attempts every delivery due, waits for all of
    /// them, records each outcome; returns how many it attempted.
    @discardableResult
    public func deliverDue() throws -> Int {
        let now = clock.now()
        let due = try store.dueWebhookDeliveries(now: now)
        guard !due.isEmpty else { return 0 }
        let unrendered = due.filter { $0.body == nil }
        let rendered = unrendered.isEmpty ? [:] : try renderer.bodies(for: unrendered, now: now)
        var sending: [(delivery: WebhookDelivery, post: HTTPPost)] = []
        for delivery in due {
            var body = delivery.body.map { Array($0.utf8) }
            if body == nil, let fresh = rendered[delivery.id] {
                try store.setWebhookBody(deliveryID: delivery.id, body: String(decoding: fresh, as: UTF8.self))
                body = fresh
            }
            guard let body else {
                record(delivery, error: "what it reports (\(delivery.subjectID)) was deleted", retryAt: .distantFuture)
                continue
            }
            sending.append((delivery, Self.post(body, for: delivery)))
        }
        let outcomes = HTTPPost.send(sending.map(\.post), destinations: destinations, proxy: proxy,
                                     timeout: policy.timeout)
        for ((delivery, _), outcome) in zip(sending, outcomes) {
            var failure: OutboundFailure?
            switch outcome {
            case .success(let status) where (200..<300).contains(status): failure = nil
            case .success(let status): failure = .status(status)
            case .failure(let error): failure = error
            }
            let retryAt = clock.now().addingTimeInterval(policy.delay(afterAttempt: delivery.attempts + 1))
            record(delivery, error: failure?.description, retryAt: retryAt)
        }
        return due.count
    }

    private static func post(_ body: [UInt8], for delivery: WebhookDelivery) -> HTTPPost {
        HTTPPost(url: delivery.endpoint, headers: [
            ("Content-Type", "application/json"),
            ("User-Agent", "Warta/\(Version.current)"),
            ("X-Warta-Event", delivery.event.rawValue),
            ("X-Warta-Event-Id", delivery.eventID),
            ("X-Warta-Delivery", String(delivery.id)),
            ("X-Warta-Signature", WebhookSignature.sign(body, secret: delivery.secret)),
        ], body: body)
    }

    private func record(_ delivery: WebhookDelivery, error: String?, retryAt: Date) {
        let now = clock.now()
        let abandoned = error != nil && retryAt.timeIntervalSince(delivery.createdAt) > Store.webhookRetryPeriod
        do {
            try store.recordWebhookAttempt(deliveryID: delivery.id, error: error, retryAt: retryAt, now: now)
        } catch {
            log.error("webhook record failed", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        lock.withLock {
            if error == nil { counts.delivered += 1 } else { counts.failedAttempts += 1 }
            if abandoned { counts.abandoned += 1 }
        }
        var metadata: Logger.Metadata = [
            "delivery": "\(delivery.id)", "subscriber": "\(delivery.subscriberID)", "kind": "\(delivery.event.rawValue)",
            "attempt": "\(delivery.attempts + 1)",
            "outcome": "\(error == nil ? "delivered" : abandoned ? "abandoned" : "failed")",
        ]
        if let error { metadata["error"] = "\(error)" }
        log.log(level: error == nil ? .info : .warning, "webhook", metadata: metadata)
    }
}
