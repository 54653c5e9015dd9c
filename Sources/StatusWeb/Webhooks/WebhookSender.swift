import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPServer
import Logging
import StatusCore

/// Delivers the webhook outbox on a thread of its own, so a staff request never waits for a
/// subscriber.
///
/// Each round takes every subscriber's oldest due delivery, fixes its body at the first
/// attempt (so every retry sends the same signed bytes), POSTs them all at once and records
/// each outcome. A 2xx answer is a delivery; anything else (another status, a redirect, a
/// refused connection, a timeout) is retried after `firstRetry`, doubling each time up to
/// `maximumRetry`, until 24 hours after the change, then abandoned. The sender wakes after
/// every write and when the next retry falls due; the outbox is in the database, so a
/// restart resumes where it stopped. Delivery is at least once: a crash between an attempt
/// and its record repeats it, and receivers can tell by `X-Warta-Delivery`.
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
            min(maximumRetry, firstRetry * pow(2, Double(min(max(attempt - 1, 0), 40))))
        }
    }

    /// What the sender has done since it started, for `/metrics`.
    public struct Counts: Sendable {
        public var delivered = 0
        public var failedAttempts = 0
        public var abandoned = 0
    }

    private let store: Store
    private let policy: Policy
    private let log = Logger(label: "warta.webhooks")
    private let session: URLSession
    private let condition = NSCondition()
    private var woken = false
    private var stopped = false
    private var counts = Counts()

    public init(store: Store, policy: Policy = Policy()) {
        self.store = store
        self.policy = policy
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.timeout
        configuration.timeoutIntervalForResource = policy.timeout
        configuration.httpMaximumConnectionsPerHost = 4
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration, delegate: RefuseRedirects(), delegateQueue: nil)
    }

    public var statistics: Counts {
        condition.lock()
        defer { condition.unlock() }
        return counts
    }

    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "webhooks"
        thread.start()
    }

    /// Asks for a round now (after a write queued deliveries).
    public func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            let isStopped = stopped
            woken = false
            condition.unlock()
            if isStopped { return }

            var wait: TimeInterval = 60
            do {
                let sent = try round(now: Date())
                if sent > 0 { continue }
                if let next = try store.nextWebhookAttempt() { wait = min(wait, next.timeIntervalSinceNow) }
            } catch {
                log.error("webhook round failed", metadata: ["error": "\(error)"])
            }
            condition.lock()
            if !woken && !stopped && wait > 0 {
                _ = condition.wait(until: Date().addingTimeInterval(wait))
            }
            condition.unlock()
        }
    }

    /// Attempts every due delivery; returns how many it attempted.
    private func round(now: Date) throws -> Int {
        let due = try store.dueWebhookDeliveries(now: now)
        guard !due.isEmpty else { return 0 }
        var representation: V2Representation?
        let group = DispatchGroup()
        for delivery in due {
            var body = delivery.body.map { Array($0.utf8) }
            if body == nil {
                if representation == nil { representation = V2Representation(state: try store.state(now: now), now: now) }
                body = try representation?.webhookBody(for: delivery, store: store)
                if let body { try store.setWebhookBody(deliveryID: delivery.id, body: String(decoding: body, as: UTF8.self)) }
            }
            guard let body else {
                record(delivery, error: "what it reports (\(delivery.subjectID)) was deleted", retryAt: .distantFuture)
                continue
            }
            group.enter()
            post(body, for: delivery) { [self] error in
                defer { group.leave() }
                let retryAt = Date().addingTimeInterval(policy.delay(afterAttempt: delivery.attempts + 1))
                record(delivery, error: error, retryAt: retryAt)
            }
        }
        group.wait()
        return due.count
    }

    private func post(_ body: [UInt8], for delivery: WebhookDelivery, completion: @escaping @Sendable (String?) -> Void) {
        guard let url = URL(string: delivery.endpoint) else {
            completion("the endpoint is not a URL")
            return
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: policy.timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Warta/\(Version.current)", forHTTPHeaderField: "User-Agent")
        request.setValue(delivery.event.rawValue, forHTTPHeaderField: "X-Warta-Event")
        request.setValue(delivery.eventID, forHTTPHeaderField: "X-Warta-Event-Id")
        request.setValue(String(delivery.id), forHTTPHeaderField: "X-Warta-Delivery")
        request.setValue(WebhookSignature.sign(body, secret: delivery.secret), forHTTPHeaderField: "X-Warta-Signature")
        session.dataTask(with: request) { _, response, error in
            if let error {
                completion(error.localizedDescription)
            } else if let status = (response as? HTTPURLResponse)?.statusCode, !(200..<300).contains(status) {
                completion("HTTP \(status)")
            } else {
                completion(nil)
            }
        }.resume()
    }

    private func record(_ delivery: WebhookDelivery, error: String?, retryAt: Date) {
        let now = Date()
        let abandoned = error != nil && retryAt.timeIntervalSince(delivery.createdAt) > Store.webhookRetryPeriod
        do {
            try store.recordWebhookAttempt(deliveryID: delivery.id, error: error, retryAt: retryAt, now: now)
        } catch {
            log.error("webhook record failed", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        condition.lock()
        if error == nil { counts.delivered += 1 } else { counts.failedAttempts += 1 }
        if abandoned { counts.abandoned += 1 }
        condition.unlock()
        var metadata: Logger.Metadata = [
            "delivery": "\(delivery.id)", "subscriber": "\(delivery.subscriberID)", "kind": "\(delivery.event.rawValue)",
            "attempt": "\(delivery.attempts + 1)",
            "outcome": "\(error == nil ? "delivered" : abandoned ? "abandoned" : "failed")",
        ]
        if let error { metadata["error"] = "\(error)" }
        log.log(level: error == nil ? .info : .warning, "webhook", metadata: metadata)
    }
}

/// A webhook endpoint is the URL the subscriber registered; a redirect elsewhere is a failed
/// delivery, not a new destination.
private final class RefuseRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
