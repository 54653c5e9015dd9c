import Foundation
import SQLite
@testable import StatusCore
import Testing

/// Mail subscribers and the mail outbox on a real SQLite file: tokens, sign-ups that reveal
/// nothing, events that updates join, fan-out by component, retries and quarantine, expiry.
@Suite struct MailOutboxTests {
    static let visitor = "198.51.100.4"

    /// A confirmed subscriber, through the public path.
    static func subscribe(_ store: Store, _ email: String, language: String = "en", components: [String]? = nil,
                          now: Date = Fixture.t0) throws -> MailSubscriber {
        try store.signUp(email: email, language: language, componentIDs: components, now: now)
        let id = try store.mailSubscribers(query: email).first { $0.email == email }!.id
        return try store.confirmSubscription(token: try store.subscriptionToken(for: id),
                                             now: now)!
    }

    static func content(_ subject: String) -> [String: MailContent] {
        ["en": MailContent(subject: subject, text: "en " + MailContent.manageLink, html: "<p>en</p>"),
         "id": MailContent(subject: subject, text: "id " + MailContent.manageLink, html: "<p>id</p>")]
    }

    /// Fixes every due event with a fixed content, fans them out, returns what is due.
    static func drain(_ store: Store, now: Date) throws -> [MailDelivery] {
        for event in try store.unfixedMailEvents(createdBy: now) {
            try store.fixMailEvent(id: event.id, content: content("event \(event.id)"), now: now)
        }
        while try store.fanOutMailEvents(limit: 2, now: now) > 0 {}
        return try store.dueMailDeliveries(now: now, limit: 1000)
    }

    @Test func tokensAreGenuineOnlyWhenMadeByTheStore() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try store.signUp(email: "ana@example.org", language: "id", componentIDs: nil,
                         now: Fixture.t0)
        let subscriber = try #require(try store.mailSubscribers().first)
        let token = try store.subscriptionToken(for: subscriber.id)
        #expect(token.count == 44 && token.hasPrefix(subscriber.id))
        #expect(try store.mailSubscriber(token: token)?.id == subscriber.id)
        // One character changed, a truncated token, another id with this MAC: nothing.
        var forged = Array(token)
        forged[20] = forged[20] == "a" ? "b" : "a"
        #expect(try store.mailSubscriber(token: String(forged)) == nil)
        #expect(try store.mailSubscriber(token: String(token.dropLast())) == nil)
        #expect(try store.mailSubscriber(token: "zzzzzzzzzzzz" + token.dropFirst(12)) == nil)
        // The key is in the database, not in the process: a second store on the file agrees.
        let again = try Store(path: fixture.path)
        defer { again.close() }
        #expect(try again.subscriptionToken(for: subscriber.id) == token)
    }

    @Test func signUpsQueueOneMailAndNeverChangeAConfirmedChoice() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        #expect(try store.signUp(email: "Ana@Example.org", language: "en", componentIDs: [page.api.id], now: Fixture.t0) == .created)
        #expect(try store.dueMailDeliveries(now: Fixture.t0, limit: 10).map(\.kind) == [.confirmation])
        // Again at once, in another case: nothing more is queued, and the answer is the caller's to hide.
        #expect(try store.signUp(email: "ana@example.org", language: "id", componentIDs: nil, now: Fixture.at(minutes: 1)) == .recentlyMailed)
        #expect(try store.pendingMailDeliveries() == 1)
        // Later, unconfirmed: the new choice replaces the old, with a fresh confirmation.
        #expect(try store.signUp(email: "ana@example.org", language: "id", componentIDs: nil, now: Fixture.at(minutes: 11)) == .renewed)
        var subscriber = try #require(try store.mailSubscribers().first)
        #expect(subscriber.language == "id" && subscriber.componentIDs == nil && subscriber.state == .unconfirmed)
        #expect(subscriber.expiresAt == Fixture.at(minutes: 11).addingTimeInterval(Store.confirmationPeriod))
        let token = try store.subscriptionToken(for: subscriber.id)
        subscriber = try #require(try store.confirmSubscription(token: token,
                                                                now: Fixture.at(minutes: 12)))
        #expect(subscriber.state == .active && subscriber.expiresAt == nil)
        // Confirmed: a sign-up changes nothing but queues a notice.
        #expect(try store.signUp(email: "ANA@example.org", language: "en", componentIDs: [page.website.id], now: Fixture.at(minutes: 30)) == .alreadySubscribed)
        #expect(try store.mailSubscriber(id: subscriber.id).componentIDs == nil)
        #expect(try store.dueMailDeliveries(now: Fixture.at(minutes: 30), limit: 10).map(\.kind)
                    == [.confirmation, .confirmation, .notice])
        // The audit keeps a keyed hash, never the address.
        let audit = try store.auditLog().map(\.detailJSON).joined()
        #expect(!audit.lowercased().contains("ana@example.org"))
        #expect(audit.contains(try store.addressHash("ana@example.org")))
    }

    @Test func badInputIsRefusedAndChangesNothing() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        _ = try Fixture.makePage(store)
        let before = try fixture.dump()
        for address in ["ana@example.org\r\nBcc: all@example.org", "no-at-sign", "a@localhost", "a..b@example.org",
                        "\"quoted\"@example.org", String(repeating: "a", count: 65) + "@example.org", "a@b@example.org"] {
            Fixture.expectValidation(.invalid, .subscriber(.email)) {
                try store.signUp(email: address, language: "en", componentIDs: nil,
                                 now: Fixture.t0)
            }
        }
        Fixture.expectValidation(.invalid, .subscriber(.language)) {
            try store.signUp(email: "ana@example.org", language: "fr", componentIDs: nil,
                             now: Fixture.t0)
        }
        Fixture.expectValidation(.invalid, .subscriber(.componentIDs)) {
            try store.signUp(email: "ana@example.org", language: "en", componentIDs: ["nosuchcompo"], now: Fixture.t0)
        }
        #expect(try fixture.dump() == before)
        #expect(MailAddress.problem(with: "ana.maria+status@imigrasi.go.id") == nil)
    }

    @Test func updatesJoinTheEventUntilItsMailIsFixedAndReachOnlyTheirComponents() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        // No confirmed subscriber yet: nothing is queued, so a relay configured later sends no old news.
        _ = try store.createIncident(IncidentDraft(name: "Before anyone"), by: Fixture.ops, now: Fixture.t0)
        #expect(try store.unfixedMailEvents(createdBy: Fixture.at(days: 1)).isEmpty)

        let everything = try Self.subscribe(store, "all@example.org")
        let api = try Self.subscribe(store, "api@example.org", components: [page.api.id])
        let website = try Self.subscribe(store, "web@example.org", language: "id", components: [page.website.id])
        _ = try Self.subscribe(store, "left@example.org")
        try store.signUp(email: "pending@example.org", language: "en", componentIDs: nil,
                         now: Fixture.t0)
        #expect(try store.leave(token: try store.subscriptionToken(for: try store.mailSubscribers(query: "left@").first!.id), now: Fixture.t0))
        // Confirmations and notices out of the way.
        let personal = try store.dueMailDeliveries(now: Fixture.t0, limit: 100)
        try store.recordMailAttempts(personal.map { ($0, .sent, Fixture.t0) }, now: Fixture.t0)

        let incident = try store.createIncident(
            IncidentDraft(name: "API down", status: .investigating, body: "Looking.", components: [page.api.id: .majorOutage]),
            by: Fixture.ops, now: Fixture.at(minutes: 1))
        _ = try store.updateIncident(id: incident.id, IncidentPatch(status: .identified, body: "Found it."),
                                     by: Fixture.ops, now: Fixture.at(minutes: 1.5))
        // An update that asks not to notify joins nothing.
        _ = try store.updateIncident(id: incident.id, IncidentPatch(body: "Typo fixed.", deliverNotifications: false),
                                     by: Fixture.ops, now: Fixture.at(minutes: 1.6))
        let events = try store.unfixedMailEvents(createdBy: Fixture.at(minutes: 2))
        #expect(events.count == 1)
        let updates = try store.incident(id: incident.id).updates  // Newest first.
        #expect(events.first?.updateIDs == [updates[2].id, updates[1].id])
        #expect(events.first?.opensThread == true)

        let due = try Self.drain(store, now: Fixture.at(minutes: 2))
        #expect(Set(due.map(\.subscriber.id)) == [everything.id, api.id])
        #expect(due.allSatisfy { $0.kind == .event && $0.content?.text == "en " + MailContent.manageLink })
        #expect(due.allSatisfy { $0.token == (try? store.subscriptionToken(for: $0.subscriber.id)) })

        // The mail is fixed: the next update starts a new event, which does not open the thread.
        _ = try store.updateIncident(id: incident.id, IncidentPatch(status: .resolved, body: "Fixed."),
                                     by: Fixture.ops, now: Fixture.at(minutes: 3))
        let next = try store.unfixedMailEvents(createdBy: Fixture.at(minutes: 4))
        #expect(next.count == 1 && next.first?.opensThread == false)

        // An incident that lists no component goes to everyone, in their language.
        _ = try store.createIncident(IncidentDraft(name: "Everything slow"), by: Fixture.ops, now: Fixture.at(minutes: 5))
        try store.recordMailAttempts(due.map { ($0, .sent, Fixture.at(minutes: 2)) }, now: Fixture.at(minutes: 2))
        let later = try Self.drain(store, now: Fixture.at(minutes: 6))
        #expect(later.filter { $0.event?.incidentID != incident.id }.map(\.subscriber.id).sorted()
                    == [everything.id, api.id, website.id].sorted())
        #expect(later.first { $0.subscriber.id == website.id }?.content?.text == "id " + MailContent.manageLink)
    }

    @Test func anEventWithNothingToSayIsDroppedAndAnOldOneNeverSent() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        _ = try Self.subscribe(store, "all@example.org")
        try store.recordMailAttempts(try store.dueMailDeliveries(now: Fixture.t0, limit: 10).map { ($0, .sent, Fixture.t0) },
                                     now: Fixture.t0)
        // The renderer has nothing to say (its incident was deleted): no one is told.
        _ = try store.createIncident(IncidentDraft(name: "Gone"), by: Fixture.ops, now: Fixture.t0)
        let event = try #require(try store.unfixedMailEvents(createdBy: Fixture.t0).first)
        try store.fixMailEvent(id: event.id, content: nil, now: Fixture.t0)
        #expect(try store.unfixedMailEvents(createdBy: Fixture.t0).isEmpty)
        #expect(try store.fanOutMailEvents(now: Fixture.t0) == 0)
        #expect(try store.pendingMailDeliveries() == 0)

        _ = try store.createIncident(IncidentDraft(name: "Old news"), by: Fixture.ops, now: Fixture.at(minutes: 1))
        let old = try #require(try store.unfixedMailEvents(createdBy: Fixture.at(minutes: 1)).first)
        try store.fixMailEvent(id: old.id, content: Self.content("old"), now: Fixture.at(days: 2))
        #expect(try store.fanOutMailEvents(now: Fixture.at(days: 2)) == 0)
        #expect(try store.pendingMailDeliveries() == 0)
    }

    @Test func temporaryFailuresRetryForADayAndPermanentOnesQuarantine() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let subscriber = try Self.subscribe(store, "bounce@example.org")
        var due = try store.dueMailDeliveries(now: Fixture.t0, limit: 10)
        #expect(due.count == 1)
        // 451: retried when its time comes, not before.
        try store.recordMailAttempts([(due[0], .temporary("relay answered 451"), Fixture.at(minutes: 1))],
                                     now: Fixture.t0)
        #expect(try store.dueMailDeliveries(now: Fixture.at(minutes: 0.5), limit: 10).isEmpty)
        #expect(try store.nextMailAttempt(now: Fixture.t0) == Fixture.at(minutes: 1))
        due = try store.dueMailDeliveries(now: Fixture.at(minutes: 1), limit: 10)
        #expect(due.first?.attempts == 1)
        // A retry that would fall more than a day after the mail was queued gives up.
        try store.recordMailAttempts([(due[0], .temporary("timed out"), Fixture.at(days: 1.01))], now: Fixture.at(minutes: 1))
        #expect(try store.pendingMailDeliveries() == 0)

        // Three 550s in a row quarantine the address and give up its other mail.
        for minute in 2...4 {
            _ = try store.createIncident(IncidentDraft(name: "Incident \(minute)"), by: Fixture.ops, now: Fixture.at(minutes: Double(minute)))
            due = try Self.drain(store, now: Fixture.at(minutes: Double(minute)))
            #expect(due.count == 1)
            let quarantined = try store.recordMailAttempts([(due[0], .permanent("relay refused the recipient (550)"), .distantFuture)],
                                                           now: Fixture.at(minutes: Double(minute)))
            #expect(quarantined == (minute == 4 ? [subscriber.id] : []))
        }
        #expect(try store.mailSubscriber(id: subscriber.id).state == .quarantined)
        _ = try store.createIncident(IncidentDraft(name: "Not for them"), by: Fixture.ops, now: Fixture.at(minutes: 5))
        #expect(try Self.drain(store, now: Fixture.at(minutes: 6)).isEmpty)
        #expect(try store.reactivateMailSubscribers(ids: [subscriber.id], by: Fixture.ops, now: Fixture.at(minutes: 7)) == 1)
        #expect(try store.mailSubscriber(id: subscriber.id).state == .active)
    }

    @Test func unconfirmedSignUpsAreDeletedAfterTwoDays() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try store.signUp(email: "late@example.org", language: "en", componentIDs: nil,
                         now: Fixture.t0)
        let confirmed = try Self.subscribe(store, "quick@example.org")
        #expect(try store.nextSignUpExpiry() == Fixture.t0.addingTimeInterval(Store.confirmationPeriod))
        #expect(try store.deleteExpiredSignUps(now: Fixture.at(days: 1.99)) == 0)
        #expect(try store.deleteExpiredSignUps(now: Fixture.at(days: 2)) == 1)
        #expect(try store.mailSubscribers().map(\.id) == [confirmed.id])
        // The row and its pending confirmation are gone: nothing holds the address.
        let rows = try fixture.sql { database in
            try database.queryOne("SELECT count(*) AS n FROM mail_deliveries d LEFT JOIN mail_subscribers s ON s.id = d.subscriber_id WHERE s.id IS NULL")
        }
        #expect(try rows?.int("n") == 0)
        #expect(try store.nextSignUpExpiry() == nil)
    }

    @Test func aMaintenanceThatAsksIsRemindedAnHourBefore() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        _ = try Self.subscribe(store, "all@example.org")
        let start = Fixture.at(minutes: 180)
        let maintenance = try store.createIncident(
            IncidentDraft(name: "Database upgrade", deliverNotifications: false, scheduledFor: start,
                          scheduledUntil: start.addingTimeInterval(3600), scheduledRemindPrior: true),
            by: Fixture.ops, now: Fixture.t0)
        #expect(try store.nextTimeDrivenChange(after: Fixture.t0) == start.addingTimeInterval(-3600))
        try store.applyTimeDrivenChanges(now: Fixture.at(minutes: 119))
        #expect(try store.unfixedMailEvents(createdBy: Fixture.at(minutes: 200)).isEmpty)
        try store.applyTimeDrivenChanges(now: Fixture.at(minutes: 120))
        let reminders = try store.unfixedMailEvents(createdBy: Fixture.at(minutes: 200))
        #expect(reminders.map(\.kind) == [.reminder] && reminders.first?.incidentID == maintenance.id)
        #expect(try store.incident(id: maintenance.id).scheduledRemindedAt == Fixture.at(minutes: 120))
        // Once only.
        try store.applyTimeDrivenChanges(now: Fixture.at(minutes: 121))
        #expect(try store.unfixedMailEvents(createdBy: Fixture.at(minutes: 200)).count == 1)
        #expect(try store.nextTimeDrivenChange(after: Fixture.at(minutes: 121)) != start.addingTimeInterval(-3600))
    }
}
