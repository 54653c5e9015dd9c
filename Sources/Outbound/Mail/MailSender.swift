import Dispatch
import Foundation
import Logging
import StatusCore

/// Drains the mail outbox on a thread of its own, so a staff request never waits for mail.
///
/// Each round, at the injected clock's time:
/// 1. deletes the sign-ups whose confirmation period ran out;
/// 2. fixes the text of every event older than the coalescing window (updates to one incident
///    posted within it have joined the event by then, so they go out as one mail);
/// 3. gives the recipients of fixed events their deliveries, a chunk at a time;
/// 4. hands up to a round's worth of due mails to the relay, over one reused connection, and
///    records each outcome: a 4xx reply, no connection or a timeout is retried after
///    `firstRetry`, doubling up to `maximumRetry`, for 24 hours; a 5xx reply is not retried
///    and counts toward the address's quarantine.
///
/// The thread paces itself to `rate` mails a second, wakes after every write and when the
/// next retry or event falls due. Tests drive a `ManualClock` and call `sendDue()`.
public final class MailSender: @unchecked Sendable {
    public struct Policy: Sendable {
        /// Mails handed to the relay per second, at most.
        public var rate: Double
        /// How long an event waits for more updates to the same incident.
        public var coalesce: TimeInterval
        /// The wait before the first retry.
        public var firstRetry: TimeInterval
        /// The longest wait between retries.
        public var maximumRetry: TimeInterval

        public init(rate: Double = 10, coalesce: TimeInterval = 60, firstRetry: TimeInterval = 60,
                    maximumRetry: TimeInterval = 3600) {
            self.rate = rate
            self.coalesce = coalesce
            self.firstRetry = firstRetry
            self.maximumRetry = maximumRetry
        }

        /// The wait after the attempt numbered `attempt` (1 for the first) failed.
        public func delay(afterAttempt attempt: Int) -> TimeInterval {
            OutboxThread.backoff(afterAttempt: attempt, first: firstRetry, maximum: maximumRetry)
        }

        /// A round's length and how many mails it may send: a second and `rate` mails, or for
        /// a rate under one a mail every 1/`rate` seconds.
        var round: (seconds: TimeInterval, mails: Int) {
            let seconds = max(1, 1 / rate)
            return (seconds, max(1, Int((rate * seconds).rounded(.down))))
        }
    }

    /// Who the mail is from: `--mail-from`, `Name <address>` or a bare address (the page's
    /// name is then the display name).
    public struct Sender: Sendable, Equatable {
        public var name: String?
        public var address: String

        /// Parses `Status Imigrasi <status@imigrasi.example>` or `status@imigrasi.example`.
        /// - Throws: `MailSenderError` naming what is wrong.
        public init(_ text: String) throws {
            var name: String?
            var address = text.trimmingCharacters(in: .whitespaces)
            if address.hasSuffix(">"), let open = address.lastIndex(of: "<") {
                let display = address[..<open].trimmingCharacters(in: .whitespaces)
                name = display.isEmpty ? nil : display.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                address = String(address[address.index(after: open)..<address.index(before: address.endIndex)])
            }
            if let problem = MailAddress.problem(with: address) {
                throw MailSenderError("--mail-from \(text): \(problem)")
            }
            if let name, name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                throw MailSenderError("--mail-from: the display name cannot hold a control character")
            }
            self.name = name
            self.address = address
        }

        /// The part after `@`: the domain of every Message-ID.
        var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }
    }

    /// What the sender has done since it started, for `/metrics`.
    public struct Counts: Sendable {
        public var sent = 0
        public var failedAttempts = 0
        public var givenUp = 0
        public var quarantined = 0
    }

    private let store: Store
    private let renderer: any MailRenderer
    private let relay: SMTPRelay
    private let sender: Sender
    private let baseURL: String
    private let clock: any WallClock
    private let policy: Policy
    private let log = Logger(label: "warta.mail")
    private let thread = OutboxThread(name: "mail")
    /// Guards `counts` and `session`.
    private let lock = NSLock()
    private var counts = Counts()
    /// The relay connection, kept between rounds (libcurl reconnects when it was closed).
    private var session: SMTPSession?

    /// RFC 8058 one-click unsubscribing needs an https URL: with an http base URL (a trial
    /// on one machine) mails carry the links in their text only.
    private var oneClick: Bool { baseURL.lowercased().hasPrefix("https://") }

    /// - Parameters:
    ///   - baseURL: the site's public URL, without a trailing slash: the start of every link.
    public init(store: Store, renderer: any MailRenderer, relay: SMTPRelay, sender: Sender, baseURL: String,
                clock: any WallClock = SystemClock(), policy: Policy = Policy()) {
        self.store = store
        self.renderer = renderer
        self.relay = relay
        self.sender = sender
        self.baseURL = baseURL
        self.clock = clock
        self.policy = policy
    }

    public var statistics: Counts {
        lock.withLock { counts }
    }

    public func start() {
        let round = policy.round
        thread.start { [self] in
            let started = Date()
            do {
                // Paced: a round's mails, then the rest of the round.
                if try sendDue(limit: round.mails) > 0 { return round.seconds - Date().timeIntervalSince(started) }
                return try nextWork().map { $0.timeIntervalSince(clock.now()) } ?? OutboxThread.longestWait
            } catch {
                log.error("mail round failed", metadata: ["error": "\(error)"])
                return OutboxThread.longestWait
            }
        }
    }

    /// Asks for a round now (after a write queued mail).
    public func wake() {
        thread.wake()
    }

    public func stop() {
        thread.stop()
    }

    /// When there is next something to do: a retry, an event's coalescing window ending, a
    /// sign-up expiring.
    private func nextWork() throws -> Date? {
        let now = clock.now()
        return [try store.nextMailAttempt(now: now),
                try store.oldestUnfixedMailEvent()?.addingTimeInterval(policy.coalesce),
                try store.nextSignUpExpiry()].compactMap { $0 }.min()
    }

    /// One round at the clock's current time (see the type's summary); returns how many mails
    /// it attempted, at most `limit`. Outcomes are recorded every `recordEvery` mails, so a
    /// crash repeats at most that many.
    @discardableResult
    public func sendDue(limit: Int = 100) throws -> Int {
        let now = clock.now()
        let expired = try store.deleteExpiredSignUps(now: now)
        if expired > 0 { log.info("unconfirmed sign-ups deleted", metadata: ["count": "\(expired)"]) }
        for event in try store.unfixedMailEvents(createdBy: now.addingTimeInterval(-policy.coalesce)) {
            try store.fixMailEvent(id: event.id, content: try renderer.content(of: event, now: now), now: now)
        }
        var attempted = 0
        var pageName: String?
        while attempted < limit {
            let size = min(limit - attempted, Self.recordEvery)
            var due = try store.dueMailDeliveries(now: now, limit: size)
            while due.count < size, try store.fanOutMailEvents(now: now) > 0 {
                due = try store.dueMailDeliveries(now: now, limit: size)
            }
            guard !due.isEmpty else { break }
            if pageName == nil { pageName = try store.page().name }
            try send(due, pageName: pageName ?? "", now: now)
            attempted += due.count
        }
        return attempted
    }

    /// Mails recorded at once.
    static let recordEvery = 200

    private func send(_ due: [MailDelivery], pageName: String, now: Date) throws {
        let connection = lock.withLock {
            if let session { return session }
            let fresh = relay.session()
            session = fresh
            return fresh
        }
        var attempts: [(delivery: MailDelivery, outcome: MailAttemptOutcome, retryAt: Date)] = []
        for delivery in due {
            let outcome: MailAttemptOutcome
            do {
                let message = try self.message(for: delivery, pageName: pageName, now: now)
                switch connection.send(envelopeFrom: sender.address, recipient: delivery.subscriber.email,
                                    message: try message.rendered()) {
                case .sent: outcome = .sent
                case .temporary(_, let reason): outcome = .temporary(reason)
                case .permanent(_, let reason): outcome = .permanent(reason)
                }
            } catch {
                // The message could not be written: the server's settings, not the address,
                // so it is retried rather than counted against the subscriber.
                outcome = .temporary("not sent: \(error)")
            }
            let retryAt = clock.now().addingTimeInterval(policy.delay(afterAttempt: delivery.attempts + 1))
            attempts.append((delivery, outcome, retryAt))
        }
        let quarantined = try store.recordMailAttempts(attempts, now: clock.now())
        count(attempts, quarantined: quarantined.count)
    }

    /// The message one delivery sends: the content in the subscriber's language with its own
    /// links, threaded under the incident's first mail.
    func message(for delivery: MailDelivery, pageName: String, now: Date) throws -> MailMessage {
        let content: MailContent
        if let fixed = delivery.content {
            content = fixed
        } else {
            content = try renderer.personalContent(delivery.kind, for: delivery.subscriber, now: now)
        }
        let manage = baseURL + "/subscriptions/" + delivery.token
        let personal = content.personalised(manage: manage, unsubscribe: manage + "/unsubscribe")
        // One conversation per incident and subscriber: the first mail's id is known from
        // the incident alone, so later mails can refer to it even after a restart.
        var messageID = "warta.\(delivery.id).\(Store.randomHex(bytes: 8))@\(sender.domain)"
        var inReplyTo: String?
        if let event = delivery.event {
            let root = "incident.\(event.incidentID).\(delivery.subscriber.id)@\(sender.domain)"
            if event.opensThread {
                messageID = root
            } else {
                inReplyTo = root
            }
        }
        return MailMessage(
            fromName: sender.name ?? pageName, fromAddress: sender.address, to: delivery.subscriber.email,
            subject: personal.subject, date: now, messageID: messageID, inReplyTo: inReplyTo,
            references: inReplyTo.map { [$0] } ?? [], listUnsubscribe: oneClick ? manage + "/unsubscribe" : nil,
            text: personal.text, html: personal.html, language: delivery.subscriber.language)
    }

    private func count(_ attempts: [(delivery: MailDelivery, outcome: MailAttemptOutcome, retryAt: Date)],
                       quarantined: Int) {
        lock.withLock {
            for attempt in attempts {
                switch attempt.outcome {
                case .sent: counts.sent += 1
                case .temporary:
                    counts.failedAttempts += 1
                    if attempt.retryAt.timeIntervalSince(attempt.delivery.createdAt) > Store.mailRetryPeriod {
                        counts.givenUp += 1
                    }
                case .permanent:
                    counts.failedAttempts += 1
                    counts.givenUp += 1
                }
            }
            counts.quarantined += quarantined
        }
        for (delivery, outcome, _) in attempts {
            // Never the address: the subscriber's id says who, to someone who may know.
            var metadata: Logger.Metadata = [
                "delivery": "\(delivery.id)", "subscriber": "\(delivery.subscriber.id)", "kind": "\(delivery.kind.rawValue)",
                "attempt": "\(delivery.attempts + 1)",
            ]
            switch outcome {
            case .sent: metadata["outcome"] = "sent"
            case .temporary(let reason):
                metadata["outcome"] = "retry"
                metadata["error"] = "\(reason)"
            case .permanent(let reason):
                metadata["outcome"] = "refused"
                metadata["error"] = "\(reason)"
            }
            log.log(level: outcome == .sent ? .info : .warning, "mail", metadata: metadata)
        }
    }
}

/// A configuration the sender cannot work with, in words for the operator.
public struct MailSenderError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
