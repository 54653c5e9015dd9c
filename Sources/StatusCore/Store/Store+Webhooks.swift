import Crypto
import Foundation
import SQLite

// Webhook subscribers and their outbox. A change's deliveries are inserted in the change's own
// transaction (`enqueueWebhook`), one row per subscriber; the sender (Outbound's
// `WebhookSender`) reads what is due, fixes each body at its first attempt and records the
// outcome. Everything lives in the database, so a restart loses nothing and a crash between
// an attempt and its record only repeats that attempt.

/// A webhook subscriber, as the management API shows it. The secret is shown once, when the
/// subscriber is created.
public struct WebhookSubscriber: Sendable, Equatable {
    public let id: String
    public let endpoint: String
    public let createdAt: Date
    /// Deliveries neither made nor abandoned yet.
    public let pendingDeliveries: Int
    /// The last failed attempt's error, while deliveries are pending.
    public let lastError: String?
    /// The events it is told of, in `WebhookDelivery.Event`'s order.
    public let events: [WebhookDelivery.Event]
}

/// One delivery the sender should attempt now.
public struct WebhookDelivery: Sendable, Equatable {
    public enum Event: String, CaseIterable, Sendable {
        case incident, componentUpdate = "component_update"
        /// A check's verdict changed: for staff, only to subscribers that ask for it.
        case check

        /// What a subscriber that names no events is told of: what every subscriber was told
        /// of before it could choose.
        public static let defaultSubscription: [Event] = [.incident, .componentUpdate]
    }

    public let id: Int64
    public let subscriberID: String
    public let endpoint: String
    public let secret: String
    public let eventID: String
    public let event: Event
    /// The incident's or the component's id.
    public let subjectID: String
    /// For a component update: the status before and after.
    public let oldStatus: String?
    public let newStatus: String?
    /// For a check event: the facts at the change (JSON: name, component_id, state, since,
    /// locations).
    public let detail: String?
    public let createdAt: Date
    /// The payload fixed at the first attempt; nil before it.
    public let body: String?
    /// Attempts made so far.
    public let attempts: Int

    /// For a check event: the verdict as it was at the change; nil for other events.
    public var checkEvent: CheckEvent? {
        event == .check ? detail.flatMap(CheckEvent.init(detail:)) : nil
    }
}

extension Store {
    /// The longest an endpoint URL may be.
    public static let maximumEndpointLength = 2048

    /// How long a delivery is retried before it is abandoned.
    public static let webhookRetryPeriod: TimeInterval = 24 * 60 * 60

    /// Registers a webhook told of `events`; returns it and its signing secret (64 hex digits,
    /// 256 random bits), which is not shown again.
    ///
    /// These are the endpoint's syntax rules. Where it may lead (not inside the server's
    /// network, unless the operator allows it) is Outbound's `DestinationPolicy`, which the
    /// management API applies before calling this and the sender at every delivery.
    ///
    /// - Throws: `ValidationError` (`.subscriber(.endpoint)`): not an absolute `https` or `http`
    ///   URL with a host and a port from 1 to 65535 if any; with user information or a
    ///   fragment; not printable ASCII (a host in punycode, a path percent-encoded); or over
    ///   2,048 characters. (`.subscriber(.events)`): no event at all.
    public func createWebhookSubscriber(endpoint: String,
                                        events: [WebhookDelivery.Event] = WebhookDelivery.Event.defaultSubscription,
                                        by actor: Actor, now: Date) throws
        -> (subscriber: WebhookSubscriber, secret: String) {
        try Self.validateEndpoint(endpoint)
        guard !events.isEmpty else {
            throw ValidationError.invalid(.subscriber(.events), "A subscriber must be told of at least one event.")
        }
        // Stored in one order, once each, so equal choices are equal text.
        let chosen = WebhookDelivery.Event.allCases.filter(events.contains).map(\.rawValue)
        let secret = Self.randomHex(bytes: 32)
        let id = Identifier.make()
        try write { database in
            try database.execute(
                "INSERT INTO webhook_subscribers (id, endpoint, secret, events, created_at) VALUES (?, ?, ?, ?, ?)",
                [id, endpoint, secret, StoredJSON.array(chosen), Timestamp.format(now)])
            try Self.audit(database, by: actor, action: "subscriber.create", targetType: "subscriber", targetID: id,
                           detail: AuditDetail(name: endpoint), now: now)
        }
        return (try webhookSubscriber(id: id), secret)
    }

    /// Every subscriber, oldest first.
    public func webhookSubscribers() throws -> [WebhookSubscriber] {
        try withReader { database in
            try RowReader.readers(database.query(Self.subscriberQuery + " ORDER BY s.created_at, s.id"))
                .map(Self.subscriber(from:))
        }
    }

    /// - Throws: `ValidationError.notFound` (`.subscriber(.identity)`).
    public func webhookSubscriber(id: String) throws -> WebhookSubscriber {
        try withReader { database in
            guard let row = try database.queryOne(Self.subscriberQuery + " WHERE s.id = ?", [id]) else {
                throw ValidationError.notFound(.subscriber(.identity), "No subscriber has the id '\(id)'.")
            }
            return try Self.subscriber(from: RowReader(row))
        }
    }

    /// Removes a subscriber and its pending deliveries; returns it as it was.
    ///
    /// - Throws: `ValidationError.notFound` (`.subscriber(.identity)`).
    public func deleteWebhookSubscriber(id: String, by actor: Actor, now: Date) throws -> WebhookSubscriber {
        let subscriber = try webhookSubscriber(id: id)
        try write { database in
            try database.execute("DELETE FROM webhook_subscribers WHERE id = ?", [id])
            guard database.changes > 0 else {
                throw ValidationError.notFound(.subscriber(.identity), "No subscriber has the id '\(id)'.")
            }
            try Self.audit(database, by: actor, action: "subscriber.delete", targetType: "subscriber", targetID: id,
                           detail: AuditDetail(name: subscriber.endpoint), now: now)
        }
        return subscriber
    }

    // MARK: The sender's side

    /// Each subscriber's oldest pending delivery, if it is due at `now`: a subscriber gets
    /// its events in order, and one that is down holds back only its own.
    public func dueWebhookDeliveries(now: Date, limit: Int = 64) throws -> [WebhookDelivery] {
        try withDatabase { database in
            try RowReader.readers(database.query("""
                SELECT d.*, s.endpoint, s.secret FROM webhook_deliveries d
                JOIN webhook_subscribers s ON s.id = d.subscriber_id
                WHERE d.id IN (SELECT min(id) FROM webhook_deliveries
                               WHERE delivered_at IS NULL AND abandoned_at IS NULL GROUP BY subscriber_id)
                  AND d.next_attempt_at <= ?
                ORDER BY d.id LIMIT ?
                """, [Timestamp.format(now), limit])).map { row in
                WebhookDelivery(
                    id: try row.int64("id"), subscriberID: try row.string("subscriber_id"),
                    endpoint: try row.string("endpoint"), secret: try row.string("secret"),
                    eventID: try row.string("event_id"),
                    event: WebhookDelivery.Event(rawValue: try row.string("event")) ?? .incident,
                    subjectID: try row.string("subject_id"), oldStatus: try row.optionalString("old_status"),
                    newStatus: try row.optionalString("new_status"), detail: try row.optionalString("detail"),
                    createdAt: try row.date("created_at"),
                    body: try row.optionalString("body"), attempts: try row.int("attempts"))
            }
        }
    }

    /// When the next delivery `dueWebhookDeliveries` would return falls due (a delivery
    /// queued behind another of its subscriber's waits for that one); nil when none is pending.
    public func nextWebhookAttempt() throws -> Date? {
        try withDatabase { database in
            let row = try database.queryOne("""
                SELECT min(next_attempt_at) AS due FROM webhook_deliveries
                WHERE id IN (SELECT min(id) FROM webhook_deliveries
                             WHERE delivered_at IS NULL AND abandoned_at IS NULL GROUP BY subscriber_id)
                """)
            return try row.flatMap { try RowReader($0).optionalDate("due") }
        }
    }

    /// Deliveries neither made nor abandoned: the queue depth `/metrics` reports.
    public func pendingWebhookDeliveries() throws -> Int {
        try withReader { database in
            let row = try database.queryOne(
                "SELECT count(*) AS n FROM webhook_deliveries WHERE delivered_at IS NULL AND abandoned_at IS NULL")
            return try row.map { try RowReader($0).int("n") } ?? 0
        }
    }

    /// Fixes a delivery's payload before its first attempt, so retries send the same bytes.
    public func setWebhookBody(deliveryID: Int64, body: String) throws {
        try write { database in
            try database.execute("UPDATE webhook_deliveries SET body = ? WHERE id = ? AND body IS NULL",
                                 [body, deliveryID])
        }
    }

    /// Records an attempt. A failure is retried at `retryAt`, or abandoned when that is more
    /// than `webhookRetryPeriod` after the event.
    public func recordWebhookAttempt(deliveryID: Int64, error: String?, retryAt: Date, now: Date) throws {
        try write { database in
            guard let row = try database.queryOne("SELECT created_at FROM webhook_deliveries WHERE id = ?", [deliveryID])
            else { return }  // The subscriber was deleted meanwhile.
            let createdAt = try RowReader(row).date("created_at")
            let timestamp = Timestamp.format(now)
            if let error {
                let abandon = retryAt.timeIntervalSince(createdAt) > Self.webhookRetryPeriod
                try database.execute("""
                    UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?, last_error = ?,
                        next_attempt_at = ?, abandoned_at = ? WHERE id = ?
                    """, [timestamp, String(error.prefix(500)), Timestamp.format(retryAt), abandon ? timestamp : nil,
                          deliveryID])
            } else {
                try database.execute("""
                    UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?, last_error = NULL,
                        delivered_at = ? WHERE id = ?
                    """, [timestamp, timestamp, deliveryID])
            }
        }
    }

    // MARK: Inside writes

    /// Queues `event` for every subscriber that asked for it, in the caller's transaction.
    static func enqueueWebhook(_ database: Database, event: WebhookDelivery.Event, subjectID: String,
                               oldStatus: String? = nil, newStatus: String? = nil, detail: String? = nil,
                               now: Date) throws {
        let timestamp = Timestamp.format(now)
        try database.execute("""
            INSERT INTO webhook_deliveries (subscriber_id, event_id, event, subject_id, old_status, new_status,
                detail, created_at, next_attempt_at)
            SELECT id, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7 FROM webhook_subscribers
            WHERE EXISTS (SELECT 1 FROM json_each(events) WHERE value = ?2)
            """, [Identifier.make(), event.rawValue, subjectID, oldStatus, newStatus, detail, timestamp])
    }

    static func validateEndpoint(_ endpoint: String) throws {
        let field = ValidationError.Field.subscriber(.endpoint)
        guard endpoint.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            throw ValidationError.invalid(
                field, "An endpoint must be printable ASCII without spaces: a host in punycode, a path percent-encoded.")
        }
        guard endpoint.utf8.count <= maximumEndpointLength else {
            throw ValidationError.invalid(field, "An endpoint must be at most \(maximumEndpointLength) characters.")
        }
        guard let components = URLComponents(string: endpoint),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host, !host.isEmpty
        else {
            throw ValidationError.invalid(field, "An endpoint must be an absolute https:// (or http://) URL with a host.")
        }
        guard components.user == nil, components.password == nil, components.fragment == nil else {
            throw ValidationError.invalid(field, "An endpoint must not carry user information or a fragment.")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw ValidationError.invalid(field, "An endpoint's port must be from 1 to 65535, not \(port).")
        }
    }

    private static let subscriberQuery = """
        SELECT s.id, s.endpoint, s.events, s.created_at,
            (SELECT count(*) FROM webhook_deliveries d
             WHERE d.subscriber_id = s.id AND d.delivered_at IS NULL AND d.abandoned_at IS NULL) AS pending,
            (SELECT d.last_error FROM webhook_deliveries d
             WHERE d.subscriber_id = s.id AND d.delivered_at IS NULL AND d.abandoned_at IS NULL
             ORDER BY d.id LIMIT 1) AS last_error
        FROM webhook_subscribers s
        """

    private static func subscriber(from row: RowReader) throws -> WebhookSubscriber {
        let stored = (try? JSONDecoder().decode([String].self, from: Data(try row.string("events").utf8))) ?? []
        return WebhookSubscriber(id: try row.string("id"), endpoint: try row.string("endpoint"),
                                 createdAt: try row.date("created_at"), pendingDeliveries: try row.int("pending"),
                                 lastError: try row.optionalString("last_error"),
                                 events: WebhookDelivery.Event.allCases.filter { stored.contains($0.rawValue) })
    }
}

/// The signature of a webhook body: `sha256=` and the hex HMAC-SHA256 of the body's bytes,
/// keyed with the subscriber's secret as text. Receivers recompute it over the raw body.
public enum WebhookSignature {
    public static func sign(_ body: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }
}
