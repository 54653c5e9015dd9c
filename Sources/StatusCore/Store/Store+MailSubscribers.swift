import Crypto
import Foundation
import SQLite

// Mail subscribers: the public side (sign up, confirm, change, leave, each through the
// token of `/subscriptions/{token}`) and the staff side (Statuspage v1's subscribers).
//
// What is kept about a person is the least that mailing them needs: the address, the
// language, the components. Leaving deletes the row and its pending mail; an unconfirmed
// sign-up is deleted when it expires; the audit log names a subscriber by its id and a keyed
// hash of the address, never the address.

extension Store {
    /// How long a sign-up waits for its confirmation before it is deleted.
    public static let confirmationPeriod: TimeInterval = 48 * 60 * 60
    /// A second confirmation or notice to one address within this is not queued.
    public static let noticeInterval: TimeInterval = 10 * 60
    /// Permanent refusals in a row that quarantine an address.
    public static let quarantineAfter = 3

    // MARK: Tokens

    /// The token of a subscriber's links: its id and the first 128 bits of
    /// HMAC-SHA256(key, "subscription:" + id), in hex. Nothing per subscriber is stored: the
    /// key (migration 0006) makes and checks every token.
    public func subscriptionToken(for subscriberID: String) throws -> String {
        subscriberID + Self.subscriptionMAC(key: try mailKey(), subscriberID)
    }

    /// The subscriber a token names, if the token is genuine and the subscriber still exists.
    public func mailSubscriber(token: String) throws -> MailSubscriber? {
        guard let id = try subscriberID(token: token) else { return nil }
        return try withReader { database in try Self.loadMailSubscriber(database, id: id) }
    }

    /// The id inside a genuine token; nil for anything else. The MAC is compared in constant
    /// time.
    func subscriberID(token: String) throws -> String? {
        let bytes = Array(token.utf8)
        guard bytes.count == Identifier.length + 32 else { return nil }
        let id = String(decoding: bytes[..<Identifier.length], as: UTF8.self)
        guard Identifier.isValid(id) else { return nil }
        let expected = Array(Self.subscriptionMAC(key: try mailKey(), id).utf8)
        let given = Array(bytes[Identifier.length...])
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0 ? id : nil
    }

    /// A keyed hash of an address for the audit log: the same address always gives the same
    /// hash, so staff can follow one person's history, but the hash does not give the
    /// address back, even to someone who guesses addresses, without the key.
    func addressHash(_ email: String) throws -> String {
        Self.addressHash(email, key: try mailKey())
    }

    static func addressHash(_ email: String, key: String) -> String {
        "mail:" + mac(key: key, "address:" + email.lowercased(), bytes: 8)
    }

    func mailKey() throws -> String {
        try withReader { database in try Self.mailKey(database) }
    }

    static func mailKey(_ database: Database) throws -> String {
        guard let row = try database.queryOne("SELECT key FROM mail_keys WHERE id = 1") else {
            throw SQLiteError(extendedCode: SQLiteError.range, message: "the mail key is missing")
        }
        return try RowReader(row).string("key")
    }

    /// The MAC part of a subscriber's token.
    static func subscriptionMAC(key: String, _ subscriberID: String) -> String {
        mac(key: key, "subscription:" + subscriberID, bytes: 16)
    }

    private static func mac(key: String, _ message: String, bytes: Int) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(key.utf8)))
        return code.prefix(bytes).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: The public side

    /// Who the audit log names for a change made through the public pages: no client
    /// address, which would be one more piece of personal data kept for no one's benefit.
    static let visitor = Actor(tokenName: "public", clientAddress: "")

    /// A sign-up from the public form. Whatever the address's standing, the caller answers
    /// the same; see `SignUpOutcome` for what happened.
    ///
    /// - Throws: `ValidationError` (`.subscriber(.email)`, `.subscriber(.language)`,
    ///   `.subscriber(.componentIDs)`); nothing is changed then.
    @discardableResult
    public func signUp(email: String, language: String, componentIDs: [String]?, now: Date) throws -> SignUpOutcome {
        try Self.validateSubscription(email: email, language: language)
        let hash = try addressHash(email)
        return try write { database in
            let chosen = try Self.validateChosenComponents(database, componentIDs)
            let actor = Self.visitor
            if let row = try database.queryOne(
                "SELECT id, confirmed_at, last_notice_at FROM mail_subscribers WHERE email = ? COLLATE NOCASE", [email]) {
                let reader = RowReader(row)
                let id = try reader.string("id")
                if let last = try reader.optionalDate("last_notice_at"), now.timeIntervalSince(last) < Self.noticeInterval {
                    return .recentlyMailed
                }
                if try reader.optionalDate("confirmed_at") != nil {
                    try Self.queuePersonalMail(database, .notice, subscriberID: id, now: now)
                    return .alreadySubscribed
                }
                try database.execute("UPDATE mail_subscribers SET language = ?, expires_at = ? WHERE id = ?",
                                     [language, Timestamp.format(now.addingTimeInterval(Self.confirmationPeriod)), id])
                try Self.setSubscribedComponents(database, subscriberID: id, chosen)
                try Self.queuePersonalMail(database, .confirmation, subscriberID: id, now: now)
                try Self.audit(database, by: actor, action: "mail_subscriber.renew", targetType: "subscriber",
                               targetID: id, detail: AuditDetail(name: hash), now: now)
                return .renewed
            }
            let id = try Self.insertMailSubscriber(database, email: email, language: language, components: chosen,
                                                   confirmed: false, now: now)
            try Self.queuePersonalMail(database, .confirmation, subscriberID: id, now: now)
            try Self.audit(database, by: actor, action: "mail_subscriber.create", targetType: "subscriber",
                           targetID: id, detail: AuditDetail(name: hash), now: now)
            return .created
        }
    }

    /// Confirms the subscription a token names; nil when the token names none (expired,
    /// left, or never genuine). Confirming twice changes nothing.
    public func confirmSubscription(token: String, now: Date) throws -> MailSubscriber? {
        guard let id = try subscriberID(token: token) else { return nil }
        return try write { database in
            guard let current = try Self.loadMailSubscriber(database, id: id) else { return nil }
            guard current.confirmedAt == nil else { return current }
            try database.execute(
                "UPDATE mail_subscribers SET confirmed_at = ?, expires_at = NULL WHERE id = ?", [Timestamp.format(now), id])
            try Self.audit(database, by: Self.visitor,
                           action: "mail_subscriber.confirm", targetType: "subscriber", targetID: id,
                           detail: AuditDetail(), now: now)
            return try Self.loadMailSubscriber(database, id: id)
        }
    }

    /// Changes the language and components of the subscription a token names; nil when it
    /// names none.
    ///
    /// - Throws: `ValidationError` (`.subscriber(.language)`, `.subscriber(.componentIDs)`).
    public func changeSubscription(token: String, language: String, componentIDs: [String]?,
                                   now: Date) throws -> MailSubscriber? {
        try Self.validateLanguage(language)
        guard let id = try subscriberID(token: token) else { return nil }
        return try write { database in
            guard try Self.loadMailSubscriber(database, id: id) != nil else { return nil }
            let chosen = try Self.validateChosenComponents(database, componentIDs)
            try database.execute("UPDATE mail_subscribers SET language = ? WHERE id = ?", [language, id])
            try Self.setSubscribedComponents(database, subscriberID: id, chosen)
            try Self.audit(database, by: Self.visitor,
                           action: "mail_subscriber.change", targetType: "subscriber", targetID: id,
                           detail: AuditDetail(fields: ["components", "language"]), now: now)
            return try Self.loadMailSubscriber(database, id: id)
        }
    }

    /// Deletes the subscription a token names, with its address and pending mail; false
    /// when it names none (already left, say, by a second click).
    public func leave(token: String, now: Date) throws -> Bool {
        guard let id = try subscriberID(token: token) else { return false }
        return try deleteMailSubscribers(ids: [id], action: "mail_subscriber.leave", by: Self.visitor, now: now) == 1
    }

    // MARK: The staff side

    /// A subscriber added by staff: confirmed at once with `skipConfirmation`, otherwise
    /// sent a confirmation like a public sign-up.
    ///
    /// - Throws: `ValidationError` (`.subscriber(.email)` invalid or already subscribed,
    ///   `.subscriber(.language)`, `.subscriber(.componentIDs)`).
    public func createMailSubscriber(email: String, language: String, componentIDs: [String]?, skipConfirmation: Bool,
                                     by actor: Actor, now: Date) throws -> MailSubscriber {
        try Self.validateSubscription(email: email, language: language)
        let hash = try addressHash(email)
        return try write { database in
            let chosen = try Self.validateChosenComponents(database, componentIDs)
            if try database.queryOne("SELECT 1 FROM mail_subscribers WHERE email = ? COLLATE NOCASE", [email]) != nil {
                throw ValidationError.invalid(.subscriber(.email), "This address is subscribed already.")
            }
            let id = try Self.insertMailSubscriber(database, email: email, language: language, components: chosen,
                                                   confirmed: skipConfirmation, now: now)
            if !skipConfirmation {
                try Self.queuePersonalMail(database, .confirmation, subscriberID: id, now: now)
            }
            try Self.audit(database, by: actor, action: "mail_subscriber.create", targetType: "subscriber", targetID: id,
                           detail: AuditDetail(name: hash), now: now)
            guard let subscriber = try Self.loadMailSubscriber(database, id: id) else {
                throw ValidationError.notFound(.subscriber(.identity), "No subscriber has the id '\(id)'.")
            }
            return subscriber
        }
    }

    /// Mail subscribers, oldest first; `state` nil: every state. `query` matches part of the
    /// address, case-insensitively.
    public func mailSubscribers(state: MailSubscriber.State? = nil, query: String? = nil) throws -> [MailSubscriber] {
        try withReader { database in
            var conditions: [String] = []
            var arguments: [(any SQLiteBindable)?] = []
            if let state { conditions.append(Self.condition(for: state)) }
            if let query, !query.isEmpty {
                conditions.append("instr(lower(s.email), lower(?)) > 0")
                arguments.append(query)
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try Self.loadMailSubscribers(database, filter + " ORDER BY s.created_at, s.id", arguments)
        }
    }

    /// How many mail subscribers are in `state` (nil: all).
    public func mailSubscriberCount(state: MailSubscriber.State? = nil) throws -> Int {
        try withReader { database in
            let filter = state.map { " WHERE " + Self.condition(for: $0) } ?? ""
            let row = try database.queryOne("SELECT count(*) AS n FROM mail_subscribers s" + filter)
            return try row.map { try RowReader($0).int("n") } ?? 0
        }
    }

    /// - Throws: `ValidationError.notFound` (`.subscriber(.identity)`).
    public func mailSubscriber(id: String) throws -> MailSubscriber {
        try withReader { database in
            guard let subscriber = try Self.loadMailSubscriber(database, id: id) else {
                throw ValidationError.notFound(.subscriber(.identity), "No subscriber has the id '\(id)'.")
            }
            return subscriber
        }
    }

    /// Deletes mail subscribers (and their pending mail); returns how many there were. Ids
    /// that name none are passed over.
    @discardableResult
    public func deleteMailSubscribers(ids: [String], action: String = "mail_subscriber.delete", by actor: Actor,
                                      now: Date) throws -> Int {
        try write { database in
            let key = try Self.mailKey(database)
            var deleted = 0
            for id in ids {
                guard let row = try database.queryOne("SELECT email FROM mail_subscribers WHERE id = ?", [id]) else {
                    continue
                }
                let email = try RowReader(row).string("email")
                try database.execute("DELETE FROM mail_subscribers WHERE id = ?", [id])
                deleted += 1
                let detail = AuditDetail(name: Self.addressHash(email, key: key))
                try Self.audit(database, by: actor, action: action, targetType: "subscriber", targetID: id,
                               detail: detail, now: now)
            }
            return deleted
        }
    }

    /// Queues a fresh confirmation (and 48 more hours) for each unconfirmed subscriber among
    /// `ids`; returns how many were queued.
    @discardableResult
    public func resendConfirmations(ids: [String], by actor: Actor, now: Date) throws -> Int {
        try write { database in
            var queued = 0
            for id in ids {
                guard let subscriber = try Self.loadMailSubscriber(database, id: id), subscriber.state == .unconfirmed
                else { continue }
                try database.execute("UPDATE mail_subscribers SET expires_at = ? WHERE id = ?",
                                     [Timestamp.format(now.addingTimeInterval(Self.confirmationPeriod)), id])
                try Self.queuePersonalMail(database, .confirmation, subscriberID: id, now: now)
                try Self.audit(database, by: actor, action: "mail_subscriber.resend_confirmation",
                               targetType: "subscriber", targetID: id, detail: AuditDetail(), now: now)
                queued += 1
            }
            return queued
        }
    }

    /// Lifts the quarantine of each quarantined subscriber among `ids`; returns how many.
    @discardableResult
    public func reactivateMailSubscribers(ids: [String], by actor: Actor, now: Date) throws -> Int {
        try write { database in
            var reactivated = 0
            for id in ids {
                try database.execute(
                    "UPDATE mail_subscribers SET quarantined_at = NULL, hard_failures = 0 WHERE id = ? AND quarantined_at IS NOT NULL",
                    [id])
                guard database.changes > 0 else { continue }
                try Self.audit(database, by: actor, action: "mail_subscriber.reactivate", targetType: "subscriber",
                               targetID: id, detail: AuditDetail(), now: now)
                reactivated += 1
            }
            return reactivated
        }
    }

    // MARK: Pieces

    /// The SQL that holds for the subscribers in `state`, over `mail_subscribers s`: the one
    /// place `MailSubscriber.state` is spelled for queries.
    static func condition(for state: MailSubscriber.State) -> String {
        switch state {
        case .unconfirmed: "s.confirmed_at IS NULL AND s.quarantined_at IS NULL"
        case .active: "s.confirmed_at IS NOT NULL AND s.quarantined_at IS NULL"
        case .quarantined: "s.quarantined_at IS NOT NULL"
        }
    }

    static func validateSubscription(email: String, language: String) throws {
        if let problem = MailAddress.problem(with: email) {
            throw ValidationError.invalid(.subscriber(.email), problem)
        }
        try validateLanguage(language)
    }

    static func validateLanguage(_ language: String) throws {
        guard ["id", "en"].contains(language) else {
            throw ValidationError.invalid(.subscriber(.language), "The language is id or en, not '\(language)'.")
        }
    }

    /// nil (all components) or the chosen ones, each a component, once each, in page order.
    static func validateChosenComponents(_ database: Database, _ ids: [String]?) throws -> [String]? {
        guard let ids else { return nil }
        let index = try ComponentIndex(database)
        return try Rules.componentIDs(ids, known: index.byID, field: .subscriber(.componentIDs))
    }

    private static func insertMailSubscriber(_ database: Database, email: String, language: String,
                                             components: [String]?, confirmed: Bool, now: Date) throws -> String {
        let id = Identifier.make()
        try database.execute("""
            INSERT INTO mail_subscribers (id, email, language, all_components, created_at, confirmed_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [id, email, language, components == nil, Timestamp.format(now), confirmed ? Timestamp.format(now) : nil,
                  confirmed ? nil : Timestamp.format(now.addingTimeInterval(confirmationPeriod))])
        try setSubscribedComponents(database, subscriberID: id, components)
        return id
    }

    private static func setSubscribedComponents(_ database: Database, subscriberID: String, _ ids: [String]?) throws {
        try database.execute("DELETE FROM mail_subscriber_components WHERE subscriber_id = ?", [subscriberID])
        try database.execute("UPDATE mail_subscribers SET all_components = ? WHERE id = ?", [ids == nil, subscriberID])
        for id in ids ?? [] {
            try database.execute(
                "INSERT INTO mail_subscriber_components (subscriber_id, component_id) VALUES (?, ?)", [subscriberID, id])
        }
    }

    /// Queues a confirmation or notice, due now, and notes when, for `noticeInterval`.
    static func queuePersonalMail(_ database: Database, _ kind: MailDelivery.Kind, subscriberID: String, now: Date) throws {
        let timestamp = Timestamp.format(now)
        try database.execute("""
            INSERT INTO mail_deliveries (subscriber_id, kind, created_at, next_attempt_at) VALUES (?, ?, ?, ?)
            """, [subscriberID, kind.rawValue, timestamp, timestamp])
        try database.execute("UPDATE mail_subscribers SET last_notice_at = ? WHERE id = ?", [timestamp, subscriberID])
    }

    static func loadMailSubscriber(_ database: Database, id: String) throws -> MailSubscriber? {
        try loadMailSubscribers(database, " WHERE s.id = ?", [id]).first
    }

    /// Subscribers with their chosen components (in page order), `clause` after the FROM.
    static func loadMailSubscribers(_ database: Database, _ clause: String, _ arguments: [(any SQLiteBindable)?])
        throws -> [MailSubscriber] {
        let rows = try RowReader.readers(database.query("""
            SELECT s.*, (SELECT json_group_array(component_id) FROM (
                SELECT c.component_id FROM mail_subscriber_components c JOIN components k ON k.id = c.component_id
                WHERE c.subscriber_id = s.id ORDER BY k.position, k.id)) AS chosen
            FROM mail_subscribers s
            """ + clause, StatementArguments(arguments)))
        return try rows.map(mailSubscriber(from:))
    }

    /// A subscriber from a row of `mail_subscribers` with `chosen`, the JSON array of its
    /// components.
    static func mailSubscriber(from row: RowReader) throws -> MailSubscriber {
        let chosen = (try? JSONDecoder().decode([String].self, from: Data(try row.string("chosen").utf8))) ?? []
        return MailSubscriber(
            id: try row.string("id"), email: try row.string("email"), language: try row.string("language"),
            componentIDs: try row.bool("all_components") ? nil : chosen, createdAt: try row.date("created_at"),
            confirmedAt: try row.optionalDate("confirmed_at"), expiresAt: try row.optionalDate("expires_at"),
            quarantinedAt: try row.optionalDate("quarantined_at"))
    }
}
