import Foundation
import HTTPServer
import SQLite
import StatusCore
import Synchronization
import TestSupport
import Testing
@testable import StatusWeb

/// Email subscribers through Statuspage's v1 subscribers API, over real sockets and a real
/// database with the clock moved by hand: what a staff member's curl line or a Statuspage
/// client does, every bad input answered 422 naming the field with nothing changed, and
/// the mail each action queues read from the outbox itself.
@Suite struct MailSubscriberAPITests {
    typealias Site = CheckAPITests.Site

    /// A server with an SMTP relay (`mailSubscriptions`) unless `relay` is false, and its
    /// component M-Paspor API.
    static func site(relay: Bool = true) throws -> Site {
        var options = PageOptions.standard
        options.mailSubscriptions = relay
        return try Site(options: options)
    }

    static let created = "2031-03-10T12:00:00.000+07:00"

    // MARK: Create

    @Test func staffAddAnAddressWithAFormLine() throws {
        let site = try Self.site()
        let visa = try site.addComponent("Visa").id
        let created = try site.send("POST", "/v1/pages/{page}/subscribers",
                                    form: "subscriber[email]=ani%40example.org&subscriber[component_ids][]=\(visa)"
                                        + "&subscriber[language]=en")
        #expect(created.status == 201, "\(created.text)")
        #expect(created.header("Content-Type") == "application/json; charset=utf-8")
        let id = try #require(try site.object(created)["id"] as? String)
        let expected = #"{"id":"\#(id)","mode":"email","email":"ani@example.org","endpoint":null,"phone_number":null,"#
            + #""phone_country":null,"display_phone_number":null,"obfuscated_channel_name":null,"workspace_name":null,"#
            + #""slack_channel_id":null,"skip_confirmation_notification":false,"#
            + #""purge_at":"2031-03-12T12:00:00.000+07:00","quarantined_at":null,"created_at":"\#(Self.created)","#
            + #""components":["\#(visa)"],"page_access_user_id":null,"state":"unconfirmed","language":"en"}"#
        #expect(created.text == expected)
        // Double opt-in: a confirmation is queued, and the address stays out of the audit log.
        #expect(try site.mailDeliveries() == ["\(id) confirmation"])
        let audit = try site.send("GET", "/v1/pages/{page}/audit-log")
        #expect(audit.text.contains(#""action":"mail_subscriber.create","target_type":"subscriber","target_id":"\#(id)""#))
        #expect(!audit.text.contains("ani@"))

        let shown = try site.send("GET", "/v1/pages/{page}/subscribers/\(id)")
        #expect(shown.status == 200)
        #expect(shown.text == expected)
    }

    /// A JSON body, confirmation skipped, no components (all of them, listed) and no language
    /// (the page's).
    @Test func aJSONBodyCanSkipTheConfirmation() throws {
        let site = try Self.site()
        let visa = try site.addComponent("Visa")
        let created = try site.send("POST", "/v1/pages/{page}/subscribers", json:
            #"{"subscriber": {"email": "Budi@Example.org", "skip_confirmation_notification": true, "component_ids": []}}"#)
        #expect(created.status == 201, "\(created.text)")
        let subscriber = try site.object(created)
        #expect(subscriber["mode"] as? String == "email")
        #expect(subscriber["email"] as? String == "Budi@Example.org")
        #expect(subscriber["state"] as? String == "active")
        #expect(subscriber["skip_confirmation_notification"] as? Bool == true)
        #expect(subscriber["purge_at"] is NSNull)
        #expect(subscriber["language"] as? String == "id")
        #expect(subscriber["components"] as? [String] == [site.component.id, visa.id])
        #expect(try site.mailDeliveries().isEmpty)
        let id = try #require(subscriber["id"] as? String)
        #expect(try site.server.store.mailSubscriber(id: id).componentIDs == nil)
    }

    @Test func refusedSubscribersNameTheFieldAndChangeNothing() throws {
        let site = try Self.site()
        _ = try site.subscribe("ani@example.org")
        let before = try site.dump()
        let paspor = site.component.id
        let cases: [(body: String, json: Bool, field: String, detail: String)] = [
            (#"{"subscriber": {"email": "ani@example.org\r\nBcc: everyone@example.org"}}"#, true, "subscriber[email]",
             "An email address cannot contain a line break or another control character."),
            ("subscriber[email]=budi%40example.org%0D%0ABcc%3A+everyone%40example.org", false, "subscriber[email]",
             "An email address cannot contain a line break or another control character."),
            (#"{"subscriber": {"email": "budi"}}"#, true, "subscriber[email]",
             "An email address has the form name@example.org."),
            (#"{"subscriber": {"email": "ANI@example.org"}}"#, true, "subscriber[email]",
             "This address is subscribed already."),
            (#"{"subscriber": {"email": "budi@example.org", "component_ids": ["\#(paspor)", "nosuchcompnt"]}}"#, true,
             "subscriber[component_ids]", "There is no component with id 'nosuchcompnt'."),
            (#"{"subscriber": {"email": "budi@example.org", "language": "fr"}}"#, true, "subscriber[language]",
             "The language is id or en, not 'fr'."),
            (#"{"subscriber": {"email": "budi@example.org", "events": ["check"]}}"#, true, "subscriber[events]",
             "subscriber[events] is for webhook subscribers; an email subscriber is mailed about incidents and maintenances."),
            (#"{"subscriber": {"email": "budi@example.org", "endpoint": "https://hooks.example.com/warta"}}"#, true,
             "subscriber[endpoint]", "A subscriber has subscriber[email] or subscriber[endpoint], not both."),
            (#"{"subscriber": {"skip_confirmation_notification": true}}"#, true, "subscriber[email]",
             "A subscriber needs subscriber[email], the address to mail, or subscriber[endpoint], the URL to POST to."),
            ("subscriber[endpoint]=https%3A%2F%2Fhooks.example.com%2Fwarta&subscriber[component_ids][]=\(paspor)", false,
             "subscriber[component_ids]",
             "subscriber[component_ids] is for email subscribers; a webhook subscriber is told of every component."),
        ]
        for (body, json, field, detail) in cases {
            let response = try json ? site.send("POST", "/v1/pages/{page}/subscribers", json: body)
                : site.send("POST", "/v1/pages/{page}/subscribers", form: body)
            #expect(response.status == 422, "\(body): \(response.text)")
            #expect(response.header("Content-Type") == "application/problem+json")
            let problem = try site.object(response)
            #expect(problem["field"] as? String == field, "\(body)")
            #expect(problem["detail"] as? String == detail, "\(body)")
        }
        #expect(try site.dump() == before)
    }

    @Test func withoutARelayEmailIsRefusedAndWebhooksStillWork() throws {
        let site = try Self.site(relay: false)
        let before = try site.dump()
        let refused = try site.send("POST", "/v1/pages/{page}/subscribers", form: "subscriber[email]=ani%40example.org")
        #expect(refused.status == 422)
        #expect(refused.header("Content-Type") == "application/problem+json")
        let problem = try site.object(refused)
        #expect(problem["field"] as? String == "subscriber[email]")
        #expect(problem["detail"] as? String == "This server has no SMTP relay configured (warta serve --smtp-url ...), "
            + "so it cannot mail subscribers.")
        // With no relay, a subscriber can only be a webhook: that is the field missing.
        let empty = try site.send("POST", "/v1/pages/{page}/subscribers", json: #"{"subscriber": {}}"#)
        #expect(empty.status == 422)
        #expect(try site.object(empty)["field"] as? String == "subscriber[endpoint]")
        let resend = try site.send("POST", "/v1/pages/{page}/subscribers/resend_confirmation", json: #"{"subscribers": "all"}"#)
        #expect(resend.status == 422)
        #expect(try site.object(resend)["field"] as? String == "subscribers")
        #expect(try site.dump() == before)

        let webhook = try site.subscribeWebhook()
        let listed = try site.send("GET", "/v1/pages/{page}/subscribers")
        #expect(try site.ids(listed) == [webhook])
    }

    /// Counts the calls of the API's `mailQueued`.
    final class Wakes: Sendable {
        let count = Mutex(0)
    }

    /// Staff writes rebuild no snapshot, so the publisher's observers never hear of the mail
    /// they queue: the API wakes the sender itself, once for each write that queued any.
    @Test func writesThatQueueMailWakeTheSender() throws {
        let site = try Self.site()
        let wakes = Wakes()
        var router = Router()
        ManagementAPI.register(on: &router, publisher: site.server.publisher,
                               throttle: AuthenticationThrottle(clock: site.server.clock),
                               webhookDestinations: .publicOnly, diskFull: DiskFullState(),
                               mailQueued: { wakes.count.withLock { $0 += 1 } })
        func post(_ path: String, _ json: String) -> Int {
            let target = "/v1/pages/\(site.pageID)/subscribers" + path
            let request = HTTPRequest(method: .post, target: target, path: target,
                                      headers: ["Authorization": "OAuth \(site.token)", "Content-Type": "application/json"],
                                      body: Array(json.utf8))
            guard case .blocking(let work) = router.respond(to: request) else { return 0 }
            return work().status.code
        }
        let steps: [(String, String, Int, Int)] = [
            ("", #"{"subscriber": {"email": "ani@example.org"}}"#, 201, 1),
            ("", #"{"subscriber": {"email": "budi@example.org", "skip_confirmation_notification": true}}"#, 201, 1),
            ("/resend_confirmation", #"{"subscribers": "all"}"#, 200, 2),
            ("/unsubscribe", #"{"subscribers": "all", "state": "unconfirmed"}"#, 200, 2),
            ("/resend_confirmation", #"{"subscribers": "all"}"#, 200, 2),
            ("", #"{"subscriber": {"email": "budi@example.org"}}"#, 422, 2),
        ]
        for (path, body, status, count) in steps {
            #expect(post(path, body) == status, "\(path) \(body)")
            #expect(wakes.count.withLock { $0 } == count, "\(path) \(body)")
        }
    }

    // MARK: Read

    /// A webhook, then an unconfirmed, an active and a quarantined address, a minute apart.
    final class Population {
        let site: Site
        let webhook: String, unconfirmed: String, active: String, quarantined: String

        init() throws {
            site = try MailSubscriberAPITests.site()
            webhook = try site.subscribeWebhook()
            site.server.clock.advance(by: 60)
            unconfirmed = try site.subscribe("ani@example.org")
            site.server.clock.advance(by: 60)
            active = try site.subscribe("budi@example.net", skipConfirmation: true)
            site.server.clock.advance(by: 60)
            quarantined = try site.subscribe("citra@example.org", skipConfirmation: true)
            try site.execute("UPDATE mail_subscribers SET quarantined_at = ?, hard_failures = 3 WHERE id = ?",
                             ["2031-03-10T05:03:30.000Z", quarantined])
        }
    }

    @Test func listsFilterByTypeStateAndAddressAndPage() throws {
        let people = try Population()
        let site = people.site
        let cases: [(String, [String])] = [
            ("", [people.webhook, people.unconfirmed, people.active, people.quarantined]),
            ("?type=email", [people.unconfirmed, people.active, people.quarantined]),
            ("?type=webhook", [people.webhook]),
            ("?state=active", [people.webhook, people.active]),
            ("?state=unconfirmed", [people.unconfirmed]),
            ("?type=email&state=quarantined", [people.quarantined]),
            ("?type=webhook&state=quarantined", []),
            ("?state=all&q=EXAMPLE.ORG", [people.unconfirmed, people.quarantined]),
            ("?q=hooks.example", [people.webhook]),
            ("?limit=2&page=2", [people.active, people.quarantined]),
            ("?per_page=1&page=3", [people.active]),
            ("?limit=3&page=3", []),
        ]
        for (query, expected) in cases {
            let listed = try site.send("GET", "/v1/pages/{page}/subscribers" + query)
            #expect(listed.status == 200, "\(query): \(listed.text)")
            #expect(try site.ids(listed) == expected, "\(query)")
        }
        let listed = try site.send("GET", "/v1/pages/{page}/subscribers?type=email&state=quarantined")
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(listed.body)) as? [[String: Any]]).first
        #expect(entry?["quarantined_at"] as? String == "2031-03-10T12:03:30.000+07:00")
        #expect(entry?["state"] as? String == "quarantined")
        let webhook = try site.object(try site.send("GET", "/v1/pages/{page}/subscribers/\(people.webhook)"))
        #expect(webhook["mode"] as? String == "webhook" && webhook["state"] as? String == "active")
    }

    @Test func countsByTypeAndState() throws {
        let people = try Population()
        let site = people.site
        let cases: [(String, String)] = [
            ("", #"{"type":null,"state":"all","count":4}"#),
            ("?type=email", #"{"type":"email","state":"all","count":3}"#),
            ("?type=email&state=active", #"{"type":"email","state":"active","count":1}"#),
            ("?state=active", #"{"type":null,"state":"active","count":2}"#),
            ("?type=webhook&state=unconfirmed", #"{"type":"webhook","state":"unconfirmed","count":0}"#),
            ("?state=quarantined", #"{"type":null,"state":"quarantined","count":1}"#),
        ]
        for (query, expected) in cases {
            let counted = try site.send("GET", "/v1/pages/{page}/subscribers/count" + query)
            #expect(counted.status == 200)
            #expect(counted.text == expected, "\(query)")
        }
    }

    @Test func unknownFiltersAreRefusedNamingTheAllowedValues() throws {
        let people = try Population()
        let site = people.site
        let cases: [(String, String, String)] = [
            ("/v1/pages/{page}/subscribers?type=sms", "type", "'sms' is not an allowed value; use one of: email, webhook."),
            ("/v1/pages/{page}/subscribers?state=gone", "state",
             "'gone' is not an allowed value; use one of: active, unconfirmed, quarantined, all."),
            ("/v1/pages/{page}/subscribers/count?type=slack", "type",
             "'slack' is not an allowed value; use one of: email, webhook."),
            ("/v1/pages/{page}/subscribers?limit=0", "limit", "limit must be a whole number from 1 to 100."),
        ]
        for (path, field, detail) in cases {
            let refused = try site.send("GET", path)
            #expect(refused.status == 422, "\(path)")
            #expect(refused.header("Content-Type") == "application/problem+json")
            let problem = try site.object(refused)
            #expect(problem["field"] as? String == field)
            #expect(problem["detail"] as? String == detail)
        }
    }

    // MARK: Remove

    @Test func deletingAnAddressDeletesItAndItsMail() throws {
        let people = try Population()
        let site = people.site
        let shown = try site.send("GET", "/v1/pages/{page}/subscribers/\(people.unconfirmed)")
        let deleted = try site.send("DELETE", "/v1/pages/{page}/subscribers/\(people.unconfirmed)")
        #expect(deleted.status == 200)
        #expect(deleted.text == shown.text)
        #expect(try site.send("GET", "/v1/pages/{page}/subscribers/\(people.unconfirmed)").status == 404)
        #expect(try site.send("DELETE", "/v1/pages/{page}/subscribers/\(people.unconfirmed)").status == 404)
        #expect(try site.mailDeliveries().isEmpty)
        #expect(try site.server.store.mailSubscribers().map(\.id) == [people.active, people.quarantined])
        let audit = try site.send("GET", "/v1/pages/{page}/audit-log")
        #expect(audit.text.contains(#""action":"mail_subscriber.delete","target_type":"subscriber","target_id":"\#(people.unconfirmed)""#))
        #expect(!audit.text.contains("ani@"))

        let webhook = try site.send("DELETE", "/v1/pages/{page}/subscribers/\(people.webhook)")
        #expect(webhook.status == 200)
        #expect(try site.object(webhook)["endpoint"] as? String == "https://hooks.example.com/warta")
        #expect(try site.server.store.webhookSubscribers().isEmpty)
    }

    @Test func unsubscribeManyAnswersThemAsTheyWere() throws {
        let people = try Population()
        let site = people.site
        let shown = try site.send("GET", "/v1/pages/{page}/subscribers?state=active")
        let unsubscribed = try site.send("POST", "/v1/pages/{page}/subscribers/unsubscribe",
                                         json: #"{"subscribers": ["\#(people.active)", "\#(people.webhook)"]}"#)
        #expect(unsubscribed.status == 200, "\(unsubscribed.text)")
        #expect(unsubscribed.text == shown.text)
        #expect(try site.ids(try site.send("GET", "/v1/pages/{page}/subscribers")) == [people.unconfirmed, people.quarantined])

        // A form; the type filter leaves the other kind alone.
        let form = try site.send("POST", "/v1/pages/{page}/subscribers/unsubscribe",
                                 form: "subscribers[]=\(people.quarantined)&type=webhook")
        #expect(form.status == 200)
        #expect(try site.ids(form) == [])
        let all = try site.send("POST", "/v1/pages/{page}/subscribers/unsubscribe",
                                form: "subscribers=all&type=email&state=unconfirmed")
        #expect(all.status == 200)
        #expect(try site.ids(all) == [people.unconfirmed])
        #expect(try site.server.store.mailSubscribers().map(\.id) == [people.quarantined])
    }

    @Test func badUnsubscribeBodiesChangeNothing() throws {
        let people = try Population()
        let site = people.site
        let before = try site.dump()
        let tooMany = (0..<101).map { #""id\#($0)""# }.joined(separator: ",")
        let cases: [(String, String, String)] = [
            (#"{"subscribers": [\#(tooMany)]}"#, "subscribers",
             #"At most 100 subscribers at a time, not 101; use "all" with type and state for more."#),
            (#"{"subscribers": ["\#(people.active)", "nosuchsubscr"]}"#, "subscribers",
             "There is no subscriber with id 'nosuchsubscr'."),
            (#"{"type": "email"}"#, "subscribers", #"subscribers is required: a list of subscriber ids, or "all"."#),
            (#"{"subscribers": 5}"#, "subscribers", #"subscribers must be a list of ids or "all", not a number."#),
            (#"{"subscribers": "all", "type": "sms"}"#, "type", "'sms' is not an allowed value; use one of: email, webhook."),
        ]
        for (body, field, detail) in cases {
            let refused = try site.send("POST", "/v1/pages/{page}/subscribers/unsubscribe", json: body)
            #expect(refused.status == 422, "\(body)")
            let problem = try site.object(refused)
            #expect(problem["field"] as? String == field)
            #expect(problem["detail"] as? String == detail)
        }
        #expect(try site.dump() == before)
    }

    // MARK: Confirmations and quarantine

    @Test func confirmationsAreResentToUnconfirmedAddressesOnly() throws {
        let people = try Population()
        let site = people.site
        #expect(try site.mailDeliveries() == ["\(people.unconfirmed) confirmation"])
        site.server.clock.advance(by: 3600)  // 13:03 WIB

        let resent = try site.send("POST", "/v1/pages/{page}/subscribers/resend_confirmation",
                                   json: #"{"subscribers": ["\#(people.active)", "\#(people.unconfirmed)", "\#(people.webhook)"]}"#)
        #expect(resent.status == 200, "\(resent.text)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(resent.body)) as? [[String: Any]])
        #expect(list.map { $0["id"] as? String } == [people.unconfirmed])
        #expect(list.first?["purge_at"] as? String == "2031-03-12T13:03:00.000+07:00")
        #expect(try site.mailDeliveries() == ["\(people.unconfirmed) confirmation", "\(people.unconfirmed) confirmation"])

        let all = try site.send("POST", "/v1/pages/{page}/subscribers/resend_confirmation", form: "subscribers=all")
        #expect(try site.ids(all) == [people.unconfirmed])
        #expect(try site.mailDeliveries().count == 3)

        let one = try site.send("POST", "/v1/pages/{page}/subscribers/\(people.unconfirmed)/resend_confirmation")
        #expect(one.status == 200)
        #expect(try site.object(one)["id"] as? String == people.unconfirmed)
        #expect(try site.mailDeliveries().count == 4)

        let before = try site.dump()
        let active = try site.send("POST", "/v1/pages/{page}/subscribers/\(people.active)/resend_confirmation")
        #expect(active.status == 422)
        #expect(try site.object(active)["detail"] as? String
            == "Only an unconfirmed email subscriber is sent a confirmation; this one is active.")
        #expect(try site.send("POST", "/v1/pages/{page}/subscribers/nosuchsubscr/resend_confirmation").status == 404)
        #expect(try site.dump() == before)
    }

    @Test func reactivationLiftsTheQuarantine() throws {
        let people = try Population()
        let site = people.site
        let webhooks = try site.send("POST", "/v1/pages/{page}/subscribers/reactivate",
                                     json: #"{"subscribers": "all", "type": "webhook"}"#)
        #expect(webhooks.status == 200)
        #expect(try site.ids(webhooks) == [])

        let reactivated = try site.send("POST", "/v1/pages/{page}/subscribers/reactivate",
                                        json: #"{"subscribers": ["\#(people.quarantined)", "\#(people.active)"]}"#)
        #expect(reactivated.status == 200, "\(reactivated.text)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(reactivated.body)) as? [[String: Any]])
        #expect(list.map { $0["id"] as? String } == [people.quarantined])
        #expect(list.first?["state"] as? String == "active")
        #expect(list.first?["quarantined_at"] is NSNull)
        let stored = try #require(try site.server.store.withDatabase { database in
            try database.queryOne("SELECT quarantined_at, hard_failures FROM mail_subscribers WHERE id = ?",
                                  [people.quarantined])
        })
        #expect(try stored.optionalString("quarantined_at") == nil)
        #expect(try stored.int("hard_failures") == 0)
        #expect(try site.send("GET", "/v1/pages/{page}/subscribers/count?state=quarantined").text
            == #"{"type":null,"state":"quarantined","count":0}"#)
    }

    // MARK: Maintenance reminders

    @Test func scheduledRemindPriorRoundTripsOnAMaintenance() throws {
        let site = try Self.site()
        let created = try site.send("POST", "/v1/pages/{page}/incidents", form:
            "incident[name]=Pemeliharaan+Paspor&incident[status]=scheduled"
            + "&incident[scheduled_for]=2031-03-10T08:00:00Z&incident[scheduled_until]=2031-03-10T09:00:00Z"
            + "&incident[scheduled_remind_prior]=true")
        #expect(created.status == 201, "\(created.text)")
        let maintenance = try site.object(created)
        #expect(maintenance["scheduled_remind_prior"] as? Bool == true)
        #expect(maintenance["scheduled_reminded_at"] is NSNull)
        let id = try #require(maintenance["id"] as? String)

        let off = try site.send("PATCH", "/v1/pages/{page}/incidents/\(id)",
                                json: #"{"incident": {"scheduled_remind_prior": false}}"#)
        #expect(off.status == 200, "\(off.text)")
        #expect(try site.object(off)["scheduled_remind_prior"] as? Bool == false)
        let on = try site.send("PATCH", "/v1/pages/{page}/incidents/\(id)",
                               json: #"{"incident": {"scheduled_remind_prior": true}}"#)
        #expect(try site.object(on)["scheduled_remind_prior"] as? Bool == true)

        // An hour before the window opens (15:00 WIB), the clock path sends the reminder.
        site.server.clock.advance(by: 2 * 3600 + 30 * 60)  // 14:30 WIB
        try site.server.store.applyTimeDrivenChanges(now: site.server.clock.now())
        let reminded = try site.object(try site.send("GET", "/v1/pages/{page}/incidents/\(id)"))
        #expect(reminded["scheduled_remind_prior"] as? Bool == true)
        #expect(reminded["scheduled_reminded_at"] as? String == "2031-03-10T14:30:00.000+07:00")

        let refused = try site.send("PATCH", "/v1/pages/{page}/incidents/\(id)",
                                    json: #"{"incident": {"scheduled_remind_prior": "soon"}}"#)
        #expect(refused.status == 422)
        #expect(try site.object(refused)["field"] as? String == "incident[scheduled_remind_prior]")
    }
}

extension CheckAPITests.Site {
    func ids(_ response: TestResponse) throws -> [String] {
        let list = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]],
                                "\(response.text)")
        return list.map { $0["id"] as? String ?? "?" }
    }

    func addComponent(_ name: String) throws -> Component {
        try server.write { store, now in
            try store.createComponent(ComponentDraft(name: name), by: PublicPagesTests.actor, now: now)
        }
    }

    /// Creates an email subscriber through the API; returns its id.
    func subscribe(_ email: String, skipConfirmation: Bool = false) throws -> String {
        let created = try send("POST", "/v1/pages/{page}/subscribers", json:
            #"{"subscriber": {"email": "\#(email)", "skip_confirmation_notification": \#(skipConfirmation)}}"#)
        #expect(created.status == 201, "\(created.text)")
        return try #require(try object(created)["id"] as? String)
    }

    func subscribeWebhook() throws -> String {
        let created = try send("POST", "/v1/pages/{page}/subscribers",
                               form: "subscriber[endpoint]=https%3A%2F%2Fhooks.example.com%2Fwarta")
        #expect(created.status == 201, "\(created.text)")
        return try #require(try object(created)["id"] as? String)
    }

    /// `subscriber_id kind` of every queued mail, oldest first.
    func mailDeliveries() throws -> [String] {
        try server.store.withDatabase { database in
            try database.query("SELECT subscriber_id, kind FROM mail_deliveries ORDER BY id")
                .map { "\(try $0.string("subscriber_id")) \(try $0.string("kind"))" }
        }
    }

    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try server.store.withDatabase { database in try database.execute(sql, arguments) }
    }
}
