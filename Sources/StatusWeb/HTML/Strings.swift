import Foundation
import StatusCore

/// Every interface string of the public pages, feeds and badges, in each `Language`.
///
/// Templates read them as `{{t.key}}`; Swift code through `subscript` and `format`, which
/// fills `{name}` placeholders. Both tables hold the same keys (a test checks it), so a
/// missing translation is a failing test, not a blank on the page.
public struct Strings: Sendable {
    public let language: Language
    let table: [String: String]
    /// Full month names, January first.
    public let months: [String]
    /// Abbreviated month names, January first.
    public let shortMonths: [String]
    /// The whole table, for templates.
    public let templateValue: TemplateValue

    init(language: Language, months: String, shortMonths: String, table: [String: String]) {
        self.language = language
        self.table = table
        self.months = months.split(separator: " ").map(String.init)
        self.shortMonths = shortMonths.split(separator: " ").map(String.init)
        precondition(self.months.count == 12 && self.shortMonths.count == 12, "twelve months")
        templateValue = .object(table.mapValues { .text($0) })
    }

    public static func of(_ language: Language) -> Strings {
        switch language {
        case .indonesian: return indonesian
        case .english: return english
        }
    }

    public subscript(key: String) -> String { table[key] ?? key }

    /// The string of `key` with each `{name}` replaced by `values[name]`; other braces are
    /// left as they are.
    public func format(_ key: String, _ values: [String: String]) -> String {
        let text = self[key]
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"),
                  let value = values[String(rest[rest.index(after: open)..<close])] else {
                output.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            output += value
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }

    public func componentStatus(_ status: ComponentStatus) -> String { self["component_" + status.rawValue] }
    public func incidentStatus(_ status: IncidentStatus) -> String { self["incident_" + status.rawValue] }
    public func impact(_ impact: Impact) -> String { self["impact_" + impact.rawValue] }
    public func indicator(_ indicator: Impact) -> String { self["overall_" + indicator.rawValue] }

    static let indonesian = Strings(
        language: .indonesian,
        months: "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
        shortMonths: "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des",
        table: [
        "overall_none": "Semua layanan berjalan normal",
        "overall_minor": "Sebagian layanan terganggu ringan",
        "overall_major": "Sebagian layanan terganggu",
        "overall_critical": "Gangguan besar pada layanan",
        "overall_maintenance": "Layanan sedang dalam pemeliharaan",

        "component_operational": "Normal",
        "component_degraded_performance": "Kinerja menurun",
        "component_partial_outage": "Gangguan sebagian",
        "component_major_outage": "Gangguan total",
        "component_under_maintenance": "Dalam pemeliharaan",

        "incident_investigating": "Diselidiki",
        "incident_identified": "Penyebab ditemukan",
        "incident_monitoring": "Dipantau",
        "incident_resolved": "Selesai",
        "incident_postmortem": "Laporan pascainsiden",
        "incident_scheduled": "Terjadwal",
        "incident_in_progress": "Sedang berlangsung",
        "incident_verifying": "Verifikasi",
        "incident_completed": "Selesai",
        "incident_update": "Pembaruan",

        "impact_none": "Tanpa dampak",
        "impact_minor": "Dampak kecil",
        "impact_major": "Dampak besar",
        "impact_critical": "Dampak kritis",
        "impact_maintenance": "Pemeliharaan",

        "skip_to_content": "Langsung ke isi",
        "active_incidents": "Insiden yang sedang berlangsung",
        "maintenance_active": "Pemeliharaan yang sedang berlangsung",
        "maintenance_upcoming": "Pemeliharaan terjadwal",
        "components": "Komponen",
        "past_incidents": "Insiden 14 hari terakhir",
        "no_incidents_day": "Tidak ada insiden.",
        "next_update": "Pembaruan berikutnya paling lambat {time}",
        "overdue": "Pembaruan terlambat {duration} — pembaruan terakhir {time}",
        "affected": "Komponen terdampak",
        "impact": "Dampak",
        "uptime_summary": "{percent} waktu aktif dalam 90 hari",
        "uptime_no_data": "Belum ada data waktu aktif",
        "uptime_range_full": "{range}: 100%, tanpa gangguan",
        "uptime_range_no_data": "{range}: belum ada data",
        "uptime_major": "gangguan total {duration}",
        "uptime_partial": "gangguan sebagian {duration}",
        "uptime_incidents": "insiden: {names}",
        "history": "Riwayat insiden",
        "history_title": "Riwayat insiden dan pemeliharaan",
        "history_newer": "Lebih baru",
        "history_older": "Lebih lama",
        "history_range": "{from} – {to}",
        "no_incidents_month": "Tidak ada insiden atau pemeliharaan pada bulan ini.",
        "times_in": "Semua waktu dalam {zone}",
        "copy_as_of": "Salinan per {time}",
        "feed_rss": "RSS",
        "feed_atom": "Atom",
        "api": "API",
        "other_language": "English",
        "other_language_version": "Versi bahasa Inggris",
        "started": "Mulai",
        "ended": "Berakhir",
        "duration": "Durasi",
        "ongoing": "Masih berlangsung sejak {time}",
        "scheduled_window": "Dijadwalkan {start} – {end}",
        "postmortem": "Laporan pascainsiden",
        "published": "Diterbitkan {time}",
        "back_to_status": "Kembali ke halaman status",
        "not_found_title": "Halaman tidak ditemukan",
        "not_found_body": "Halaman yang Anda cari tidak ada. Mungkin tautannya salah atau insidennya telah dihapus.",
        "updates": "Pembaruan",
        "duration_minutes": "{minutes} menit",
        "duration_hours": "{hours} jam {minutes} menit",
        "duration_days": "{days} hari {hours} jam",
        "duration_whole_hours": "{hours} jam",
        "duration_whole_days": "{days} hari",
        "badge_label": "status",
        "text_more": "+{count} lainnya",
        "text_overdue": "Pembaruan terlambat sejak {time}",
        "preview_no_incidents": "Tidak ada gangguan yang sedang berlangsung.",
        "embed_open_page": "Buka halaman status",
        "page_of": "Halaman {page}",

        "count_minutes": "{minutes} mnt",
        "count_hours": "{hours} j {minutes} mnt",
        "check_failing": "Pemeriksaan otomatis «{name}»: gagal sejak {time}{locations}, belum dikonfirmasi petugas",
        "check_failing_acknowledged": "Pemeriksaan otomatis «{name}»: gagal sejak {time}{locations}, {acknowledged}",
        "check_acknowledged": "petugas sedang menanganinya",
        "check_locations": " ({failing} dari {voters} lokasi)",
        "check_up": "Pemeriksaan otomatis «{name}»: berfungsi",
        "check_up_latency": "Pemeriksaan otomatis «{name}»: berfungsi, {latency} ms",
        "check_unknown": "Pemeriksaan otomatis «{name}»: belum ada hasil terkini",
        "checks_others": "{count} pemeriksaan otomatis lain: {up} berfungsi, {unknown} tanpa hasil terkini",
        "unconfirmed_heading": "Pemeriksaan otomatis: gangguan belum dikonfirmasi petugas",
        "unconfirmed_failure": "Pemeriksaan otomatis menemukan gangguan pukul {time}. Belum ada pernyataan dari petugas ({duration}).",
        "page_promise_next": "Pembaruan berikutnya paling lambat {time} (halaman ini menjanjikan pembaruan setidaknya setiap {minutes} menit)",
        "page_promise_overdue": "Tidak ada pembaruan selama {duration}; halaman ini menjanjikan pembaruan setidaknya setiap {minutes} menit.",
        "time_to_statement": "Waktu hingga pernyataan pertama",
        "time_to_statement_value": "{duration} (pemeriksaan otomatis pertama kali mendeteksi gangguan pukul {time})",
        "uptime_declared": "Dinyatakan petugas: {summary}",
        "uptime_measured": "Terukur oleh pemeriksaan otomatis «{name}»: {percent} berhasil dalam 90 hari",
        "uptime_measured_no_data": "Terukur oleh pemeriksaan otomatis «{name}»: belum ada hasil",
        "uptime_measured_many": "Terukur oleh {count} pemeriksaan otomatis: {percent} berhasil dalam 90 hari",
        "uptime_measured_many_no_data": "Terukur oleh {count} pemeriksaan otomatis: belum ada hasil",
        "uptime_measured_range_full": "{range}: 100% terukur, semua hasil berhasil",
        "uptime_measured_day": "{percent} terukur, {failures} dari {total} hasil gagal",

        "subscribe_title": "Kabar gangguan lewat email",
        "subscribe_intro": "Kami mengirim email setiap kali insiden atau pemeliharaan pada komponen pilihan Anda diumumkan atau diperbarui.",
        "subscribe_email": "Alamat email",
        "subscribe_language": "Bahasa email",
        "subscribe_components": "Komponen",
        "subscribe_all": "Semua komponen, termasuk yang ditambahkan nanti",
        "subscribe_chosen": "Hanya komponen yang saya centang di bawah",
        "subscribe_other_components": "Komponen lain",
        "subscribe_submit": "Berlangganan",
        "subscribe_privacy": "Kami hanya menyimpan alamat, bahasa, dan pilihan komponen Anda, untuk mengirim email ini saja. Pendaftaran yang tidak dikonfirmasi dihapus setelah 48 jam; berhenti berlangganan langsung menghapus alamat Anda. Setiap email memuat tautan untuk berhenti.",
        "subscribe_more": "Pilih komponen dan bahasa",
        "subscribe_problems": "Mohon perbaiki isian berikut:",
        "subscribe_error_email_missing": "Masukkan alamat email Anda.",
        "subscribe_error_email": "Masukkan alamat seperti nama@contoh.id, tanpa spasi atau baris baru.",
        "subscribe_error_language": "Pilih Bahasa Indonesia atau English.",
        "subscribe_error_components_none": "Centang setidaknya satu komponen, atau pilih semua komponen.",
        "subscribe_error_components_unknown": "Komponen yang Anda centang sudah tidak ada; silakan pilih lagi.",
        "subscribe_error_action": "Permintaan ini tidak dikenali; silakan gunakan tombol di halaman ini.",
        "subscribe_sent_title": "Periksa kotak masuk Anda",
        "subscribe_sent_body": "Kami mengirim tautan untuk mengonfirmasi langganan Anda. Tautan itu berlaku 48 jam.",
        "subscribe_sent_note": "Tidak ada email? Periksa folder spam, atau daftar lagi beberapa menit lagi.",
        "subscribe_limited_title": "Terlalu banyak pendaftaran",
        "subscribe_limited_body": "Terlalu banyak pendaftaran datang dari jaringan Anda. Coba lagi setelah {time}.",
        "subscribe_invalid_title": "Tautan ini sudah tidak berlaku",
        "subscribe_invalid_body": "Tautan sudah kedaluwarsa, atau langganan telah diakhiri.",
        "subscribe_again": "Daftar lagi",
        "subscribe_manage_title": "Langganan email Anda",
        "subscribe_address": "Alamat",
        "subscribe_pending_body": "Konfirmasikan bahwa Anda ingin menerima email ini:",
        "subscribe_expires": "Tautan ini berlaku hingga {time}.",
        "subscribe_confirm": "Konfirmasi langganan",
        "subscribe_confirmed": "Langganan dikonfirmasi. Anda akan menerima email untuk setiap pembaruan.",
        "subscribe_saved": "Pilihan Anda telah disimpan.",
        "subscribe_change": "Ubah yang Anda terima",
        "subscribe_save": "Simpan",
        "subscribe_all_components": "Semua komponen",
        "subscribe_leave_title": "Berhenti berlangganan",
        "subscribe_leave_body": "Email berhenti dan alamat Anda dihapus.",
        "subscribe_leave": "Berhenti dan hapus alamat saya",
        "subscribe_quarantined": "Email ke {address} ditolak oleh server penerima, jadi kami berhenti mengirim.",
        "subscribe_left_title": "Anda telah berhenti berlangganan",
        "subscribe_left_body": "Anda telah berhenti; alamat Anda telah dihapus.",
        "subscribe_ended_title": "Langganan sudah berakhir",
        "subscribe_ended_body": "Langganan ini sudah berakhir sebelumnya; tidak ada lagi email yang dikirim kepada Anda.",

    ])

    static let english = Strings(
        language: .english,
        months: "January February March April May June July August September October November December",
        shortMonths: "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        table: [
        "overall_none": "All systems operational",
        "overall_minor": "Minor service disruption",
        "overall_major": "Partial system outage",
        "overall_critical": "Major system outage",
        "overall_maintenance": "Service under maintenance",

        "component_operational": "Operational",
        "component_degraded_performance": "Degraded performance",
        "component_partial_outage": "Partial outage",
        "component_major_outage": "Major outage",
        "component_under_maintenance": "Under maintenance",

        "incident_investigating": "Investigating",
        "incident_identified": "Identified",
        "incident_monitoring": "Monitoring",
        "incident_resolved": "Resolved",
        "incident_postmortem": "Postmortem",
        "incident_scheduled": "Scheduled",
        "incident_in_progress": "In progress",
        "incident_verifying": "Verifying",
        "incident_completed": "Completed",
        "incident_update": "Update",

        "impact_none": "No impact",
        "impact_minor": "Minor impact",
        "impact_major": "Major impact",
        "impact_critical": "Critical impact",
        "impact_maintenance": "Maintenance",

        "skip_to_content": "Skip to content",
        "active_incidents": "Current incidents",
        "maintenance_active": "Maintenance in progress",
        "maintenance_upcoming": "Scheduled maintenance",
        "components": "Components",
        "past_incidents": "Incidents in the past 14 days",
        "no_incidents_day": "No incidents reported.",
        "next_update": "Next update by {time}",
        "overdue": "Update overdue by {duration} — last update {time}",
        "affected": "Affected components",
        "impact": "Impact",
        "uptime_summary": "{percent} uptime over 90 days",
        "uptime_no_data": "No uptime data yet",
        "uptime_range_full": "{range}: 100%, no disruption",
        "uptime_range_no_data": "{range}: no data yet",
        "uptime_major": "{duration} major outage",
        "uptime_partial": "{duration} partial outage",
        "uptime_incidents": "incidents: {names}",
        "history": "Incident history",
        "history_title": "Incident and maintenance history",
        "history_newer": "Newer",
        "history_older": "Older",
        "history_range": "{from} – {to}",
        "no_incidents_month": "No incidents or maintenance this month.",
        "times_in": "All times in {zone}",
        "copy_as_of": "Copy as of {time}",
        "feed_rss": "RSS",
        "feed_atom": "Atom",
        "api": "API",
        "other_language": "Bahasa Indonesia",
        "other_language_version": "Indonesian version",
        "started": "Started",
        "ended": "Ended",
        "duration": "Duration",
        "ongoing": "Ongoing since {time}",
        "scheduled_window": "Scheduled for {start} – {end}",
        "postmortem": "Postmortem",
        "published": "Published {time}",
        "back_to_status": "Back to the status page",
        "not_found_title": "Page not found",
        "not_found_body": "The page you asked for does not exist. The link may be wrong, or the incident was removed.",
        "updates": "Updates",
        "duration_minutes": "{minutes} min",
        "duration_hours": "{hours} h {minutes} min",
        "duration_days": "{days} d {hours} h",
        "duration_whole_hours": "{hours} h",
        "duration_whole_days": "{days} d",
        "badge_label": "status",
        "text_more": "+{count} more",
        "text_overdue": "Update overdue since {time}",
        "preview_no_incidents": "No incidents are open.",
        "embed_open_page": "Open the status page",
        "page_of": "Page {page}",

        "count_minutes": "{minutes} min",
        "count_hours": "{hours} h {minutes} min",
        "check_failing": "Automatic check «{name}»: failing since {time}{locations}, not yet confirmed by staff",
        "check_failing_acknowledged": "Automatic check «{name}»: failing since {time}{locations}, {acknowledged}",
        "check_acknowledged": "staff are on it",
        "check_locations": " ({failing} of {voters} locations)",
        "check_up": "Automatic check «{name}»: up",
        "check_up_latency": "Automatic check «{name}»: up, {latency} ms",
        "check_unknown": "Automatic check «{name}»: no current result",
        "checks_others": "{count} other automatic checks: {up} up, {unknown} without a current result",
        "unconfirmed_heading": "Automatic checks: failure not yet confirmed by staff",
        "unconfirmed_failure": "Automatic checks found a failure at {time}. No statement from staff yet ({duration}).",
        "page_promise_next": "Next update by {time} at the latest (this page promises one at least every {minutes} min)",
        "page_promise_overdue": "No update for {duration}; this page promises one at least every {minutes} min.",
        "time_to_statement": "Time to first statement",
        "time_to_statement_value": "{duration} (automatic checks first saw the failure at {time})",
        "uptime_declared": "Declared by staff: {summary}",
        "uptime_measured": "Measured by automatic check «{name}»: {percent} of results successful over 90 days",
        "uptime_measured_no_data": "Measured by automatic check «{name}»: no results yet",
        "uptime_measured_many": "Measured by {count} automatic checks: {percent} of results successful over 90 days",
        "uptime_measured_many_no_data": "Measured by {count} automatic checks: no results yet",
        "uptime_measured_range_full": "{range}: 100% measured, every result successful",
        "uptime_measured_day": "{percent} measured, {failures} of {total} results failed",

        "subscribe_title": "Get updates by email",
        "subscribe_intro": "We send a mail whenever an incident or maintenance on the components you choose is posted or updated.",
        "subscribe_email": "Email address",
        "subscribe_language": "Language of the mails",
        "subscribe_components": "Components",
        "subscribe_all": "All components, including any added later",
        "subscribe_chosen": "Only the components I tick below",
        "subscribe_other_components": "Other components",
        "subscribe_submit": "Subscribe",
        "subscribe_privacy": "We store your address, language and choice of components, nothing else, only to send these mails. A sign-up that is not confirmed is deleted after 48 hours; leaving deletes your address at once. Every mail has a link to leave.",
        "subscribe_more": "Choose components and language",
        "subscribe_problems": "Please correct the following:",
        "subscribe_error_email_missing": "Enter your email address.",
        "subscribe_error_email": "Enter an address such as name@example.org, without spaces or line breaks.",
        "subscribe_error_language": "Choose Bahasa Indonesia or English.",
        "subscribe_error_components_none": "Tick at least one component, or choose all components.",
        "subscribe_error_components_unknown": "A component you ticked no longer exists; choose again.",
        "subscribe_error_action": "This request was not understood; use the buttons on this page.",
        "subscribe_sent_title": "Check your mailbox",
        "subscribe_sent_body": "We sent a link to confirm your subscription. It expires in 48 hours.",
        "subscribe_sent_note": "No mail? Look in your spam folder, or sign up again in a few minutes.",
        "subscribe_limited_title": "Too many sign-ups",
        "subscribe_limited_body": "Too many sign-ups came from your network. Try again after {time}.",
        "subscribe_invalid_title": "This link is no longer valid",
        "subscribe_invalid_body": "It expired, or the subscription was ended.",
        "subscribe_again": "Sign up again",
        "subscribe_manage_title": "Your email subscription",
        "subscribe_address": "Address",
        "subscribe_pending_body": "Confirm that you want these mails:",
        "subscribe_expires": "This link works until {time}.",
        "subscribe_confirm": "Confirm subscription",
        "subscribe_confirmed": "Subscription confirmed. You will get a mail for each update.",
        "subscribe_saved": "Your choices are saved.",
        "subscribe_change": "Change what you receive",
        "subscribe_save": "Save",
        "subscribe_all_components": "All components",
        "subscribe_leave_title": "Leave",
        "subscribe_leave_body": "The mails stop and your address is deleted.",
        "subscribe_leave": "Leave and delete my address",
        "subscribe_quarantined": "Mail to {address} bounced, so we stopped sending.",
        "subscribe_left_title": "You have left",
        "subscribe_left_body": "You have left; your address was deleted.",
        "subscribe_ended_title": "Subscription already ended",
        "subscribe_ended_body": "This subscription had already ended; nothing more is sent to you.",

    ])
}
