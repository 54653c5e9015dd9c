import Foundation
import HTTPServer
import StatusCore

// Incident templates, as Statuspage's v1 has them: `POST /v1/pages/{page_id}/incident_templates`
// with `template[name]`, `template[title]`, `template[body]`, `template[group_id]`,
// `template[update_status]`, `template[should_send_notifications]`, `template[should_tweet]`
// (accepted; Warta never tweets) and `template[component_ids][]`, plus Warta's
// `template[translations][<lang>][title]` and `[body]`; GET lists or shows them, PATCH/PUT
// changes one, DELETE removes it. They belong to the page's settings (scope `page`); using
// one is posting an incident (scope `incidents`): `incident[template_id]` on a create or an
// update fills the name, body, status, components and notification choice from it, each
// only where the request gave none.

extension ManagementAPI {
    static func registerTemplates(on router: inout Router, _ api: Handlers, page: String) {
        addResource(to: &router, api, access: .scope(.page), collection: page + "/incident_templates",
                    member: page + "/incident_templates/{template_id}",
                    list: { try $0.listTemplates($1) }, create: { try $0.createTemplate($1) },
                    get: { try $0.getTemplate($1) }, update: { try $0.updateTemplate($1) },
                    delete: { try $0.deleteTemplate($1) })
    }
}

extension ManagementAPI.Handlers {
    func listTemplates(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        try respondList(call, Self.perPage(store.incidentTemplates(), call.request), V1Representation.writeTemplate)
    }

    func getTemplate(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        try respond(call, store.incidentTemplate(id: call.parameter("template_id")), V1Representation.writeTemplate)
    }

    func createTemplate(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let changes = try Self.templateChanges(Self.fields(call.request, root: "template"))
        for (field, value) in [("name", changes.name), ("title", changes.title), ("body", changes.body)] where value == nil {
            throw APIError.invalid("template[\(field)]", "template[\(field)] is required.")
        }
        let template = try store.createIncidentTemplate(changes, by: call.actor, now: call.now)
        return try respond(call, template, V1Representation.writeTemplate, status: .created)
    }

    func updateTemplate(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let changes = try Self.templateChanges(Self.fields(call.request, root: "template"))
        let template = try store.updateIncidentTemplate(id: call.parameter("template_id"), changes, by: call.actor, now: call.now)
        return try respond(call, template, V1Representation.writeTemplate)
    }

    /// Answers the template as it was, as a deleted incident is answered.
    func deleteTemplate(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let template = try store.deleteIncidentTemplate(id: call.parameter("template_id"), by: call.actor, now: call.now)
        return try respond(call, template, V1Representation.writeTemplate)
    }

    /// Every field of a `template` body.
    static func templateChanges(_ fields: FieldReader) throws -> IncidentTemplate.Changes {
        var changes = IncidentTemplate.Changes()
        changes.name = try fields.string("name")
        changes.title = try fields.string("title")
        changes.body = try fields.string("body")
        changes.groupID = patch(try fields.nullableString("group_id"))
        changes.updateStatus = try decode(IncidentStatus.self, fields, "update_status")
        changes.sendsNotifications = try fields.bool("should_send_notifications")
        _ = try fields.bool("should_tweet")
        changes.componentIDs = try fields.stringArray("component_ids")
        let translations = try translations(fields, nameKey: "title")
        if !translations.names.isEmpty { changes.titleTranslations = translations.names }
        if !translations.bodies.isEmpty { changes.bodyTranslations = translations.bodies }
        return changes
    }

    /// `patch` with what the request left out taken from the template that `incident[template_id]`
    /// names, its placeholders filled in each language: `{component}` with the names of the
    /// components the incident affects, `{next_update}` with the promise the request makes
    /// (`next_update_in` or `next_update_at`, which such a template needs) and `{started}`
    /// with when the incident started (its time alone when that was today), both on the page's clock.
    ///
    /// `incident` is the one being updated, nil on a create: its start and, when neither the
    /// request nor the template names components, its components are what the placeholders say.
    func applyingTemplate(_ fields: FieldReader, to patch: IncidentPatch, updating incident: Incident?,
                          now: Date) throws -> IncidentPatch {
        guard let templateID = try fields.string("template_id") else { return patch }
        let template: IncidentTemplate
        do {
            template = try store.incidentTemplate(id: templateID)
        } catch let error as ValidationError where error.kind == .notFound {
            throw APIError.invalid(fields.name("template_id"), error.message)
        }
        let page = try store.page()
        var patch = patch
        // A template without components leaves an incident's own alone (a "service restored" update).
        if patch.componentIDs == nil && patch.components.isEmpty && !template.componentIDs.isEmpty {
            patch.componentIDs = template.componentIDs
        }
        patch.status = patch.status ?? template.updateStatus
        patch.deliverNotifications = patch.deliverNotifications ?? template.sendsNotifications
        if template.placeholders.contains(.nextUpdate) && patch.nextUpdateAt == nil {
            throw APIError.invalid(fields.name("next_update_in"),
                                   "The template '\(template.name)' says when the next update comes ({next_update}): "
                                       + "give \(fields.name("next_update_in")) (minutes) or \(fields.name("next_update_at")).")
        }

        let components = try store.components()
        let affected = (patch.componentIDs ?? incident?.componentIDs ?? []) + patch.components.keys.sorted()
        let startedAt = incident?.startedAt ?? now
        var seen: Set<String> = []
        let named = affected.filter { seen.insert($0).inserted }.compactMap { id in components.first { $0.id == id } }
        func values(_ languageCode: String) -> [IncidentTemplate.Placeholder: String] {
            let time = PageTime(timeZoneIdentifier: page.timeZone, strings: .of(Language(tag: languageCode) ?? .indonesian))
            var values: [IncidentTemplate.Placeholder: String] = [
                // Each text names the components in its own language.
                .component: named.map { $0.name(in: languageCode) }.joined(separator: ", "),
                .started: time.dateTime(startedAt, sameDayAs: now),
            ]
            if let due = patch.nextUpdateAt { values[.nextUpdate] = time.dateTime(due, sameDayAs: now) }
            return values
        }
        func filled(_ translations: [String: String]) -> [String: String] {
            translations.reduce(into: [:]) { $0[$1.key] = IncidentTemplate.fill($1.value, values($1.key)) }
        }
        patch.name = patch.name ?? IncidentTemplate.fill(template.title, values(page.defaultLanguage))
        patch.nameTranslations = patch.nameTranslations ?? filled(template.titleTranslations)
        patch.body = patch.body ?? IncidentTemplate.fill(template.body, values(page.defaultLanguage))
        patch.bodyTranslations = patch.bodyTranslations ?? filled(template.bodyTranslations)
        return patch
    }
}
