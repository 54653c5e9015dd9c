import Foundation
import SQLite

// The mail outbox. A change that subscribers hear of writes one `mail_events` row in its own
// transaction (`enqueueIncidentMail`); the sender (Outbound's `MailSender`) fixes the mail's
// text when the event is due, gives each recipient a `mail_deliveries` row a chunk at a time,
// and records every attempt. All of it is in the database: a restart resumes, and a crash
// between an attempt and its record repeats only that attempt.

extension Store {
    /// How long a mail is retried before it is given up.
    public static let mailRetryPeriod: TimeInterval = 24 * 60 * 60
    /// How long before a maintenance window a reminder goes out.
    public static let reminderLead: TimeInterval = 60 * 60

    // MARK: Inside writes

    /// Queues the mail about an incident's update, in the caller's transaction. An event for
    /// the same incident whose mail is not yet fixed takes the update instead, so updates
    /// posted close together go out as one mail. Nothing is queued while no subscriber is
    /// confirmed: a relay configured later never sends stale news.
    static func enqueueIncidentMail(_ database: Database, incidentID: String, updateID: String, opensThread: Bool,
                                    now: Date) throws {
        guard try hasActiveMailSubscribers(database) else { return }
        if let row = try database.queryOne("""
            SELECT id FROM mail_events
            WHERE incident_id = ? AND kind = 'incident' AND content IS NULL AND dropped_at IS NULL
            ORDER BY id DESC LIMIT 1
            """, [incidentID]) {
            try database.execute("""
                UPDATE mail_events SET update_ids = json_insert(update_ids, '$[#]', ?) WHERE id = ?
                """, [updateID, try RowReader(row).int64("id")])
            return
        }
        try database.execute("""
            INSERT INTO mail_events (kind, incident_id, update_ids, opens_thread, created_at)
            VALUES ('incident', ?, json_array(?), ?, ?)
            """, [incidentID, updateID, opensThread, Timestamp.format(now)])
    }

    /// Queues the reminders of maintenances that open within `reminderLead` of `now` and ask
    /// for one; part of the clock path (`applyTimeDrivenChanges`).
    static func queueMaintenanceReminders(_ database: Database, now: Date) throws {
        let due = try database.query("""
            SELECT id FROM incidents
            WHERE is_maintenance = 1 AND status = 'scheduled' AND scheduled_remind_prior = 1
                AND scheduled_reminded_at IS NULL AND scheduled_for > ?1 AND scheduled_for <= ?2
            ORDER BY scheduled_for, rowid
            """, [Timestamp.format(now), Timestamp.format(now.addingTimeInterval(reminderLead))])
        for row in due {
            let id = try row.string("id")
            try database.execute("UPDATE incidents SET scheduled_reminded_at = ? WHERE id = ?", [Timestamp.format(now), id])
            guard try hasActiveMailSubscribers(database) else { continue }
            try database.execute(
                "INSERT INTO mail_events (kind, incident_id, created_at) VALUES ('reminder', ?, ?)", [id, Timestamp.format(now)])
        }
    }

    /// Whether anyone would be told: nothing is queued for no one.
    private static func hasActiveMailSubscribers(_ database: Database) throws -> Bool {
        try database.queryOne("SELECT 1 FROM mail_subscribers s WHERE \(condition(for: .active)) LIMIT 1") != nil
    }

    /// The next instant a reminder falls due, for the clock path.
    static func nextReminder(_ database: Database, after now: Date) throws -> Date? {
        let row = try database.queryOne("""
            SELECT min(scheduled_for) AS at FROM incidents
            WHERE is_maintenance = 1 AND status = 'scheduled' AND scheduled_remind_prior = 1
                AND scheduled_reminded_at IS NULL AND scheduled_for > ?
            """, [Timestamp.format(now.addingTimeInterval(reminderLead))])
        return try row.flatMap { try RowReader($0).optionalDate("at") }?.addingTimeInterval(-reminderLead)
    }

    // MARK: The sender's side

    /// Events whose mail should be fixed now: created at or before `createdBy` (the sender
    /// passes now minus its coalescing window), oldest first, and not yet fixed.
    public func unfixedMailEvents(createdBy: Date) throws -> [MailEvent] {
        try withDatabase { database in
            try RowReader.readers(database.query("""
                SELECT * FROM mail_events
                WHERE content IS NULL AND dropped_at IS NULL AND created_at <= ? ORDER BY id
                """, [Timestamp.format(createdBy)])).map(Self.mailEvent(from:))
        }
    }

    /// When the oldest unfixed event was created; nil when none is waiting.
    public func oldestUnfixedMailEvent() throws -> Date? {
        try withDatabase { database in
            let row = try database.queryOne(
                "SELECT min(created_at) AS at FROM mail_events WHERE content IS NULL AND dropped_at IS NULL")
            return try row.flatMap { try RowReader($0).optionalDate("at") }
        }
    }

    /// Fixes an event's mail: its content by language (`nil`: what it reports was deleted,
    /// so it is dropped). From then on no update joins it.
    public func fixMailEvent(id: Int64, content: [String: MailContent]?, now: Date) throws {
        try write { database in
            if let content {
                try database.execute("UPDATE mail_events SET content = ? WHERE id = ? AND content IS NULL",
                                     [StoredJSON.encode(content), id])
            } else {
                try database.execute("UPDATE mail_events SET dropped_at = ? WHERE id = ?", [Timestamp.format(now), id])
            }
        }
    }

    /// Gives up to `limit` more recipients of fixed events their deliveries, in one
    /// transaction; returns how many it gave, 0 when every fixed event has all of its. The
    /// recipients of an incident's mail are the active subscribers to all components, to one
    /// of the incident's components, or to any when the incident lists none. An event older
    /// than `mailRetryPeriod` is dropped: news that late would mislead.
    @discardableResult
    public func fanOutMailEvents(limit: Int = 2000, now: Date) throws -> Int {
        try write { database in
            let timestamp = Timestamp.format(now)
            while let row = try database.queryOne("""
                SELECT * FROM mail_events WHERE content IS NOT NULL AND fanned_out_at IS NULL AND dropped_at IS NULL
                ORDER BY id LIMIT 1
                """) {
                let reader = RowReader(row)
                let event = try Self.mailEvent(from: reader)
                if now.timeIntervalSince(event.createdAt) > Self.mailRetryPeriod {
                    try database.execute("UPDATE mail_events SET dropped_at = ? WHERE id = ?", [timestamp, event.id])
                    continue
                }
                let recipients = """
                    FROM mail_subscribers s
                    WHERE s.id > ?1 AND s.confirmed_at IS NOT NULL AND s.quarantined_at IS NULL
                      AND (s.all_components = 1
                           OR NOT EXISTS (SELECT 1 FROM incident_components i WHERE i.incident_id = ?2)
                           OR EXISTS (SELECT 1 FROM mail_subscriber_components c
                                      JOIN incident_components i ON i.component_id = c.component_id
                                      WHERE c.subscriber_id = s.id AND i.incident_id = ?2))
                    """
                let cursor = try reader.optionalString("fanned_to") ?? ""
                let last = try database.queryOne(
                    "SELECT max(id) AS last FROM (SELECT s.id \(recipients) ORDER BY s.id LIMIT ?3)",
                    [cursor, event.incidentID, limit]).flatMap { try RowReader($0).optionalString("last") }
                guard let last else {
                    try database.execute("UPDATE mail_events SET fanned_out_at = ? WHERE id = ?", [timestamp, event.id])
                    continue
                }
                try database.execute("""
                    INSERT OR IGNORE INTO mail_deliveries (subscriber_id, event_id, kind, created_at, next_attempt_at)
                    SELECT s.id, ?4, 'event', ?5, ?5 \(recipients) AND s.id <= ?3
                    """, [cursor, event.incidentID, last, event.id, timestamp])
                let given = database.changes
                try database.execute("UPDATE mail_events SET fanned_to = ? WHERE id = ?", [last, event.id])
                return max(given, 1)
            }
            return 0
        }
    }

    /// Deliveries due at `now`, at most `limit`: confirmations and notices first (a person
    /// waiting for a link should not wait behind a hundred thousand incident mails), then
    /// events' mails in the order they were queued.
    public func dueMailDeliveries(now: Date, limit: Int) throws -> [MailDelivery] {
        let key = try mailKey()
        return try withDatabase { database in
            var deliveries: [MailDelivery] = []
            var events: [Int64: (MailEvent, [String: MailContent])] = [:]
            for kinds in ["'confirmation', 'notice'", "'event'"] where deliveries.count < limit {
                let rows = try RowReader.readers(database.query("""
                    SELECT d.id AS delivery_id, d.kind AS delivery_kind, d.event_id, d.attempts,
                        d.created_at AS queued_at, s.*, '[]' AS chosen
                    FROM mail_deliveries d JOIN mail_subscribers s ON s.id = d.subscriber_id
                    WHERE d.kind IN (\(kinds)) AND d.sent_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= ?
                        AND s.quarantined_at IS NULL
                    ORDER BY d.id LIMIT ?
                    """, [Timestamp.format(now), limit - deliveries.count]))
                for row in rows {
                    let subscriber = try Self.mailSubscriber(from: row)
                    var event: MailEvent?
                    var content: MailContent?
                    if let eventID = try row.optionalInt64("event_id") {
                        if events[eventID] == nil, let eventRow = try database.queryOne(
                            "SELECT * FROM mail_events WHERE id = ?", [eventID]) {
                            let eventReader = RowReader(eventRow)
                            let contents = (try? JSONDecoder().decode(
                                [String: MailContent].self,
                                from: Data((try eventReader.optionalString("content") ?? "{}").utf8))) ?? [:]
                            events[eventID] = (try Self.mailEvent(from: eventReader), contents)
                        }
                        if let (fixed, contents) = events[eventID] {
                            event = fixed
                            content = contents[subscriber.language] ?? contents.values.first
                        }
                    }
                    deliveries.append(MailDelivery(
                        id: try row.int64("delivery_id"),
                        kind: MailDelivery.Kind(rawValue: try row.string("delivery_kind")) ?? .event,
                        subscriber: subscriber, token: subscriber.id + Self.subscriptionMAC(key: key, subscriber.id),
                        event: event, content: content, attempts: try row.int("attempts"),
                        createdAt: try row.date("queued_at")))
                }
            }
            return deliveries
        }
    }

    /// When the sender next has work: the earliest pending delivery's next attempt, or now
    /// when an event awaits its fan-out; nil when nothing is pending.
    public func nextMailAttempt(now: Date) throws -> Date? {
        try withDatabase { database in
            if try database.queryOne("""
                SELECT 1 FROM mail_events WHERE content IS NOT NULL AND fanned_out_at IS NULL AND dropped_at IS NULL LIMIT 1
                """) != nil { return now }
            let row = try database.queryOne("""
                SELECT min(next_attempt_at) AS at FROM mail_deliveries WHERE sent_at IS NULL AND failed_at IS NULL
                """)
            return try row.flatMap { try RowReader($0).optionalDate("at") }
        }
    }

    /// Mails neither sent nor given up: the queue depth `/metrics` reports.
    public func pendingMailDeliveries() throws -> Int {
        try withReader { database in
            let row = try database.queryOne(
                "SELECT count(*) AS n FROM mail_deliveries WHERE sent_at IS NULL AND failed_at IS NULL")
            return try row.map { try RowReader($0).int("n") } ?? 0
        }
    }

    /// Records attempts, in one transaction. A temporary failure is retried at its
    /// `retryAt`, or given up when that is over `mailRetryPeriod` after the mail was queued;
    /// a permanent one is given up at once and counts toward the address's quarantine
    /// (`quarantineAfter` in a row, which also gives up its other pending mail); a success
    /// resets that count. Returns the ids of subscribers quarantined now.
    @discardableResult
    public func recordMailAttempts(_ attempts: [(delivery: MailDelivery, outcome: MailAttemptOutcome, retryAt: Date)],
                                   now: Date) throws -> [String] {
        try write { database in
            let timestamp = Timestamp.format(now)
            var quarantined: [String] = []
            for (delivery, outcome, retryAt) in attempts {
                switch outcome {
                case .sent:
                    try database.execute("""
                        UPDATE mail_deliveries SET attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?
                        """, [timestamp, delivery.id])
                    try database.execute("UPDATE mail_subscribers SET hard_failures = 0 WHERE id = ?",
                                         [delivery.subscriber.id])
                case .temporary(let reason):
                    let giveUp = retryAt.timeIntervalSince(delivery.createdAt) > Self.mailRetryPeriod
                    try database.execute("""
                        UPDATE mail_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                            failed_at = ? WHERE id = ?
                        """, [String(reason.prefix(300)), Timestamp.format(retryAt), giveUp ? timestamp : nil, delivery.id])
                case .permanent(let reason):
                    try database.execute("""
                        UPDATE mail_deliveries SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?
                        """, [String(reason.prefix(300)), timestamp, delivery.id])
                    try database.execute("""
                        UPDATE mail_subscribers SET hard_failures = hard_failures + 1,
                            quarantined_at = CASE WHEN hard_failures + 1 >= ? THEN ? ELSE quarantined_at END
                        WHERE id = ? AND quarantined_at IS NULL
                        """, [Self.quarantineAfter, timestamp, delivery.subscriber.id])
                    if try database.queryOne("SELECT 1 FROM mail_subscribers WHERE id = ? AND quarantined_at = ?",
                                             [delivery.subscriber.id, timestamp]) != nil {
                        try database.execute("""
                            UPDATE mail_deliveries SET failed_at = ?, last_error = 'address quarantined'
                            WHERE subscriber_id = ? AND sent_at IS NULL AND failed_at IS NULL
                            """, [timestamp, delivery.subscriber.id])
                        try Self.audit(database, by: .system, action: "mail_subscriber.quarantine",
                                       targetType: "subscriber", targetID: delivery.subscriber.id,
                                       detail: AuditDetail(), now: now)
                        quarantined.append(delivery.subscriber.id)
                    }
                }
            }
            return quarantined
        }
    }

    /// Deletes the unconfirmed sign-ups whose time ran out; returns how many.
    @discardableResult
    public func deleteExpiredSignUps(now: Date) throws -> Int {
        try write { database in
            try database.execute("DELETE FROM mail_subscribers WHERE confirmed_at IS NULL AND expires_at <= ?",
                                 [Timestamp.format(now)])
            return database.changes
        }
    }

    /// When the next unconfirmed sign-up expires.
    public func nextSignUpExpiry() throws -> Date? {
        try withDatabase { database in
            let row = try database.queryOne(
                "SELECT min(expires_at) AS at FROM mail_subscribers WHERE confirmed_at IS NULL AND expires_at IS NOT NULL")
            return try row.flatMap { try RowReader($0).optionalDate("at") }
        }
    }

    // MARK: Pieces

    static func mailEvent(from row: RowReader) throws -> MailEvent {
        let updates = (try? JSONDecoder().decode([String].self, from: Data(try row.string("update_ids").utf8))) ?? []
        return MailEvent(id: try row.int64("id"), kind: MailEvent.Kind(rawValue: try row.string("kind")) ?? .incident,
                         incidentID: try row.string("incident_id"), updateIDs: updates,
                         opensThread: try row.bool("opens_thread"), createdAt: try row.date("created_at"))
    }
}
