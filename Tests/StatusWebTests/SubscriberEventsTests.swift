import Foundation
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// Webhook subscribers choose their events (`subscriber[events]`), over real sockets and a
/// real database: `check` only when asked for, incidents and component updates by default.
@Suite struct SubscriberEventsTests {
    typealias PageServer = PublicPagesTests.PageServer

    struct Site {
        let server: PageServer
        let authorization: [String: String]
        let path: String

        init() throws {
            server = try PageServer.make()
            let token = try server.store.createToken(name: "ops", by: PublicPagesTests.actor, now: server.clock.now())
            authorization = ["Authorization": "OAuth \(token)"]
            path = "/v1/pages/\(try server.store.page().id)/subscribers"
        }

        func create(form: String) throws -> TestResponse {
            try server.send("POST", path, authorization, body: form)
        }

        func create(json: String) throws -> TestResponse {
            try server.send("POST", path, authorization.merging(["Content-Type": "application/json"]) { $1 }, body: json)
        }

        /// The `events` member of a subscriber object, as sent.
        static func events(_ response: TestResponse) throws -> String {
            let text = response.text
            let start = try #require(text.range(of: #""events":"#))
            let end = try #require(text[start.upperBound...].firstIndex(of: "]"))
            return String(text[start.lowerBound...end])
        }
    }

    @Test func eventsFromAJSONArrayAreShownInOneOrder() throws {
        let site = try Site()
        defer { site.server.close() }
        let created = try site.create(json: #"{"subscriber": {"endpoint": "https://hooks.example.com/warta", "events": ["check", "incident", "check"]}}"#)
        #expect(created.status == 201, "\(created.text)")
        #expect(try Site.events(created) == #""events":["incident","check"]"#)
        // Before the secret, which comes last and only now.
        #expect(created.text.contains(#""events":["incident","check"],"secret":""#))

        let listed = try site.server.get(site.path, site.authorization)
        #expect(listed.status == 200)
        #expect(try Site.events(listed) == #""events":["incident","check"]"#)
        #expect(!listed.text.contains("secret"))
    }

    @Test func eventsFromAForm() throws {
        let site = try Site()
        defer { site.server.close() }
        let created = try site.create(form: "subscriber[endpoint]=https://hooks.example.com/warta&subscriber[events][]=check")
        #expect(created.status == 201, "\(created.text)")
        #expect(try Site.events(created) == #""events":["check"]"#)
    }

    /// What every subscriber got before it could choose.
    @Test func noEventsMeansIncidentsAndComponentUpdates() throws {
        let site = try Site()
        defer { site.server.close() }
        let created = try site.create(form: "subscriber[endpoint]=https://hooks.example.com/warta")
        #expect(created.status == 201)
        #expect(try Site.events(created) == #""events":["incident","component_update"]"#)
        let id = try #require(try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])["id"] as? String
        #expect(try site.server.store.webhookSubscriber(id: try #require(id)).events == [.incident, .componentUpdate])
    }

    @Test(arguments: [
        (#"{"subscriber": {"endpoint": "https://hooks.example.com/warta", "events": ["incident", "checks"]}}"#,
         "'checks' is not an allowed value; use one of: incident, component_update, check."),
        (#"{"subscriber": {"endpoint": "https://hooks.example.com/warta", "events": []}}"#,
         "A subscriber must be told of at least one event."),
        (#"{"subscriber": {"endpoint": "https://hooks.example.com/warta", "events": "check"}}"#,
         "subscriber[events] must be a list, not a string."),
        (#"{"subscriber": {"endpoint": "https://hooks.example.com/warta", "events": [1]}}"#,
         "subscriber[events] must be a list of strings."),
    ])
    func refusedEventsNameTheFieldAndCreateNothing(body: String, detail: String) throws {
        let site = try Site()
        defer { site.server.close() }
        let refused = try site.create(json: body)
        #expect(refused.status == 422)
        #expect(refused.header("Content-Type") == "application/problem+json")
        let problem = try #require(try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: Any])
        #expect(problem["field"] as? String == "subscriber[events]")
        #expect(problem["detail"] as? String == detail)
        #expect(try site.server.store.webhookSubscribers().isEmpty)
    }
}
