import Foundation
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// What the mails say, written from a real store on a temporary SQLite file: the events are
/// the ones the store queues when staff post, so the updates a mail reports are those a
/// sender would be given.
@Suite struct MailTextsTests {
    static let actor = Actor(tokenName: "mail-test", clientAddress: "127.0.0.1")
    /// 16:49 WIB on Sunday 29 November 2026.
    static let start = instant("2026-11-29T09:49:00Z")
    static let manage = MailContent.manageLink
    static let unsubscribe = MailContent.unsubscribeLink

    // MARK: Incident mails

    @Test func subjectsNameThePageTheStatusAndTheIncidentInEachLanguage() throws {
        let site = try Site.make()
        defer { site.close() }
        try site.openIncident()
        let mails = try #require(try site.texts.content(of: try site.onlyEvent(), now: Self.start))
        #expect(Set(mails.keys) == ["id", "en"])
        #expect(mails["en"]?.subject == "[Status Imigrasi] Investigating: Passport services down")
        #expect(mails["id"]?.subject == "[Status Imigrasi] Diselidiki: Layanan paspor terganggu")
    }

    /// One whole text part, so every line is checked: title, update, component change,
    /// affected components, promise, link, footer with both markers.
    @Test func theTextPartOfANewIncident() throws {
        let site = try Site.make()
        defer { site.close() }
        try site.openIncident()
        let mails = try #require(try site.texts.content(of: try site.onlyEvent(), now: Self.start + 60))
        let id = try site.incidentID
        #expect(mails["en"]?.text == """
            Passport services down

            Investigating · 16:49 WIB
            We are looking into reports that passport appointments cannot be booked.
            Details:
            https://imigrasi.example/a/very/long/path/that/must/never/be/broken/at/all

            - Passport services: Operational → Major outage

            Affected components: Passport services (Major outage)

            Next update by 17:30 WIB

            Full timeline: https://status.imigrasi.example/incidents/\(id)?lang=en

            -- 
            You get this mail because you follow Status Imigrasi updates about
            Passport services (or about all components).
            Change what you receive or leave: \(Self.manage)
            Unsubscribe: \(Self.unsubscribe)

            """)
        #expect(mails["id"]?.text.contains("Diselidiki · 16.49 WIB\nKami sedang menyelidiki laporan") == true)
        #expect(mails["id"]?.text.contains("dipesan.\n\n- Passport services: Normal → Gangguan total\n") == true)
        #expect(mails["id"]?.text.contains("\nPembaruan berikutnya paling lambat 17.30 WIB\n") == true)
        #expect(mails["id"]?.text.contains(
            "Linimasa lengkap: https://status.imigrasi.example/incidents/\(id)?lang=id\n") == true)
    }

    @Test func textLinesAreWrappedAtSeventyTwoButNeverInsideAURL() throws {
        let site = try Site.make()
        defer { site.close() }
        try site.openIncident()
        let mails = try #require(try site.texts.content(of: try site.onlyEvent(), now: Self.start))
        for (language, mail) in mails {
            for line in mail.text.split(separator: "\n") where line.count > MailDocument.lineWidth {
                #expect(line.split(separator: " ").contains { $0.count > 40 && $0.hasPrefix("https://") },
                        "\(language): \(line)")
            }
        }
        #expect(mails["en"]?.text.contains("\nhttps://imigrasi.example/a/very/long/path/that/must/never/be/broken/at/all\n") == true)
        #expect(MailDocument.wrap("- " + String(repeating: "word ", count: 20), first: "", continuation: "")
            == ["- word word word word word word word word word word word word word word",
                "word word word word word word"])
        #expect(MailDocument.wrap("item " + String(repeating: "x", count: 80), first: "- ", continuation: "  ")
            == ["- item", "  " + String(repeating: "x", count: 80)])
        #expect(MailDocument.wrap("short", first: "- ") == ["- short"])
    }

    @Test func updatesPostedCloseTogetherAreShownOldestFirstWithTheirPromisesKeptOrNot() throws {
        let site = try Site.make()
        defer { site.close() }
        try site.openIncident()
        // Promised by 17:30; posted at 17:42, Indonesian only.
        try site.post(at: instant("2026-11-29T10:42:00Z"), status: .identified,
                      body: "Penyebabnya ditemukan pada server antrean.",
                      nextUpdateAt: instant("2026-11-29T11:15:00Z"))
        // Promised by 18:15; posted at 18:10.
        try site.post(at: instant("2026-11-29T11:10:00Z"), status: .identified,
                      body: "Perbaikan sedang dipasang.", translation: "The fix is being deployed.")
        let event = try site.onlyEvent()
        #expect(event.updateIDs.count == 3)
        let now = instant("2026-11-29T11:11:00Z")
        let mails = try #require(try site.texts.content(of: event, now: now))
        let english = try #require(mails["en"])
        #expect(english.subject == "[Status Imigrasi] Update: Passport services down")
        #expect(english.text.contains("""

            Identified · 17:42 WIB
            (Staff have not written this update in English; it is shown in Bahasa
            Indonesia.)
            Penyebabnya ditemukan pada server antrean.

            The previous update promised news by 17:30 WIB: this one came 12 min
            late.

            Update · 18:10 WIB
            The fix is being deployed.

            The previous update promised news by 18:15 WIB: this one came on time.

            """))
        let order = try ["Investigating · 16:49 WIB", "Identified · 17:42 WIB", "Update · 18:10 WIB"]
            .map { try #require(english.text.range(of: $0)).lowerBound }
        #expect(order == order.sorted())
        #expect(english.text.components(separatedBy: "Staff have not written").count == 2)
        // Closed by nothing and promising nothing more: the page's own promise, an hour on.
        #expect(english.text.contains("\nNext update by 19:10 WIB at the latest (this page promises one at least\nevery 60 min)\n"))

        let indonesian = try #require(mails["id"])
        #expect(indonesian.subject == "[Status Imigrasi] Pembaruan: Layanan paspor terganggu")
        #expect(!indonesian.text.contains("Petugas belum menulis"))
        #expect(indonesian.text.contains("Penyebab ditemukan · 17.42 WIB\nPenyebabnya ditemukan pada server antrean.\n"))
        #expect(indonesian.text.contains(
            "Pembaruan sebelumnya menjanjikan kabar paling lambat 17.30 WIB:\npembaruan ini terlambat 12 menit."))
        #expect(indonesian.text.contains("Perbaikan sedang dipasang."))
        #expect(!indonesian.text.contains("The fix is being deployed."))

        #expect(english.html.contains(#"<p style="margin:0 0 .5em"><em>Staff have not written this update in English; it is shown in Bahasa Indonesia.</em></p>"#))
        #expect(english.html.contains(#"<div lang="id"><p>Penyebabnya ditemukan pada server antrean.</p></div>"#))
        #expect(english.html.contains("<div><p>The fix is being deployed.</p></div>"))
    }

    @Test func silenceLongerThanThePagePromisesIsNamed() throws {
        let site = try Site.make()
        defer { site.close() }
        try site.openIncident(nextUpdateAt: nil)
        try site.post(at: instant("2026-11-29T11:04:00Z"), status: .monitoring,
                      body: "Sudah pulih, kami memantau.", translation: "Recovered; we are watching.")
        let mails = try #require(try site.texts.content(of: try site.onlyEvent(), now: instant("2026-11-29T11:05:00Z")))
        #expect(mails["en"]?.text.contains(
            "No update for 1 h 15 min before this one; this page promises one at\nleast every 60 min.") == true)
        #expect(mails["id"]?.text.contains("Tidak ada pembaruan selama 1 j 15 mnt sebelum ini;") == true)
    }

    @Test func aResolvedIncidentPromisesNothingAndTimesOfEarlierDaysCarryTheirDate() throws {
        let site = try Site.make()
        defer { site.close() }
        try site.openIncident()
        let first = try site.onlyEvent()
        try site.store.fixMailEvent(id: first.id, content: [:], now: Self.start)
        try site.post(at: instant("2026-11-29T10:20:00Z"), status: .resolved, body: "Pulih.", translation: "Recovered.")
        // Read the next morning, 08:00 WIB.
        let mails = try #require(try site.texts.content(of: try site.onlyEvent(), now: instant("2026-11-30T01:00:00Z")))
        let english = try #require(mails["en"])
        #expect(english.subject == "[Status Imigrasi] Resolved: Passport services down")
        #expect(english.text.hasPrefix("Passport services down\n\nResolved · Nov 29, 2026, 17:20 WIB\nRecovered.\n"))
        #expect(english.text.contains("The previous update promised news by Nov 29, 2026, 17:30 WIB: this one\ncame on time."))
        #expect(!english.text.contains("Next update"))
        #expect(!english.text.contains("Investigating"))
        #expect(mails["id"]?.text.contains("Selesai · 29 Nov 2026, 17.20 WIB\nPulih.\n") == true)
    }

    @Test func everyValueInTheHTMLIsEscapedAndTheDocumentStandsAlone() throws {
        let site = try Site.make(pageName: "Status & <Imigrasi>")
        defer { site.close() }
        try site.openIncident(name: #"Paspor <script>alert("x")</script> & visa"#,
                              translation: "Passport <b>down</b> & 'slow'")
        let mails = try #require(try site.texts.content(of: try site.onlyEvent(), now: Self.start))
        let english = try #require(mails["en"])
        #expect(english.subject == "[Status & <Imigrasi>] Investigating: Passport <b>down</b> & 'slow'")
        #expect(english.text.hasPrefix("Passport <b>down</b> & 'slow'\n"))
        #expect(english.html.contains(
            "<title>[Status &amp; &lt;Imigrasi&gt;] Investigating: Passport &lt;b&gt;down&lt;/b&gt; &amp; &#39;slow&#39;</title>"))
        #expect(english.html.contains(
            #"<h1 style="font-size:1.3em;margin:0 0 .5em">Passport &lt;b&gt;down&lt;/b&gt; &amp; &#39;slow&#39;</h1>"#))
        #expect(english.html.contains("Status &amp; &lt;Imigrasi&gt; updates"))
        #expect(!english.html.contains("<b>"))
        let indonesian = try #require(mails["id"])
        #expect(indonesian.html.contains("Paspor &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; visa"))
        #expect(!indonesian.html.contains("<script"))
        for (language, mail) in [("en", english), ("id", indonesian)] {
            #expect(mail.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language)\">\n"))
            #expect(mail.html.hasSuffix("</body>\n</html>\n"))
            #expect(!mail.html.contains("src="))
            #expect(!mail.html.contains("<link"))
            #expect(!mail.html.contains("color:"))
            #expect(!mail.html.contains("background"))
        }
        // A control character in a value becomes U+FFFD; only the markers pass as they are.
        var document = MailDocument(language: .english)
        document.paragraph("bell\u{7}and\u{1}manage\u{1}")
        document.link("Manage", to: Self.manage)
        let html = document.content(subject: "s").html
        #expect(html.contains("<p style=\"margin:0 0 .75em\">bell\u{FFFD}and\u{FFFD}manage\u{FFFD}</p>"))
        #expect(html.contains("<a href=\"\(Self.manage)\">Manage</a>"))
    }

    @Test func eachMarkerStandsOnceInTextAndHTML() throws {
        let site = try Site.make()
        defer { site.close() }
        try site.openIncident()
        let mails = try #require(try site.texts.content(of: try site.onlyEvent(), now: Self.start))
        for mail in mails.values {
            for part in [mail.text, mail.html] {
                #expect(part.components(separatedBy: Self.manage).count == 2)
                #expect(part.components(separatedBy: Self.unsubscribe).count == 2)
            }
            #expect(mail.html.contains("<a href=\"\(Self.unsubscribe)\">"))
            #expect(!mail.subject.contains("\u{1}"))
            let personal = mail.personalised(manage: "https://s.example/subscriptions/t",
                                             unsubscribe: "https://s.example/subscriptions/t/unsubscribe")
            #expect(personal.html.contains("<a href=\"https://s.example/subscriptions/t/unsubscribe\">"))
            #expect(!personal.text.contains("\u{1}") && !personal.html.contains("\u{1}"))
        }
        #expect(mails["en"]?.html.contains("<a href=\"\(Self.manage)\">Change what you receive or leave</a><br>\n"
            + "<a href=\"\(Self.unsubscribe)\">Unsubscribe</a>") == true)
    }

    @Test func nothingIsWrittenForADeletedIncident() throws {
        let site = try Site.make()
        defer { site.close() }
        try site.openIncident()
        let event = try site.onlyEvent()
        try site.store.deleteIncident(id: try site.incidentID, by: Self.actor, now: Self.start + 60)
        #expect(try site.texts.content(of: event, now: Self.start + 120) == nil)
    }

    /// Reaching everyone when no component is named, and the subscriber's address nowhere.
    @Test func anIncidentWithoutComponentsTellsWhyEveryoneGetsIt() throws {
        let site = try Site.make()
        defer { site.close() }
        _ = try site.store.createIncident(IncidentDraft(name: "Antrean lambat", nameTranslations: ["en": "Slow queue"],
                                                       body: "Antrean lambat.", bodyTranslations: ["en": "Slow queue."]),
                                          by: Self.actor, now: Self.start)
        let mails = try #require(try site.texts.content(of: try site.onlyEvent(), now: Self.start))
        #expect(mails["en"]?.text.contains("""
            You get this mail because you subscribed to Status Imigrasi updates;
            this one names no component, so every subscriber gets it.
            """) == true)
        #expect(mails["en"]?.text.contains("Affected components") == false)
        for mail in mails.values {
            #expect(!mail.text.contains("subscriber@example.org") && !mail.html.contains("subscriber@example.org"))
        }
    }

    // MARK: Reminders

    @Test func aReminderNamesTheStartInThePagesZone() throws {
        let site = try Site.make()
        defer { site.close() }
        // 21:05 WIB: the window opens at 22:00.
        let now = instant("2026-11-29T14:05:00Z")
        let (maintenance, reminder) = try site.reminder(IncidentDraft(
            name: "Pembaruan sistem antrean", nameTranslations: ["en": "Queue system upgrade"],
            body: "Antrean daring tidak tersedia selama pemeliharaan.",
            componentIDs: [site.visaID], scheduledFor: instant("2026-11-29T15:00:00Z"),
            scheduledUntil: instant("2026-11-29T17:00:00Z"), scheduledRemindPrior: true), at: now)
        let mails = try #require(try site.texts.content(of: reminder, now: now))
        #expect(mails["en"]?.subject == "[Status Imigrasi] Reminder: Queue system upgrade starts at 22:00 WIB")
        #expect(mails["id"]?.subject == "[Status Imigrasi] Pengingat: Pembaruan sistem antrean dimulai pukul 22.00 WIB")
        #expect(mails["en"]?.text == """
            Scheduled maintenance: Queue system upgrade

            Scheduled for Nov 29, 2026, 22:00 WIB – Nov 30, 2026, 00:00 WIB

            (Staff have not written this update in English; it is shown in Bahasa
            Indonesia.)
            Antrean daring tidak tersedia selama pemeliharaan.

            Affected components: Visa on arrival (Operational)

            Full timeline: https://status.imigrasi.example/incidents/\(maintenance.id)?lang=en

            -- 
            You get this mail because you follow Status Imigrasi updates about Visa
            on arrival (or about all components).
            Change what you receive or leave: \(Self.manage)
            Unsubscribe: \(Self.unsubscribe)

            """)
        #expect(mails["id"]?.text.contains("Dijadwalkan 29 Nov 2026, 22.00 WIB – 30 Nov 2026, 00.00 WIB") == true)
        #expect(mails["en"]?.html.contains("<p style=\"margin:0 0 .75em\"><strong>Scheduled for Nov 29, 2026, 22:00 WIB – Nov 30, 2026, 00:00 WIB</strong></p>") == true)

        // Started early by staff: the reminder is dropped.
        _ = try site.store.updateIncident(id: maintenance.id, IncidentPatch(status: .inProgress), by: Self.actor, now: now + 60)
        #expect(try site.texts.content(of: reminder, now: now + 120) == nil)
    }

    @Test func aReminderOnTheDayBeforeCarriesTheDate() throws {
        let site = try Site.make()
        defer { site.close() }
        // 23:30 WIB; the window opens at 00:20 the next day.
        let now = instant("2026-11-29T16:30:00Z")
        let (_, reminder) = try site.reminder(IncidentDraft(
            name: "Pembaruan malam", scheduledFor: instant("2026-11-29T17:20:00Z"),
            scheduledUntil: instant("2026-11-29T18:00:00Z"), scheduledRemindPrior: true), at: now)
        let mails = try #require(try site.texts.content(of: reminder, now: now))
        #expect(mails["en"]?.subject == "[Status Imigrasi] Reminder: Pembaruan malam starts on Nov 30, 2026 at 00:20 WIB")
        #expect(mails["id"]?.subject == "[Status Imigrasi] Pengingat: Pembaruan malam dimulai 30 Nov 2026 pukul 00.20 WIB")
    }

    // MARK: Confirmation and notice

    @Test func theConfirmationSaysWhatWasAskedAndHowToConfirmIt() throws {
        let site = try Site.make()
        defer { site.close() }
        let subscriber = try site.store.createMailSubscriber(
            email: "new@example.org", language: "en", componentIDs: [site.visaID, site.passportID],
            skipConfirmation: false, by: Self.actor, now: Self.start)
        let mail = try site.texts.personalContent(.confirmation, for: subscriber, now: Self.start)
        #expect(mail.subject == "Confirm your subscription to Status Imigrasi")
        #expect(mail.text == """
            Someone asked to receive Status Imigrasi updates at this address, about
            Passport services, Visa on arrival, in English.

            Confirm: \(Self.manage)

            The link opens a page with a Confirm button; opening it alone changes
            nothing.

            If it was not you, ignore this mail: nothing else is sent, and the
            request is deleted in 48 hours.

            -- 
            This mail was sent once, because of that request; without a confirmation
            no other mail follows.
            Unsubscribe: \(Self.unsubscribe)

            """)
        #expect(mail.html.contains("<a href=\"\(Self.manage)\" style=\"display:inline-block;"))
        #expect(mail.html.contains(">Confirm</a>"))
        #expect(mail.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(!mail.text.contains("new@example.org") && !mail.html.contains("new@example.org"))

        let indonesian = try site.store.createMailSubscriber(
            email: "baru@example.org", language: "id", componentIDs: nil, skipConfirmation: false,
            by: Self.actor, now: Self.start)
        let mailID = try site.texts.personalContent(.confirmation, for: indonesian, now: Self.start + 3600)
        #expect(mailID.subject == "Konfirmasi langganan Anda untuk Status Imigrasi")
        #expect(mailID.text.hasPrefix("""
            Seseorang meminta kabar Status Imigrasi dikirim ke alamat ini, tentang
            semua komponen, dalam bahasa Indonesia.

            Konfirmasi: \(Self.manage)
            """))
        #expect(mailID.text.contains("dihapus dalam 47 jam."))
        #expect(mailID.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"id\">"))
    }

    @Test func theNoticeSaysTheAddressIsSubscribedAlready() throws {
        let site = try Site.make()
        defer { site.close() }
        let subscriber = try site.store.createMailSubscriber(
            email: "again@example.org", language: "en", componentIDs: nil, skipConfirmation: true,
            by: Self.actor, now: Self.start)
        let mail = try site.texts.personalContent(.notice, for: subscriber, now: Self.start)
        #expect(mail.subject == "You are already subscribed to Status Imigrasi")
        #expect(mail.text == """
            Someone asked to receive Status Imigrasi updates at this address. It is
            already subscribed: about all components, in English.

            Change what you receive or leave: \(Self.manage)

            If you did not ask, ignore this mail: nothing has changed.

            -- 
            You get this mail because this address is subscribed to Status Imigrasi
            updates.
            Unsubscribe: \(Self.unsubscribe)

            """)
        #expect(throws: MailTexts.NotPersonal.self) {
            try site.texts.personalContent(.event, for: subscriber, now: Self.start)
        }
    }

    @Test func bothLanguagesHaveTheSameMailStrings() {
        #expect(Set(MailStrings.indonesian.keys) == Set(MailStrings.english.keys))
        #expect(MailStrings.indonesian.keys.allSatisfy { $0.hasPrefix("mail_") })
        #expect(MailStrings.of(.english)["incident_investigating"] == "Investigating")
        #expect(MailStrings.of(.indonesian)["mail_unsubscribe"] == "Berhenti berlangganan")
    }
}

// MARK: - Fixtures

extension MailTextsTests {
    /// A page in Jakarta, in Bahasa Indonesia first, with two components and one confirmed
    /// subscriber (so the store queues mail), on a fresh database.
    struct Site {
        let folder: TemporaryFolder
        let store: Store
        let texts: MailTexts
        let passportID: String
        let visaID: String

        /// The incident `openIncident` made: the newest.
        var incidentID: String {
            get throws { try #require(try store.incidents(limit: 1).first).id }
        }

        static func make(pageName: String = "Status Imigrasi") throws -> Site {
            let folder = try TemporaryFolder("mail-texts")
            let store = try Store(path: folder.file("warta.db"))
            let created = start - 86_400
            _ = try store.updatePage(PagePatch(name: pageName, url: "https://status.imigrasi.example",
                                               timeZone: "Asia/Jakarta", defaultLanguage: "id"),
                                     by: actor, now: created)
            let passport = try store.createComponent(ComponentDraft(name: "Passport services"), by: actor, now: created)
            let visa = try store.createComponent(ComponentDraft(name: "Visa on arrival"), by: actor, now: created)
            _ = try store.createMailSubscriber(email: "subscriber@example.org", language: "en", componentIDs: nil,
                                               skipConfirmation: true, by: actor, now: created)
            return Site(folder: folder, store: store,
                        texts: MailTexts(store: store, baseURL: "https://status.imigrasi.example/"),
                        passportID: passport.id, visaID: visa.id)
        }

        func close() {
            store.close()
            folder.remove()
        }

        /// "Passport services down" at 16:49 WIB, passport services in a major outage, the
        /// next update promised by 17:30 WIB.
        func openIncident(name: String = "Layanan paspor terganggu",
                                   translation: String = "Passport services down",
                                   nextUpdateAt: Date? = instant("2026-11-29T10:30:00Z")) throws {
            _ = try store.createIncident(IncidentDraft(
                name: name, nameTranslations: ["en": translation],
                body: "Kami sedang menyelidiki laporan bahwa janji temu paspor tidak dapat dipesan.",
                bodyTranslations: ["en": "We are looking into reports that passport appointments cannot be booked. "
                    + "Details: https://imigrasi.example/a/very/long/path/that/must/never/be/broken/at/all"],
                components: [passportID: .majorOutage], nextUpdateAt: nextUpdateAt),
                by: actor, now: start)
        }

        /// An update to the incident, posted at `at`.
        func post(at: Date, status: IncidentStatus, body: String, translation: String? = nil,
                  nextUpdateAt: Date? = nil) throws {
            _ = try store.updateIncident(id: try incidentID, IncidentPatch(
                status: status, body: body, bodyTranslations: translation.map { ["en": $0] },
                nextUpdateAt: nextUpdateAt), by: actor, now: at)
        }

        /// A maintenance made from `draft`, its own mail out of the way, and the reminder
        /// the clock queues at `now`.
        func reminder(_ draft: IncidentDraft, at now: Date) throws -> (Incident, MailEvent) {
            let maintenance = try store.createIncident(draft, by: actor, now: start)
            try store.fixMailEvent(id: try onlyEvent().id, content: [:], now: start)
            try store.applyTimeDrivenChanges(now: now)
            let reminder = try onlyEvent()
            #expect(reminder.kind == .reminder && reminder.incidentID == maintenance.id)
            return (maintenance, reminder)
        }

        /// The one event whose mail is not yet fixed.
        func onlyEvent() throws -> MailEvent {
            let events = try store.unfixedMailEvents(createdBy: .distantFuture)
            try #require(events.count == 1, "\(events)")
            return events[0]
        }
    }
}
