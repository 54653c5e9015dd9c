import Foundation

/// The words of the mails to subscribers, in each `Language`: the page's own `Strings`
/// (status labels, durations, months, the next-update promise), so a mail names a status
/// exactly as the page does, with the mail's sentences added under `mail_` keys.
///
/// Both tables hold the same keys (a test checks it). `{name}` placeholders are filled by
/// `Strings.format`.
enum MailStrings {
    static func of(_ language: Language) -> Strings {
        switch language {
        case .indonesian: return indonesianStrings
        case .english: return englishStrings
        }
    }

    private static let indonesianStrings = Strings.of(.indonesian).adding(indonesian)
    private static let englishStrings = Strings.of(.english).adding(english)

    static let indonesian: [String: String] = [
        "mail_subject": "[{page}] {what}: {name}",
        "mail_subject_reminder": "[{page}] Pengingat: {name} dimulai pukul {time}",
        "mail_subject_reminder_dated": "[{page}] Pengingat: {name} dimulai {date} pukul {time}",
        "mail_subject_confirmation": "Konfirmasi langganan Anda untuk {page}",
        "mail_subject_notice": "Anda sudah berlangganan {page}",

        "mail_language_id": "bahasa Indonesia",
        "mail_language_en": "bahasa Inggris",
        "mail_untranslated": "Petugas belum menulis pembaruan ini dalam {wanted}; pembaruan ditampilkan dalam {shown}.",
        "mail_component_change": "{component}: {old} → {new}",
        "mail_component_status": "{component} ({status})",
        "mail_promise_kept": "Pembaruan sebelumnya menjanjikan kabar paling lambat {time}: pembaruan ini datang tepat waktu.",
        "mail_promise_late": "Pembaruan sebelumnya menjanjikan kabar paling lambat {time}: pembaruan ini terlambat {duration}.",
        "mail_page_promise_late": "Tidak ada pembaruan selama {duration} sebelum ini; halaman ini menjanjikan pembaruan setidaknya setiap {minutes} menit.",
        "mail_timeline": "Linimasa lengkap",
        "mail_reminder_heading": "Pemeliharaan terjadwal: {name}",

        "mail_all_components": "semua komponen",
        "mail_no_components": "insiden yang tidak menyebut komponen",
        "mail_reason_components": "Anda menerima surel ini karena mengikuti kabar {page} tentang {components} (atau tentang semua komponen).",
        "mail_reason_everyone": "Anda menerima surel ini karena berlangganan kabar {page}; kabar ini tidak menyebut komponen, jadi semua pelanggan menerimanya.",
        "mail_reason_confirmation": "Surel ini dikirim sekali, karena permintaan tersebut; tanpa konfirmasi tidak ada surel lain yang menyusul.",
        "mail_reason_notice": "Anda menerima surel ini karena alamat ini berlangganan kabar {page}.",
        "mail_manage": "Ubah yang Anda terima atau berhenti",
        "mail_unsubscribe": "Berhenti berlangganan",

        "mail_confirmation_request": "Seseorang meminta kabar {page} dikirim ke alamat ini, tentang {components}, dalam {language}.",
        "mail_confirm": "Konfirmasi",
        "mail_confirmation_button": "Tautan ini membuka halaman dengan tombol Konfirmasi; membukanya saja tidak mengubah apa pun.",
        "mail_confirmation_ignore": "Jika bukan Anda yang meminta, abaikan surel ini: tidak ada surel lain yang dikirim, dan permintaan ini dihapus dalam {hours} jam.",
        "mail_notice_request": "Seseorang meminta kabar {page} dikirim ke alamat ini. Alamat ini sudah berlangganan: tentang {components}, dalam {language}.",
        "mail_notice_ignore": "Jika Anda tidak memintanya, abaikan surel ini: tidak ada yang berubah.",
    ]

    static let english: [String: String] = [
        "mail_subject": "[{page}] {what}: {name}",
        "mail_subject_reminder": "[{page}] Reminder: {name} starts at {time}",
        "mail_subject_reminder_dated": "[{page}] Reminder: {name} starts on {date} at {time}",
        "mail_subject_confirmation": "Confirm your subscription to {page}",
        "mail_subject_notice": "You are already subscribed to {page}",

        "mail_language_id": "Bahasa Indonesia",
        "mail_language_en": "English",
        "mail_untranslated": "Staff have not written this update in {wanted}; it is shown in {shown}.",
        "mail_component_change": "{component}: {old} → {new}",
        "mail_component_status": "{component} ({status})",
        "mail_promise_kept": "The previous update promised news by {time}: this one came on time.",
        "mail_promise_late": "The previous update promised news by {time}: this one came {duration} late.",
        "mail_page_promise_late": "No update for {duration} before this one; this page promises one at least every {minutes} min.",
        "mail_timeline": "Full timeline",
        "mail_reminder_heading": "Scheduled maintenance: {name}",

        "mail_all_components": "all components",
        "mail_no_components": "incidents that name no component",
        "mail_reason_components": "You get this mail because you follow {page} updates about {components} (or about all components).",
        "mail_reason_everyone": "You get this mail because you subscribed to {page} updates; this one names no component, so every subscriber gets it.",
        "mail_reason_confirmation": "This mail was sent once, because of that request; without a confirmation no other mail follows.",
        "mail_reason_notice": "You get this mail because this address is subscribed to {page} updates.",
        "mail_manage": "Change what you receive or leave",
        "mail_unsubscribe": "Unsubscribe",

        "mail_confirmation_request": "Someone asked to receive {page} updates at this address, about {components}, in {language}.",
        "mail_confirm": "Confirm",
        "mail_confirmation_button": "The link opens a page with a Confirm button; opening it alone changes nothing.",
        "mail_confirmation_ignore": "If it was not you, ignore this mail: nothing else is sent, and the request is deleted in {hours} hours.",
        "mail_notice_request": "Someone asked to receive {page} updates at this address. It is already subscribed: about {components}, in {language}.",
        "mail_notice_ignore": "If you did not ask, ignore this mail: nothing has changed.",
    ]
}

extension Strings {
    /// These strings with `extra` added; a key of `extra` replaces the same key here.
    func adding(_ extra: [String: String]) -> Strings {
        Strings(language: language, months: months.joined(separator: " "),
                shortMonths: shortMonths.joined(separator: " "),
                table: table.merging(extra) { _, added in added })
    }

    /// The name of `language` in these strings' language ("Bahasa Indonesia", "bahasa Inggris").
    func mailLanguageName(_ language: Language) -> String { self["mail_language_" + language.tag] }
}
