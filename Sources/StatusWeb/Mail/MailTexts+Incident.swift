import Foundation
import StatusCore

// The mails about an incident or a maintenance: its updates, and the reminder before a
// maintenance window opens.

extension MailTexts {
    /// The updates `updateIDs` names, oldest first, each with its status, time, text and
    /// the component changes it made, and whether it kept the promise made before it; then
    /// the affected components, the promise of the next update, the link to the incident.
    /// nil when none of the updates is left.
    func incidentMail(_ incident: Incident, updateIDs: [String], _ context: Context, _ language: Language) -> MailContent? {
        let updatesByID = Dictionary(incident.updates.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let reported = updateIDs.compactMap { updatesByID[$0] }
        guard let newest = reported.last else { return nil }
        let strings = context.strings(language)
        let time = context.time(language)
        let labels = PageRenderer.statusLabels(incident, strings)
        func label(_ update: IncidentUpdate) -> String { labels[update.id] ?? strings.incidentStatus(update.status) }
        let name = context.localized(incident.name, translations: incident.nameTranslations, in: language).text

        var mail = MailDocument(language: language)
        mail.title(name)
        if let window = window(incident, time) { mail.paragraph(window) }
        for update in reported {
            mail.heading(label(update) + " · " + time.dateTime(update.displayAt, sameDayAs: context.now))
            appendText(update.body, translations: update.bodyTranslations, to: &mail, context, language)
            mail.list(update.affectedComponents.map { change in
                strings.format("mail_component_change", [
                    // The name it has now in the reader's language; the one recorded with the
                    // update once it is deleted.
                    "component": context.componentsByID[change.componentID]?.name(in: language.tag) ?? change.name,
                    "old": strings.componentStatus(change.oldStatus),
                    "new": strings.componentStatus(change.newStatus),
                ])
            })
            if let record = promiseRecord(of: update, in: incident, context, time) { mail.paragraph(record) }
        }
        appendAffectedComponents(incident, to: &mail, context, strings)
        let promised = Silence.applyPagePromise(to: [incident], maxSilence: context.page.maxSilence)[0]
        if let promise = UpdatePromise(promised, page: context.page, now: context.now, time: time) {
            let instant = promise.instant.map { time.dateTime($0, sameDayAs: context.now) } ?? ""
            mail.paragraph(promise.text.replacingOccurrences(of: "\u{1}", with: instant), strong: true)
        }
        appendEnding(incident, to: &mail, context, strings)
        let subject = strings.format("mail_subject", ["page": context.page.name, "what": label(newest), "name": name])
        return mail.content(subject: subject)
    }

    /// The reminder that a maintenance window opens soon: its window, components and latest
    /// text. nil when the maintenance is no longer scheduled or its start has passed: the
    /// reminder would announce what is no longer ahead.
    func reminderMail(_ incident: Incident, _ context: Context, _ language: Language) -> MailContent? {
        guard incident.status == .scheduled, let start = incident.scheduledFor, start > context.now else { return nil }
        let strings = context.strings(language)
        let time = context.time(language)
        let name = context.localized(incident.name, translations: incident.nameTranslations, in: language).text

        var mail = MailDocument(language: language)
        mail.title(strings.format("mail_reminder_heading", ["name": name]))
        if let window = window(incident, time) { mail.paragraph(window, strong: true) }
        if let latest = incident.updates.first {
            appendText(latest.body, translations: latest.bodyTranslations, to: &mail, context, language)
        }
        appendAffectedComponents(incident, to: &mail, context, strings)
        appendEnding(incident, to: &mail, context, strings)
        let sameDay = time.zone.localTime(start).dayNumber == time.zone.localTime(context.now).dayNumber
        let subject = sameDay
            ? strings.format("mail_subject_reminder", ["page": context.page.name, "name": name, "time": time.time(start)])
            : strings.format("mail_subject_reminder_dated", [
                "page": context.page.name, "name": name, "date": time.date(start), "time": time.time(start),
            ])
        return mail.content(subject: subject)
    }

    // MARK: Pieces

    /// A maintenance's window, "Scheduled for 29 Nov 2026, 22.00 WIB – 23.00 WIB"; nil for
    /// an incident.
    func window(_ incident: Incident, _ time: PageTime) -> String? {
        guard incident.isMaintenance, let start = incident.scheduledFor else { return nil }
        return time.strings.format("scheduled_window", [
            "start": time.dateTime(start),
            "end": incident.scheduledUntil.map { time.dateTime($0, sameDayAs: start) } ?? "…",
        ])
    }

    /// Staff text in the reader's language; in the page's language, with a note saying so,
    /// when staff wrote none in the reader's. Nothing for an update without text.
    func appendText(_ body: String, translations: [String: String], to mail: inout MailDocument,
                    _ context: Context, _ language: Language) {
        let chosen = context.localized(body, translations: translations, in: language)
        guard !chosen.text.isEmpty else { return }
        if chosen.textLanguage != language {
            let strings = context.strings(language)
            mail.note(strings.format("mail_untranslated", [
                "wanted": strings.mailLanguageName(language), "shown": strings.mailLanguageName(chosen.textLanguage),
            ]))
        }
        mail.staffText(chosen.text, textLanguage: chosen.textLanguage)
    }

    /// Whether `update` kept the promise in force before it: the previous update's own
    /// ("news by 16:00: this one came 12 min late", or "on time"), or, where staff promised
    /// nothing, the page's (`Silence`), named only when it was broken. Measured from when
    /// the update was posted, not the time it is shown at, which staff may set earlier.
    /// A minute's grace, as times are shown to the minute.
    func promiseRecord(of update: IncidentUpdate, in incident: Incident, _ context: Context, _ time: PageTime) -> String? {
        guard let index = incident.updates.firstIndex(where: { $0.id == update.id }),
              index + 1 < incident.updates.count else { return nil }
        // Newest first: the one after it in the list came before it.
        let previous = incident.updates[index + 1]
        guard !previous.status.isClosed else { return nil }
        let strings = time.strings
        if let due = previous.nextUpdateAt {
            let lateness = update.createdAt.timeIntervalSince(due)
            let dueText = time.dateTime(due, sameDayAs: context.now)
            if lateness < 60 { return strings.format("mail_promise_kept", ["time": dueText]) }
            return strings.format("mail_promise_late", ["time": dueText, "duration": time.duration(lateness)])
        }
        let minutes = context.page.maxSilence
        guard !incident.isMaintenance, minutes > 0 else { return nil }
        let silence = update.createdAt.timeIntervalSince(previous.createdAt)
        guard silence - Double(minutes) * 60 >= 60 else { return nil }
        return strings.format("mail_page_promise_late", [
            "duration": time.hoursAndMinutes(silence), "minutes": String(minutes),
        ])
    }

    /// "Affected components: Cards (Partial outage), Transfers (Degraded performance)", as
    /// they stand now.
    func appendAffectedComponents(_ incident: Incident, to mail: inout MailDocument, _ context: Context,
                                  _ strings: Strings) {
        let affected = incident.componentIDs.compactMap { context.componentsByID[$0] }.map { component in
            strings.format("mail_component_status", [
                "component": component.name(in: strings.language.tag), "status": strings.componentStatus(component.status),
            ])
        }
        guard !affected.isEmpty else { return }
        mail.paragraph(strings["affected"] + ": " + affected.joined(separator: ", "))
    }

    /// The link to the incident's page, and the footer: why every subscriber of this mail
    /// gets it (they chose all components, or one of the incident's; or it names none), and
    /// their links.
    func appendEnding(_ incident: Incident, to mail: inout MailDocument, _ context: Context, _ strings: Strings) {
        mail.link(strings["mail_timeline"], to: incidentLink(incident, strings.language))
        let names = context.componentNames(incident.componentIDs, in: strings.language)
        let reason = names.isEmpty
            ? strings.format("mail_reason_everyone", ["page": context.page.name])
            : strings.format("mail_reason_components", ["page": context.page.name, "components": names.joined(separator: ", ")])
        mail.footer(reason: reason, links: Self.subscriptionLinks(strings))
    }
}
