import Foundation
import TestSupport
import Testing

/// A person on the public page subscribes to one component in English, confirms, gets the
/// next update about it (and nothing about another component), and leaves with the one
/// click their mail client makes (RFC 8058): the built binary, a real relay with STARTTLS
/// required (aiosmtpd) and curl, all on 127.0.0.1.
@Suite(.serialized)
struct MailEndToEndTests {
    typealias Fixture = ManagementAPITests.Fixture
    static let publicBase = "https://status.imigrasi.example"

    static func serve(_ relay: SMTPRelayProcess) throws -> Fixture {
        try Fixture(["--smtp-url", relay.url, "--smtp-ca-file", relay.caFile ?? "",
                     "--mail-from", "Status Imigrasi <status@imigrasi.example>", "--base-url", publicBase,
                     "--mail-coalesce", "0", "--smtp-rate", "50"])
    }

    /// The first link into the site in a message's text, as a path.
    static func link(_ message: ParsedMail, containing fragment: String) -> String? {
        message.text.split(whereSeparator: { $0.isWhitespace || $0 == "<" || $0 == ">" }).map(String.init)
            .first { $0.hasPrefix(publicBase) && $0.contains(fragment) }
            .map { String($0.dropFirst(publicBase.count)) }
    }

    @Test func subscribeConfirmHearOfOneComponentAndLeaveWithOneClick() throws {
        let relay = try SMTPRelayProcess(security: .requiredStartTLS)
        defer { _ = relay.stop() }
        let fixture = try Self.serve(relay)
        func create(_ name: String) throws -> String {
            let response = try fixture.request("POST", "/v1/pages/{page}/components", form: ["component[name]=\(name)"])
            #expect(response.status == 201)
            return try #require(response.object["id"] as? String)
        }
        let passports = try create("Layanan Paspor")
        let autogates = try create("Autogate Bandara")

        // The form is on the page; the sign-up answers 303 whatever the address.
        let page = try curl(["-s", "-H", "Accept-Language: en", fixture.base + "/"])
        #expect(page.contains("action=\"/subscribe?lang=en\""), "\(page)")
        let signUp = try Fixture.request(base: fixture.base, token: nil, "POST", "/subscribe",
                                         form: ["email=traveller@example.org", "language=en", "components=chosen",
                                                "component_ids[]=\(passports)"])
        #expect(signUp.status == 303, "\(signUp.body)")
        #expect(signUp.headers["location"]?.hasPrefix("/subscribe/sent") == true)

        let confirmation = try #require(relay.waitForMessages(1, timeout: 20).first)
        #expect(confirmation.tls && confirmation.recipients == ["traveller@example.org"])
        let confirmMail = try ParsedMail.parse(confirmation.bytes)
        let manage = try #require(Self.link(confirmMail, containing: "/subscriptions/"), "\(confirmMail.text)")
        // Opening the link (as a mail scanner does) confirms nothing.
        let opened = try Fixture.request(base: fixture.base, token: nil, "GET", manage)
        #expect(opened.status == 200)
        #expect(opened.headers["referrer-policy"] == "no-referrer")
        var listed = try fixture.request("GET", "/v1/pages/{page}/subscribers?type=email")
        #expect((listed.json as? [[String: Any]])?.first?["state"] as? String == "unconfirmed", "\(listed.body)")
        let confirmed = try Fixture.request(base: fixture.base, token: nil, "POST", manage, form: ["action=confirm"])
        #expect(confirmed.status == 303)
        listed = try fixture.request("GET", "/v1/pages/{page}/subscribers?type=email")
        let subscriber = try #require((listed.json as? [[String: Any]])?.first)
        #expect(subscriber["state"] as? String == "active")
        #expect(subscriber["components"] as? [String] == [passports])

        // An incident on the other component: nothing. Then one on theirs: one mail.
        var response = try fixture.request("POST", "/v1/pages/{page}/incidents",
                                           form: ["incident[name]=Autogate mati", "incident[component_ids][]=\(autogates)"])
        #expect(response.status == 201)
        response = try fixture.request("POST", "/v1/pages/{page}/incidents",
                                       form: ["incident[name]=Passport services down", "incident[body]=We are investigating.",
                                              "incident[component_ids][]=\(passports)",
                                              "incident[components][\(passports)]=major_outage"])
        #expect(response.status == 201)
        let incidentID = try #require(response.object["id"] as? String)
        let messages = relay.waitForMessages(2, timeout: 20)
        #expect(messages.count == 2)
        let news = try ParsedMail.parse(try #require(messages.last).bytes)
        #expect(news.header("Subject")?.contains("Passport services down") == true, "\(news.headers)")
        #expect(news.text.contains("We are investigating."))
        #expect(news.text.contains("\(Self.publicBase)/incidents/\(incidentID)"))
        let unsubscribe = try #require(news.header("List-Unsubscribe"))
        #expect(news.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")

        // The mail client's one click: a POST of exactly this body to that URL.
        let target = String(unsubscribe.dropFirst(1 + Self.publicBase.count).dropLast())
        let left = try curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                             "-H", "Content-Type: application/x-www-form-urlencoded",
                             "--data-binary", "List-Unsubscribe=One-Click", fixture.base + target])
        #expect(left == "200")
        let count = try fixture.request("GET", "/v1/pages/{page}/subscribers/count?type=email")
        #expect(count.object["count"] as? Int == 0, "\(count.body)")
        // Nothing left of the address.
        #expect(!(try fixture.dump()).joined().contains("traveller@example.org"))

        // A later update reaches no one, and the relay saw exactly the two mails.
        response = try fixture.request("PATCH", "/v1/pages/{page}/incidents/\(incidentID)",
                                       form: ["incident[status]=resolved", "incident[body]=Pulih."])
        #expect(response.status == 200)
        Thread.sleep(forTimeInterval: 1)
        #expect(relay.messages().count == 2)
    }
}

