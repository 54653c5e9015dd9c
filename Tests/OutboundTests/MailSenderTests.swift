import Foundation
import Outbound
import StatusCore
import StatusWeb
import TestSupport
import Testing

/// The sender with the texts StatusWeb really writes, against a real relay (aiosmtpd with
/// STARTTLS required and a throwaway CA) on 127.0.0.1, driven by a manual clock.
@Suite(.serialized) struct MailSenderTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T21:13:20+07:00
    static let ops = Actor(tokenName: "ops", clientAddress: "")
    static let base = "https://status.imigrasi.example"

    /// A store on a temporary file, a relay, and a sender between them.
    final class Fixture {
        let folder: TemporaryFolder
        let store: Store
        let clock = ManualClock(MailSenderTests.start)
        let relay: SMTPRelayProcess
        let sender: MailSender

        init(refusals: [SMTPRelayProcess.Refusal] = [], coalesce: TimeInterval = 60) throws {
            folder = try TemporaryFolder("mail-sender")
            store = try Store(path: folder.file("warta.db"))
            relay = try SMTPRelayProcess(security: .requiredStartTLS, refusals: refusals)
            let smtp = try SMTPRelay(SMTPRelay.Configuration(url: relay.url, caFile: relay.caFile))
            sender = MailSender(store: store, renderer: MailTexts(store: store, baseURL: MailSenderTests.base), relay: smtp,
                                sender: try MailSender.Sender("Status Imigrasi <status@imigrasi.example>"),
                                baseURL: MailSenderTests.base, clock: clock,
                                policy: MailSender.Policy(coalesce: coalesce, firstRetry: 60))
        }

        deinit {
            _ = relay.stop()
            store.close()
            folder.remove()
        }

        /// A confirmed subscriber; its confirmation is sent and consumed from the relay's count.
        func subscribe(_ email: String, language: String, components: [String]? = nil) throws -> MailSubscriber {
            try store.signUp(email: email, language: language, componentIDs: components,
                             now: clock.now())
            let id = try #require(try store.mailSubscribers(query: email).first).id
            return try #require(try store.confirmSubscription(token: try store.subscriptionToken(for: id), now: clock.now()))
        }
    }

    @Test func updatesCloseTogetherAreOneMailAndLaterOnesReplyInTheSameConversation() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let passports = try store.createComponent(ComponentDraft(name: "Layanan Paspor"), by: Self.ops, now: fixture.clock.now())
        let autogates = try store.createComponent(ComponentDraft(name: "Autogate"), by: Self.ops, now: fixture.clock.now())
        let traveller = try fixture.subscribe("traveller@example.org", language: "en", components: [passports.id])
        _ = try fixture.subscribe("warga@example.org", language: "id", components: [autogates.id])
        // The two confirmations go first.
        #expect(try fixture.sender.sendDue() == 2)
        #expect(fixture.relay.waitForMessages(2).count == 2)

        let incident = try store.createIncident(
            IncidentDraft(name: "Layanan paspor terganggu", nameTranslations: ["en": "Passport services down"],
                          status: .investigating, body: "Kami sedang menyelidiki.",
                          bodyTranslations: ["en": "We are investigating."], components: [passports.id: .majorOutage]),
            by: Self.ops, now: fixture.clock.now())
        fixture.clock.advance(by: 30)
        _ = try store.updateIncident(id: incident.id, IncidentPatch(status: .identified, body: "Pusat data terganggu."),
                                     by: Self.ops, now: fixture.clock.now())
        // Not before the coalescing window has passed since the first update.
        #expect(try fixture.sender.sendDue() == 0)
        fixture.clock.advance(by: 31)
        #expect(try fixture.sender.sendDue() == 1)
        fixture.clock.advance(by: 120)
        _ = try store.updateIncident(id: incident.id, IncidentPatch(status: .resolved, body: "Pulih."),
                                     by: Self.ops, now: fixture.clock.now())
        fixture.clock.advance(by: 60)
        #expect(try fixture.sender.sendDue() == 1)

        let messages = fixture.relay.waitForMessages(4)
        #expect(messages.count == 4)
        #expect(messages.allSatisfy { $0.tls })
        // Only the traveller hears of the passports.
        #expect(messages.suffix(2).allSatisfy { $0.recipients == ["traveller@example.org"] })
        let first = try ParsedMail.parse(messages[2].bytes)
        let second = try ParsedMail.parse(messages[3].bytes)
        let token = try store.subscriptionToken(for: traveller.id)
        let unsubscribe = "\(Self.base)/subscriptions/\(token)/unsubscribe"
        #expect(first.header("From") == "Status Imigrasi <status@imigrasi.example>")
        #expect(first.header("To") == "traveller@example.org")
        #expect(first.header("Subject")?.contains("Passport services down") == true)
        #expect(first.header("List-Unsubscribe") == "<\(unsubscribe)>")
        #expect(first.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        #expect(first.header("Content-Language") == "en")
        #expect(first.header("Message-ID") == "<incident.\(incident.id).\(traveller.id)@imigrasi.example>")
        #expect(first.header("In-Reply-To") == nil)
        #expect(first.headers["content-type"]?.first?.hasPrefix("multipart/alternative") == true)
        #expect(first.parts.map(\.type) == ["text/plain", "text/html"])
        #expect(first.parts.allSatisfy { $0.charset == "utf-8" })
        // Both updates in the one mail, in English where staff wrote it, and the link to manage.
        #expect(first.text.contains("We are investigating."))
        #expect(first.text.contains("Pusat data terganggu."))
        #expect(first.text.contains("\(Self.base)/subscriptions/\(token)"))
        #expect(!first.text.contains("\u{1}"))
        // The later mail replies to the first.
        #expect(second.header("In-Reply-To") == "<incident.\(incident.id).\(traveller.id)@imigrasi.example>")
        #expect(second.header("References") == "<incident.\(incident.id).\(traveller.id)@imigrasi.example>")
        #expect(second.header("Message-ID") != first.header("Message-ID"))
        #expect(second.text.contains("Pulih."))
        #expect(fixture.sender.statistics.sent == 4)
    }

    @Test func a451IsRetriedLaterAnd550sAreNotAndQuarantine() throws {
        let fixture = try Fixture(refusals: [.init("slow@example.org", code: 451, times: 1),
                                             .init("gone@example.org", code: 550)], coalesce: 0)
        let store = fixture.store
        let slow = try fixture.subscribe("slow@example.org", language: "en")
        let gone = try fixture.subscribe("gone@example.org", language: "id")
        // Both confirmations: one deferred, one refused.
        #expect(try fixture.sender.sendDue() == 2)
        #expect(try store.pendingMailDeliveries() == 1)
        #expect(try fixture.sender.sendDue() == 0)  // Not before its retry.
        fixture.clock.advance(by: 60)
        #expect(try fixture.sender.sendDue() == 1)
        #expect(fixture.relay.waitForMessages(1).map(\.recipients) == [["slow@example.org"]])
        #expect(try store.pendingMailDeliveries() == 0)

        // Two more refusals (three in a row) quarantine the address; nothing more goes to it.
        for name in ["One", "Two", "Three"] {
            fixture.clock.advance(by: 1)
            _ = try store.createIncident(IncidentDraft(name: name), by: Self.ops, now: fixture.clock.now())
            try fixture.sender.sendDue()
        }
        #expect(try store.mailSubscriber(id: gone.id).state == .quarantined)
        #expect(try store.mailSubscriber(id: slow.id).state == .active)
        #expect(fixture.sender.statistics.quarantined == 1)
        let refused = fixture.relay.log().filter { $0.refused == 550 }
        #expect(refused.count == 3)
        #expect(fixture.relay.waitForMessages(4).filter { $0.recipients == ["slow@example.org"] }.count == 4)
    }
}
