import Foundation
import SQLite
@testable import StatusCore
import Testing

/// The outbox on a real SQLite file: rows written with the change or not at all, each
/// subscriber's events in order, and the 24-hour limit on retries.
@Suite struct WebhookOutboxTests {
    static let endpoint = "https://hooks.example.org/warta"

    @Test func changesQueueOneDeliveryPerSubscriberInTheirTransaction() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        // Before anyone subscribes, nothing is queued.
        _ = try store.createIncident(IncidentDraft(name: "Unannounced"), by: Fixture.ops, now: Fixture.t0)
        #expect(try store.pendingWebhookDeliveries() == 0)

        _ = try store.createWebhookSubscriber(endpoint: Self.endpoint, by: Fixture.ops, now: Fixture.t0)
        _ = try store.createWebhookSubscriber(endpoint: Self.endpoint + "/2", by: Fixture.ops, now: Fixture.t0)
        let incident = try store.createIncident(
            IncidentDraft(name: "API down", components: [page.api.id: .majorOutage]), by: Fixture.ops, now: Fixture.at(minutes: 1))
        // One component change and one incident event, for each of the two subscribers.
        #expect(try store.pendingWebhookDeliveries() == 4)
        let due = try store.dueWebhookDeliveries(now: Fixture.at(minutes: 1))
        #expect(due.count == 2)  // Each subscriber's oldest only.
        #expect(due.allSatisfy { $0.event == .componentUpdate && $0.subjectID == page.api.id })
        #expect(due.allSatisfy { $0.oldStatus == "operational" && $0.newStatus == "major_outage" })
        #expect(Set(due.map(\.eventID)).count == 1)

        // A write that fails validation queues nothing.
        let before = try fixture.dump()
        Fixture.expectValidation(.invalid, .incident(.componentStatus, key: "nosuchcompo")) {
            _ = try store.updateIncident(id: incident.id, IncidentPatch(components: ["nosuchcompo": .majorOutage]),
                                         by: Fixture.ops, now: Fixture.at(minutes: 2))
        }
        #expect(try fixture.dump() == before)
        // A patch that changes nothing announces nothing.
        _ = try store.updateIncident(id: incident.id, IncidentPatch(), by: Fixture.ops, now: Fixture.at(minutes: 2))
        #expect(try store.pendingWebhookDeliveries() == 4)
    }

    @Test func failuresAreRetriedInOrderThenAbandonedAfterADay() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        _ = try store.createWebhookSubscriber(endpoint: Self.endpoint, by: Fixture.ops, now: Fixture.t0)
        for (minute, status) in [(1.0, ComponentStatus.degradedPerformance), (2, .operational)] {
            _ = try store.updateComponent(id: page.website.id, ComponentPatch(status: status), by: Fixture.ops,
                                          now: Fixture.at(minutes: minute))
        }
        let first = try #require(try store.dueWebhookDeliveries(now: Fixture.at(minutes: 3)).first)
        #expect(first.newStatus == "degraded_performance")

        // A failed head holds back the later event until its retry is due.
        try store.recordWebhookAttempt(deliveryID: first.id, error: "HTTP 503", retryAt: Fixture.at(minutes: 10),
                                       now: Fixture.at(minutes: 3))
        #expect(try store.dueWebhookDeliveries(now: Fixture.at(minutes: 9)).isEmpty)
        #expect(try store.nextWebhookAttempt() == Fixture.at(minutes: 10))
        let retried = try #require(try store.dueWebhookDeliveries(now: Fixture.at(minutes: 10)).first)
        #expect(retried.id == first.id && retried.attempts == 1)
        #expect(try store.webhookSubscribers().first?.lastError == "HTTP 503")

        // A retry that would fall more than 24 hours after the change is not made.
        try store.recordWebhookAttempt(deliveryID: first.id, error: "HTTP 503", retryAt: Fixture.at(days: 1.01),
                                       now: Fixture.at(days: 0.9))
        let next = try #require(try store.dueWebhookDeliveries(now: Fixture.at(days: 1)).first)
        #expect(next.id != first.id && next.newStatus == "operational")
        try store.recordWebhookAttempt(deliveryID: next.id, error: nil, retryAt: .distantFuture, now: Fixture.at(days: 1))
        #expect(try store.pendingWebhookDeliveries() == 0)
        try store.withDatabase { database in
            let abandoned = try database.queryOne("SELECT abandoned_at, attempts FROM webhook_deliveries WHERE id = ?", [first.id])
            #expect(try abandoned?.optionalString("abandoned_at") != nil)
            #expect(try abandoned?.int("attempts") == 2)
        }
    }

    @Test(arguments: ["ftp://example.org/x", "https://", "example.org/hook", "https://u:p@example.org/",
                      "https://example.org/#top", "https://example.org/" + String(repeating: "a", count: 2048),
                      "https://a.example:99999/", "https://a.example:0/", "https://a.example/\u{0}", "https://例え.jp/",
                      "https://a.example/é", "https://a.example/a b"])
    func invalidEndpointsAreRefused(endpoint: String) throws {
        let fixture = try TemporaryStore()
        let before = try fixture.dump()
        Fixture.expectValidation(.invalid, .subscriber(.endpoint)) {
            _ = try fixture.store.createWebhookSubscriber(endpoint: endpoint, by: Fixture.ops, now: Fixture.t0)
        }
        #expect(try fixture.dump() == before)
    }

    @Test func signatureIsHMACSHA256OfTheBody() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        #expect(WebhookSignature.sign(Array("what do ya want for nothing?".utf8), secret: "Jefe")
                == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
