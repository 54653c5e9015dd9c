import Foundation
import HTTPServer
import Outbound
import StatusCore
import StatusWeb
import TestSupport
import Testing

/// A check's verdict changing, told to the subscribers that asked for `check` events: the
/// store records results, the sender (with the payloads StatusWeb really writes) delivers
/// them to a real receiver on 127.0.0.1 when the manual clock says, signed like every event.
@Suite struct WebhookCheckEventTests {
    /// `seconds` after the fixture's clock starts (2026-09-21T21:13:20.000+07:00).
    static func at(_ seconds: TimeInterval) -> Date {
        Date(timeIntervalSince1970: 1_790_000_000 + seconds)
    }

    @Test func aFailingCheckIsDeliveredSignedAsWhatHappenedAndOthersHearNothing() throws {
        let receiver = try Receiver(statuses: [])
        let fixture = try Fixture(endpoint: receiver.endpoint, destinations: .anywhere, events: [.check],
                                  renderer: { WebhookPayloads(store: $0) })
        let store = fixture.store
        let component = try store.createComponent(ComponentDraft(name: "M-Paspor"), by: Fixture.actor, now: fixture.clock.now())
        let check = try store.createCheck(
            CheckDraft(name: "M-Paspor API", componentID: component.id, kind: .http,
                       url: "https://paspor.example.go.id/health"),
            by: Fixture.actor, now: fixture.clock.now()).check
        // A subscriber that keeps the default events: incidents and component updates only.
        let deaf = try Receiver(statuses: [])
        let deafSubscriber = try store.createWebhookSubscriber(endpoint: deaf.endpoint, by: Fixture.actor,
                                                               now: fixture.clock.now()).subscriber
        #expect(deafSubscriber.events == [.incident, .componentUpdate])

        // Three failures from one location (the threshold) make the check failing, dated
        // from the first; two successes make it up again.
        func report(_ outcome: ProbeOutcome, at seconds: TimeInterval, detail: String) -> CheckResult {
            CheckResult(checkID: check.id, location: "jakarta-2",
                        report: ProbeReport(outcome: outcome, at: Self.at(seconds), latencyMilliseconds: 30,
                                            detail: detail))
        }
        fixture.clock.advance(by: 180)
        #expect(try store.recordCheckResults([60, 120, 180].map { report(.failure, at: $0, detail: "HTTP 503") },
                                             now: fixture.clock.now()) == [check.id])
        fixture.clock.advance(by: 120)
        #expect(try store.recordCheckResults([240, 300].map { report(.success, at: $0, detail: "HTTP 200") },
                                             now: fixture.clock.now()) == [check.id])
        // The payloads are made from the facts fixed at each change, so they are sent even
        // though the check is gone by the time they are.
        _ = try store.deleteCheck(id: check.id, by: Fixture.actor, now: fixture.clock.now())

        #expect(try fixture.sender.deliverDue() == 1)
        #expect(try fixture.sender.deliverDue() == 1)
        #expect(try fixture.sender.deliverDue() == 0)

        let received = receiver.received
        #expect(received.count == 2)
        let pageID = try store.page().id
        let bodies = received.map { String(decoding: $0.body, as: UTF8.self) }
        func expected(eventID: String, state: String, previous: String, since: String, lastReport: String) -> String {
            #"{"meta":{"unsubscribe":null,"documentation":null,"generated_at":"2026-09-21T21:18:20.000+07:00","#
                + #""event_id":"\#(eventID)"},"page":{"id":"\#(pageID)","status_indicator":"none","#
                + #""status_description":"All Systems Operational"},"check":{"id":"\#(check.id)","#
                + #""name":"M-Paspor API","component_id":"\#(component.id)","state":"\#(state)","#
                + #""previous_state":"\#(previous)","since":"\#(since)","locations":[{"name":"jakarta-2","#
                + #""state":"\#(state)","last_report_at":"\#(lastReport)"}]}}"#
        }
        let eventIDs = received.map { $0.headers[HTTPHeaderName("X-Warta-Event-Id")] ?? "" }
        #expect(bodies[0] == expected(eventID: eventIDs[0], state: "failing", previous: "unknown",
                                      since: "2026-09-21T21:14:20.000+07:00",
                                      lastReport: "2026-09-21T21:16:20.000+07:00"))
        #expect(bodies[1] == expected(eventID: eventIDs[1], state: "up", previous: "failing",
                                      since: "2026-09-21T21:18:20.000+07:00",
                                      lastReport: "2026-09-21T21:18:20.000+07:00"))
        // What the probes saw stays with staff's management API, not in the event.
        #expect(bodies.allSatisfy { !$0.contains("HTTP 503") && !$0.contains("paspor.example.go.id") })
        for request in received {
            #expect(request.headers[HTTPHeaderName("X-Warta-Event")] == "check")
            #expect(request.headers[HTTPHeaderName("X-Warta-Signature")]
                == WebhookSignature.sign(request.body, secret: fixture.secret))
        }
        #expect(Set(eventIDs).count == 2 && eventIDs.allSatisfy { $0.count == 12 })

        #expect(deaf.received.isEmpty)
        #expect(try store.webhookSubscriber(id: deafSubscriber.id).pendingDeliveries == 0)
        #expect(try fixture.subscriber().pendingDeliveries == 0)
    }

    /// A subscriber that asked for checks only is not told of incidents.
    @Test func aCheckOnlySubscriberHearsNoIncident() throws {
        let receiver = try Receiver(statuses: [])
        let fixture = try Fixture(endpoint: receiver.endpoint, destinations: .anywhere, events: [.check],
                                  renderer: { WebhookPayloads(store: $0) })
        try fixture.postIncident()
        #expect(try fixture.sender.deliverDue() == 0)
        #expect(receiver.received.isEmpty)
        #expect(try fixture.subscriber().pendingDeliveries == 0)
    }
}
