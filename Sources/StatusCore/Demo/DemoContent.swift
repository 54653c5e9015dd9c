import Foundation

/// A realistic page for `warta serve --demo`: an immigration service on the day its national
/// data centre fails. Indonesian first (the page's default language), with English
/// translations; 90 days of history made of resolved incidents and a completed maintenance;
/// one open incident with a next-update promise; one upcoming maintenance; automatic checks
/// (`seedChecks`); four incident templates (`seedTemplates`).
///
/// Everything is written through the store's ordinary calls with a driven clock, so the
/// demo's history is exactly what the same calls would have recorded on those days.
public enum DemoContent {
    /// Seeds `store` when it has no components and no incidents; returns false (and writes
    /// nothing) otherwise.
    @discardableResult
    public static func seed(_ store: Store, now: Date) throws -> Bool {
        guard try store.components().isEmpty, try store.incidents(.all, limit: 1, page: 1).isEmpty else {
            return false
        }
        let actor = Actor(tokenName: "demo", clientAddress: "local")
        let day: TimeInterval = 86_400, hour: TimeInterval = 3_600, minute: TimeInterval = 60
        let start = now.addingTimeInterval(-91 * day)

        _ = try store.updatePage(PagePatch(name: "Status Layanan Imigrasi", timeZone: "Asia/Jakarta", defaultLanguage: "id"),
                                 by: actor, now: now)

        var ids: [String: String] = [:]
        // Each with its English name and description: (key, Indonesian, English).
        typealias Texts = (name: String, description: String, nameEN: String, descriptionEN: String)
        let groups: [(key: String, texts: Texts, members: [(key: String, texts: Texts)])] = [
            ("autogate", ("Autogate Bandara", "Gerbang otomatis pemeriksaan paspor di bandara internasional.",
                          "Airport autogates", "Automated passport gates at international airports."), [
                ("cgk2", ("Soekarno-Hatta Terminal 2", "Kedatangan dan keberangkatan internasional Terminal 2.",
                          "Soekarno-Hatta Terminal 2", "Terminal 2 international arrivals and departures.")),
                ("cgk3", ("Soekarno-Hatta Terminal 3", "Kedatangan dan keberangkatan internasional Terminal 3.",
                          "Soekarno-Hatta Terminal 3", "Terminal 3 international arrivals and departures.")),
                ("dps", ("I Gusti Ngurah Rai, Bali", "Autogate kedatangan dan keberangkatan.",
                         "I Gusti Ngurah Rai, Bali", "Arrival and departure autogates.")),
                ("sub", ("Juanda, Surabaya", "Autogate Terminal 2.", "Juanda, Surabaya", "Terminal 2 autogates.")),
                ("kno", ("Kualanamu, Medan", "Autogate kedatangan internasional.",
                         "Kualanamu, Medan", "International arrival autogates.")),
            ]),
            ("online", ("Layanan Daring", "Layanan yang diakses melalui aplikasi dan situs web.",
                        "Online services", "Services used through the app and the website."), [
                ("mpaspor", ("Aplikasi M-Paspor", "Pendaftaran dan pembayaran permohonan paspor.",
                             "M-Paspor app", "Passport application booking and payment.")),
                ("evisa", ("e-Visa", "Permohonan visa kunjungan dan visa tinggal terbatas secara daring.",
                           "e-Visa", "Online applications for visit visas and limited stay visas.")),
                ("stay", ("Izin Tinggal Daring", "Perpanjangan dan alih status izin tinggal.",
                          "Online stay permits", "Stay permit extensions and changes of status.")),
                ("arrival", ("Deklarasi Kedatangan", "Formulir kedatangan elektronik untuk pelaku perjalanan.",
                             "Arrival declaration", "The electronic arrival form for travellers.")),
            ]),
            ("office", ("Kantor Imigrasi", "Layanan tatap muka di kantor imigrasi dan unit layanan paspor.",
                        "Immigration offices", "In-person services at immigration offices and passport units."), [
                ("passport", ("Layanan Paspor di Kantor", "Wawancara, foto dan penerbitan paspor.",
                              "Passport services at offices", "Interviews, photographs and passport issuance.")),
                ("ulp", ("Unit Layanan Paspor", "Layanan paspor di pusat perbelanjaan dan mal pelayanan publik.",
                         "Passport service units", "Passport services in shopping centres and public service malls.")),
                ("callcenter", ("Pusat Panggilan dan Pengaduan", "Layanan informasi dan pengaduan masyarakat.",
                                "Call and complaints centre", "Information and public complaints.")),
            ]),
        ]
        /// The English name (when it differs) and description of `texts`.
        func english(_ texts: Texts) -> (names: [String: String], descriptions: [String: String]) {
            (texts.nameEN == texts.name ? [:] : ["en": texts.nameEN], ["en": texts.descriptionEN])
        }
        for group in groups {
            var memberIDs: [String] = []
            for member in group.members {
                var draft = ComponentDraft(name: member.texts.name, description: member.texts.description)
                (draft.nameTranslations, draft.descriptionTranslations) = english(member.texts)
                let component = try store.createComponent(draft, by: actor, now: start)
                ids[member.key] = component.id
                memberIDs.append(component.id)
            }
            var draft = ComponentGroupDraft(name: group.texts.name, description: group.texts.description,
                                            componentIDs: memberIDs)
            (draft.nameTranslations, draft.descriptionTranslations) = english(group.texts)
            let created = try store.createComponentGroup(draft, by: actor, now: start)
            ids[group.key] = created.id
        }
        func id(_ key: String) -> String { ids[key]! }

        // Resolved incidents of the past 90 days: (days ago, hour of day in UTC, duration in
        // minutes, components and status, Indonesian and English text).
        struct Past {
            var daysAgo: Double
            var minutes: Double
            var components: [(String, ComponentStatus)]
            var name: String, nameEN: String
            var opening: String, openingEN: String
            var closing: String, closingEN: String
        }
        let past: [Past] = [
            Past(daysAgo: 83, minutes: 95, components: [("callcenter", .majorOutage)],
                 name: "Pusat panggilan tidak dapat dihubungi", nameEN: "Call centre unreachable",
                 opening: "Nomor pusat panggilan tidak dapat dihubungi karena gangguan pada penyedia telepon. Pengaduan tetap dapat dikirim melalui surel.",
                 openingEN: "The call centre number cannot be reached because of a fault at the telephone provider. Complaints can still be sent by email.",
                 closing: "Sambungan telepon telah pulih dan pusat panggilan kembali melayani.",
                 closingEN: "Telephone lines are restored and the call centre is answering again."),
            Past(daysAgo: 61, minutes: 300, components: [("stay", .partialOutage)],
                 name: "Perpanjangan izin tinggal daring terhambat", nameEN: "Online stay permit extensions delayed",
                 opening: "Sebagian permohonan perpanjangan izin tinggal gagal pada tahap pembayaran. Permohonan yang sudah dibayar tidak terpengaruh.",
                 openingEN: "Some stay permit extension applications fail at the payment step. Applications already paid are not affected.",
                 closing: "Integrasi pembayaran telah diperbaiki. Pemohon yang gagal dapat mengulang pembayaran tanpa biaya tambahan.",
                 closingEN: "The payment integration is fixed. Applicants whose payment failed can retry at no extra cost."),
            Past(daysAgo: 38, minutes: 180, components: [("mpaspor", .partialOutage)],
                 name: "Gagal masuk ke aplikasi M-Paspor", nameEN: "M-Paspor app sign-in failures",
                 opening: "Sebagian pengguna tidak dapat masuk ke aplikasi M-Paspor. Kami sedang menyelidiki.",
                 openingEN: "Some users cannot sign in to the M-Paspor app. We are investigating.",
                 closing: "Layanan masuk telah pulih sepenuhnya. Kuota antrean yang terlewat telah dikembalikan.",
                 closingEN: "Sign-in is fully restored. Missed appointment quotas have been returned."),
            Past(daysAgo: 12, minutes: 130, components: [("dps", .degradedPerformance)],
                 name: "Autogate Bandara Ngurah Rai lambat", nameEN: "Slow autogates at Ngurah Rai airport",
                 opening: "Pemindaian paspor di autogate Bandara I Gusti Ngurah Rai lebih lambat dari biasanya. Petugas membuka konter tambahan.",
                 openingEN: "Passport scanning at the I Gusti Ngurah Rai airport autogates is slower than usual. Officers have opened extra counters.",
                 closing: "Perangkat pemindai telah diganti dan autogate kembali normal.",
                 closingEN: "The scanners have been replaced and the autogates are back to normal."),
        ]
        for incident in past {
            let opened = now.addingTimeInterval(-incident.daysAgo * day)
            let created = try store.createIncident(IncidentDraft(
                name: incident.name, nameTranslations: ["en": incident.nameEN], status: .investigating,
                body: incident.opening, bodyTranslations: ["en": incident.openingEN],
                components: Dictionary(uniqueKeysWithValues: incident.components.map { (id($0.0), $0.1) })),
                by: actor, now: opened)
            _ = try store.updateIncident(id: created.id, IncidentPatch(
                status: .resolved, body: incident.closing, bodyTranslations: ["en": incident.closingEN],
                components: Dictionary(uniqueKeysWithValues: incident.components.map { (id($0.0), ComponentStatus.operational) })),
                by: actor, now: opened.addingTimeInterval(incident.minutes * minute))
        }

        // A completed maintenance, 50 days ago, 01:00–03:00 WIB.
        let pastWindow = now.addingTimeInterval(-50 * day)
        let completed = try store.createIncident(IncidentDraft(
            name: "Pemeliharaan sistem M-Paspor", nameTranslations: ["en": "M-Paspor system maintenance"],
            status: .scheduled,
            body: "Aplikasi M-Paspor tidak dapat diakses selama pemeliharaan basis data.",
            bodyTranslations: ["en": "The M-Paspor app will be unavailable during database maintenance."],
            componentIDs: [id("mpaspor")], scheduledFor: pastWindow, scheduledUntil: pastWindow.addingTimeInterval(2 * hour),
            scheduledAutoInProgress: true, scheduledAutoCompleted: true,
            autoTransitionToMaintenanceState: true, autoTransitionToOperationalState: true),
            by: actor, now: pastWindow.addingTimeInterval(-3 * day))
        _ = try store.applyTimeDrivenChanges(now: pastWindow)
        _ = try store.applyTimeDrivenChanges(now: pastWindow.addingTimeInterval(2 * hour))
        _ = completed

        // The open incident: the national data centre fails a minute before it is posted. The
        // text names that minute as the page shows times, in WIB, however late it is now.
        let outage = now.addingTimeInterval(-2 * hour)
        let failedAt = wallClockTime(outage.addingTimeInterval(-1 * minute), separator: ":")
        let failedAtIndonesian = wallClockTime(outage.addingTimeInterval(-1 * minute), separator: ".")
        let open = try store.createIncident(IncidentDraft(
            name: "Gangguan Pusat Data Nasional: layanan keimigrasian terganggu",
            nameTranslations: ["en": "National Data Centre failure: immigration services disrupted"],
            status: .investigating,
            body: """
            Sejak pukul \(failedAtIndonesian) WIB layanan keimigrasian terganggu akibat gangguan di Pusat Data Nasional. \
            Autogate di bandara tidak berfungsi; pemeriksaan paspor dilakukan secara manual di konter. \
            Aplikasi M-Paspor, e-Visa dan izin tinggal daring tidak dapat diakses.
            Kami sedang menyelidiki bersama pengelola pusat data.
            """,
            bodyTranslations: ["en": """
            Since \(failedAt) WIB immigration services have been disrupted by a failure at the National Data Centre. \
            Airport autogates are down; passports are checked by hand at the counters. \
            The M-Paspor app, e-Visa and online stay permits cannot be reached.
            We are investigating with the data centre's operator.
            """],
            components: [
                id("cgk2"): .majorOutage, id("cgk3"): .majorOutage, id("dps"): .majorOutage,
                id("sub"): .majorOutage, id("kno"): .majorOutage,
                id("mpaspor"): .majorOutage, id("evisa"): .majorOutage, id("stay"): .majorOutage,
                id("arrival"): .partialOutage, id("passport"): .partialOutage, id("ulp"): .partialOutage,
            ],
            nextUpdateAt: outage.addingTimeInterval(60 * minute)),
            by: actor, now: outage)
        _ = try store.updateIncident(id: open.id, IncidentPatch(
            status: .identified,
            body: """
            Penyebab telah diidentifikasi: perangkat penyimpanan di Pusat Data Nasional gagal dan \
            pemulihan dari cadangan sedang berlangsung. Petugas tambahan dikerahkan ke konter manual \
            di Soekarno-Hatta dan Ngurah Rai. Pemohon paspor dengan jadwal hari ini akan dijadwalkan ulang tanpa biaya.
            """,
            bodyTranslations: ["en": """
            The cause is identified: storage at the National Data Centre failed and restoring from \
            backups is under way. Extra officers are staffing the manual counters at Soekarno-Hatta \
            and Ngurah Rai. Passport applicants booked for today will be rebooked at no cost.
            """],
            nextUpdateAt: outage.addingTimeInterval(100 * minute)),
            by: actor, now: outage.addingTimeInterval(45 * minute))
        _ = try store.updateIncident(id: open.id, IncidentPatch(
            status: .identified,
            body: """
            Autogate Soekarno-Hatta Terminal 3 telah kembali berfungsi dengan sistem cadangan. \
            Pemulihan layanan lain masih berlangsung. Pembaruan berikutnya paling lambat 40 menit lagi.
            """,
            bodyTranslations: ["en": """
            The autogates at Soekarno-Hatta Terminal 3 are working again on the backup system. \
            Restoring the other services continues. Next update within 40 minutes.
            """],
            components: [id("cgk3"): .degradedPerformance],
            nextUpdateAt: now.addingTimeInterval(40 * minute)),
            by: actor, now: now.addingTimeInterval(-20 * minute))

        // The upcoming maintenance, three days from now, 01:00–04:00 WIB.
        let inThreeDays = jakarta.startOfDay(for: now.addingTimeInterval(3 * day)).addingTimeInterval(1 * hour)
        _ = try store.createIncident(IncidentDraft(
            name: "Pemeliharaan terjadwal layanan e-Visa", nameTranslations: ["en": "Scheduled e-Visa maintenance"],
            status: .scheduled,
            body: "Layanan e-Visa tidak dapat diakses selama peningkatan sistem. Permohonan yang sudah dikirim tetap diproses.",
            bodyTranslations: ["en": "e-Visa will be unavailable during a system upgrade. Applications already submitted are still processed."],
            componentIDs: [id("evisa")], scheduledFor: inThreeDays, scheduledUntil: inThreeDays.addingTimeInterval(3 * hour),
            scheduledAutoInProgress: true, scheduledAutoCompleted: true,
            autoTransitionToMaintenanceState: true, autoTransitionToOperationalState: true),
            by: actor, now: now.addingTimeInterval(-1 * day))

        try seedChecks(store, now: now, failedAt: outage.addingTimeInterval(-1 * minute), componentIDs: ids, actor: actor)
        try seedTemplates(store, now: now, componentIDs: ids, actor: actor)
        return true
    }

    /// The calendar of the demo page's time zone, WIB.
    private static let jakarta: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Jakarta")!
        return calendar
    }()

    /// `14:59` (English) or `14.59` (Indonesian): hours and minutes in Asia/Jakarta, the
    /// demo page's time zone.
    static func wallClockTime(_ instant: Date, separator: String) -> String {
        let parts = jakarta.dateComponents([.hour, .minute], from: instant)
        let two = { (value: Int?) in String(format: "%02d", value ?? 0) }
        return two(parts.hour) + separator + two(parts.minute)
    }
}
