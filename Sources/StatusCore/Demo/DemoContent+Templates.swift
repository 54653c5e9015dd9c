import Foundation

// The demo's incident templates: what an immigration office's duty officer posts in the
// first minutes, in Indonesian with English beside it, leaving to the moment of use only
// what cannot be known beforehand (which services, since when, when the next word comes).

extension DemoContent {
    static func seedTemplates(_ store: Store, now: Date, componentIDs ids: [String: String], actor: Actor) throws {
        func template(name: String, title: String, titleEN: String, body: String, bodyEN: String,
                      status: IncidentStatus, components: [String]) throws {
            var changes = IncidentTemplate.Changes()
            changes.name = name
            changes.title = title
            changes.titleTranslations = ["en": titleEN]
            changes.body = body
            changes.bodyTranslations = ["en": bodyEN]
            changes.updateStatus = status
            changes.componentIDs = components.compactMap { ids[$0] }
            _ = try store.createIncidentTemplate(changes, by: actor, now: now)
        }
        try template(
            name: "Gangguan pusat data",
            title: "Gangguan layanan keimigrasian akibat kegagalan pusat data",
            titleEN: "Immigration services disrupted by a data centre failure",
            body: """
            Sejak {started}, pusat data yang menjalankan sistem keimigrasian mengalami gangguan sehingga \
            {component} tidak dapat digunakan. Pemeriksaan di bandara dialihkan ke konter manual yang dijaga \
            petugas; siapkan paspor Anda dan sediakan waktu lebih. Tim kami sedang memulihkan sistem. \
            Pembaruan berikutnya paling lambat pukul {next_update}.
            """,
            bodyEN: """
            Since {started}, the data centre that runs the immigration systems has failed, and {component} \
            cannot be used. Airport checks have moved to the staffed manual counters; please have your passport \
            ready and allow extra time. Our team is restoring the systems. Next update by {next_update}.
            """,
            status: .investigating, components: ["cgk2", "cgk3", "dps", "mpaspor", "evisa"])
        try template(
            name: "Autogate tidak berfungsi",
            title: "Autogate tidak berfungsi: {component}",
            titleEN: "Autogates out of service: {component}",
            body: """
            Autogate di {component} tidak berfungsi sejak {started}. Pemeriksaan keimigrasian tetap berjalan \
            di konter manual; antrean dapat lebih panjang dari biasanya. Penumpang transit dan lansia \
            dapat meminta bantuan petugas. Pembaruan berikutnya paling lambat pukul {next_update}.
            """,
            bodyEN: """
            The autogates at {component} have been out of service since {started}. Immigration checks continue \
            at the manual counters; queues may be longer than usual. Transfer passengers and older travellers \
            may ask an officer for help. Next update by {next_update}.
            """,
            status: .investigating, components: ["cgk3"])
        try template(
            name: "Pembayaran gagal",
            title: "Pembayaran gagal di {component}",
            titleEN: "Payments failing in {component}",
            body: """
            Sejak {started}, sebagian pembayaran PNBP melalui {component} gagal diproses. Jangan membayar dua \
            kali: dana yang sudah terpotong tetapi belum tercatat akan dicocokkan otomatis, dan jadwal \
            kedatangan Anda ke kantor imigrasi tetap berlaku. Pembaruan berikutnya paling lambat pukul {next_update}.
            """,
            bodyEN: """
            Since {started}, some fee payments through {component} have failed. Please do not pay twice: money \
            already taken but not yet recorded will be matched automatically, and your appointment at the \
            immigration office still stands. Next update by {next_update}.
            """,
            status: .identified, components: ["mpaspor", "evisa"])
        try template(
            name: "Layanan pulih",
            title: "Layanan keimigrasian kembali normal",
            titleEN: "Immigration services back to normal",
            body: """
            {component} kembali berfungsi normal. Gangguan bermula pada {started}. Permohonan yang tertunda \
            diproses tanpa biaya tambahan. Bila Anda masih mengalami kendala, hubungi pusat panggilan \
            imigrasi. Kami mohon maaf atas ketidaknyamanan ini.
            """,
            bodyEN: """
            {component}: working normally again. The disruption began at {started}. Delayed applications are \
            processed at no extra cost. If you still have trouble, please contact the immigration call centre. \
            We apologise for the inconvenience.
            """,
            status: .resolved, components: [])
    }
}
