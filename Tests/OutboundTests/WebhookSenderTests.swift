import Foundation
import HTTPServer
import Outbound
import StatusCore
import Synchronization
import TestSupport
import Testing

/// The sender against a real receiver on 127.0.0.1 and a real SQLite file, with a manual
/// clock: every retry is made by moving the clock and asking for a round, never by waiting.
@Suite struct WebhookSenderTests {
    @Test func failedDeliveryIsRetriedWhenTheClockSaysWithTheSameSignedBytes() throws {
        let receiver = try Receiver(statuses: [500, 503, 500])
        let fixture = try Fixture(endpoint: receiver.endpoint, destinations: .anywhere)
        try fixture.postIncident()

        #expect(try fixture.sender.deliverDue() == 1)
        #expect(try fixture.subscriber().lastError == "HTTP 500")
        // Nothing is due until the first retry's time: 30 s, then 60, then 120.
        #expect(try fixture.sender.deliverDue() == 0)
        for wait in [30.0, 60, 120] {
            fixture.clock.advance(by: wait - 1)
            #expect(try fixture.sender.deliverDue() == 0)
            fixture.clock.advance(by: 1)
            #expect(try fixture.sender.deliverDue() == 1)
        }
        let received = receiver.received
        #expect(received.count == 4)
        #expect(Set(received.map(\.body)).count == 1)
        #expect(Set(received.compactMap { $0.headers[HTTPHeaderName("X-Warta-Delivery")] }).count == 1)
        let signature = WebhookSignature.sign(received[0].body, secret: fixture.secret)
        #expect(received.allSatisfy { $0.headers[HTTPHeaderName("X-Warta-Signature")] == signature })
        #expect(received.allSatisfy { $0.headers[.contentType] == "application/json" && $0.method == .post })
        #expect(String(decoding: received[0].body, as: UTF8.self) == #"{"subject":"\#(fixture.incidentID ?? "")"}"#)

        let subscriber = try fixture.subscriber()
        #expect(subscriber.pendingDeliveries == 0 && subscriber.lastError == nil)
        let counts = fixture.sender.statistics
        #expect(counts.delivered == 1 && counts.failedAttempts == 3 && counts.abandoned == 0)
    }

    @Test func nothingTheReceiverSaysIsStored() throws {
        let receiver = try Receiver(statuses: [403])
        let fixture = try Fixture(endpoint: receiver.endpoint, destinations: .anywhere)
        try fixture.postIncident()
        try fixture.sender.deliverDue()
        let lastError = try #require(try fixture.subscriber().lastError)
        #expect(lastError == "HTTP 403")
        #expect(!lastError.contains(Receiver.banner))
    }

    @Test func aClosedPortIsAConnectionFailure() throws {
        let receiver = try Receiver(statuses: [])
        let endpoint = receiver.endpoint
        receiver.stop()
        let fixture = try Fixture(endpoint: endpoint, destinations: .anywhere)
        try fixture.postIncident()
        try fixture.sender.deliverDue()
        #expect(try fixture.subscriber().lastError == "connection failed")
    }

    /// A subscriber registered while inside addresses were allowed; the sender now runs
    /// without that allowance and refuses before connecting.
    @Test(arguments: ["http://127.0.0.1:{port}/hooks", "http://localhost:{port}/hooks", "http://[::ffff:127.0.0.1]:{port}/"])
    func insideDestinationIsRefusedAtDelivery(template: String) throws {
        let receiver = try Receiver(statuses: [])
        let endpoint = template.replacingOccurrences(of: "{port}", with: String(receiver.port))
        let fixture = try Fixture(endpoint: endpoint, destinations: .publicOnly)
        try fixture.postIncident()

        #expect(try fixture.sender.deliverDue() == 1)
        #expect(receiver.received.isEmpty)
        let subscriber = try fixture.subscriber()
        #expect(subscriber.lastError == "destination refused: loopback address")
        #expect(subscriber.pendingDeliveries == 1)
        #expect(fixture.sender.statistics.failedAttempts == 1)
        // Retried on the usual schedule (the operator may allow it and restart), still refused.
        fixture.clock.advance(by: 30)
        #expect(try fixture.sender.deliverDue() == 1)
        #expect(receiver.received.isEmpty)
    }

    /// Through the operator's proxy, the proxy resolves the name (this one resolves nowhere)
    /// and connects; literal inside addresses are still refused before anything is sent.
    @Test func aProxyGetsTheRequestInAbsoluteForm() throws {
        let proxy = try Receiver(statuses: [])
        let fixture = try Fixture(endpoint: "http://hooks.example.invalid/warta", destinations: .publicOnly,
                                  proxy: "http://127.0.0.1:\(proxy.port)")
        try fixture.postIncident()
        #expect(try fixture.sender.deliverDue() == 1)
        #expect(proxy.received.map(\.target) == ["http://hooks.example.invalid/warta"])
        #expect(try fixture.subscriber().pendingDeliveries == 0)

        let inside = try Fixture(endpoint: "http://127.0.0.1:6379/", destinations: .publicOnly,
                                 proxy: "http://127.0.0.1:\(proxy.port)")
        try inside.postIncident()
        try inside.sender.deliverDue()
        #expect(try inside.subscriber().lastError == "destination refused: loopback address")
        #expect(proxy.received.count == 1)
    }

    @Test func deliveryIsAbandonedTwentyFourHoursAfterTheChange() throws {
        let receiver = try Receiver(statuses: Array(repeating: 500, count: 100))
        let fixture = try Fixture(endpoint: receiver.endpoint, destinations: .anywhere)
        try fixture.postIncident()
        let policy = WebhookSender.Policy()
        var attempts = 0
        while try fixture.subscriber().pendingDeliveries > 0, attempts < 100 {
            #expect(try fixture.sender.deliverDue() == 1)
            attempts += 1
            fixture.clock.advance(by: policy.delay(afterAttempt: attempts))
        }
        // Waits of 30 s doubling to 1920 s (3,810 s in all), then an hour each: the retry
        // after the 30th attempt would fall more than 24 h after the change.
        #expect(attempts == 30)
        #expect(receiver.received.count == 30)
        #expect(fixture.sender.statistics.abandoned == 1)
        #expect(try fixture.sender.deliverDue() == 0)
    }

    @Test func aDeletedSubjectIsNotSent() throws {
        let receiver = try Receiver(statuses: [])
        let fixture = try Fixture(endpoint: receiver.endpoint, destinations: .anywhere, renderer: { _ in NoPayloads() })
        try fixture.postIncident()
        #expect(try fixture.sender.deliverDue() == 1)
        #expect(receiver.received.isEmpty)
        // Given up at once: there is nothing to retry.
        #expect(try fixture.subscriber().pendingDeliveries == 0)
        #expect(fixture.sender.statistics.abandoned == 1)
    }
}

/// A store with one subscriber (told of `events`), a manual clock and a sender that is never
/// started: tests call `deliverDue()` themselves.
final class Fixture {
    let folder: TemporaryFolder
    let store: Store
    let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
    let sender: WebhookSender
    let subscriberID: String
    let secret: String
    var incidentID: String?
    static let actor = Actor(tokenName: "ops", clientAddress: "127.0.0.1")

    init(endpoint: String, destinations: DestinationPolicy, proxy: String? = nil,
         events: [WebhookDelivery.Event] = WebhookDelivery.Event.defaultSubscription,
         renderer: (Store) -> any WebhookPayloadRenderer = { _ in SubjectPayloads() }) throws {
        folder = try TemporaryFolder("outbound")
        let store = try Store(path: folder.file("warta.db"))
        let (subscriber, secret) = try store.createWebhookSubscriber(endpoint: endpoint, events: events, by: Self.actor,
                                                                     now: clock.now())
        self.store = store
        subscriberID = subscriber.id
        self.secret = secret
        sender = WebhookSender(store: store, renderer: renderer(store), destinations: destinations, proxy: proxy, clock: clock,
                               policy: WebhookSender.Policy(timeout: 5))
    }

    deinit {
        store.close()
        folder.remove()
    }

    func postIncident() throws {
        incidentID = try store.createIncident(IncidentDraft(name: "Autogates offline"), by: Self.actor, now: clock.now()).id
    }

    func subscriber() throws -> WebhookSubscriber {
        try store.webhookSubscriber(id: subscriberID)
    }
}

/// `{"subject":"<id>"}`: enough to tell deliveries apart.
struct SubjectPayloads: WebhookPayloadRenderer {
    func bodies(for deliveries: [WebhookDelivery], now: Date) throws -> [Int64: [UInt8]] {
        Dictionary(uniqueKeysWithValues: deliveries.map { ($0.id, Array(#"{"subject":"\#($0.subjectID)"}"#.utf8)) })
    }
}

/// As if every subject had been deleted since its change.
struct NoPayloads: WebhookPayloadRenderer {
    func bodies(for deliveries: [WebhookDelivery], now: Date) throws -> [Int64: [UInt8]] { [:] }
}

/// A webhook receiver on 127.0.0.1, port 0: answers each request with the next scripted
/// status (then 204) and a body that must never reach the database.
final class Receiver {
    static let banner = "redis_version:7.2.4 on db-internal-1"

    final class Script: HTTPResponder {
        let state: Mutex<(statuses: [Int], received: [HTTPRequest])>

        init(statuses: [Int]) {
            state = Mutex((statuses, []))
        }

        func respond(to request: HTTPRequest) -> HTTPReply {
            let status = state.withLock { state in
                state.received.append(request)
                return state.statuses.isEmpty ? 204 : state.statuses.removeFirst()
            }
            return .response(HTTPResponse(status: HTTPStatus(code: status, reasonPhrase: Receiver.banner),
                                          contentType: "text/plain", body: Receiver.banner))
        }
    }

    let script: Script
    let server: HTTPServer
    private var running = true

    init(statuses: [Int]) throws {
        script = Script(statuses: statuses)
        var configuration = Configuration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.accessLog = false
        server = HTTPServer(configuration: configuration, responder: script)
        try server.start()
    }

    deinit { stop() }

    var port: Int { server.port }
    var endpoint: String { "http://127.0.0.1:\(port)/hooks/warta" }
    var received: [HTTPRequest] { script.state.withLock { $0.received } }

    func stop() {
        guard running else { return }
        running = false
        server.shutdown()
        server.wait()
    }
}
