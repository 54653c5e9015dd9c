import Foundation
import SQLite

// Incident templates. They are not public: no snapshot shows them, so changing one rebuilds
// nothing. Every change is audited. Placeholders are checked when a template is saved, so an
// unknown one is refused then, not discovered when the template is posted in a hurry.

extension Store {
    /// Every template, by name.
    public func incidentTemplates() throws -> [IncidentTemplate] {
        try withReader { database in
            let components = try Self.templateComponents(database, templateID: nil)
            return try RowReader.readers(database.query("SELECT * FROM incident_templates ORDER BY name, id"))
                .map { try Self.template(from: $0, components: components) }
        }
    }

    /// One template.
    /// - Throws: `ValidationError.notFound` (`.template(.identity)`).
    public func incidentTemplate(id: String) throws -> IncidentTemplate {
        try withReader { database in try Self.loadTemplate(database, id: id) }
    }

    /// Creates a template from `changes`, which must give `name`, `title` and `body`.
    ///
    /// - Throws: `ValidationError` naming the template's field (`.template(.name)`, `.title`,
    ///   `.body`, their translations, `.group`, `.componentIDs`): missing, too long, not a
    ///   language of the page, a component that does not exist, or an unknown placeholder.
    ///   Nothing is changed then.
    public func createIncidentTemplate(_ changes: IncidentTemplate.Changes, by actor: Actor, now: Date) throws -> IncidentTemplate {
        try write { database in
            guard let name = changes.name, let title = changes.title, let body = changes.body else {
                let missing = changes.name == nil ? "name" : changes.title == nil ? "title" : "body"
                let attribute: ValidationError.Field.Attribute = changes.name == nil ? .name : changes.title == nil ? .title : .body
                throw ValidationError.invalid(.template(attribute), "A template needs a \(missing).")
            }
            let template = IncidentTemplate(
                id: Identifier.make(), name: name, title: title, titleTranslations: changes.titleTranslations ?? [:],
                body: body, bodyTranslations: changes.bodyTranslations ?? [:], groupID: changes.groupID.applied(to: nil),
                updateStatus: changes.updateStatus ?? .investigating, sendsNotifications: changes.sendsNotifications ?? true,
                componentIDs: changes.componentIDs ?? [], createdAt: now, updatedAt: now)
            let checked = try Self.checkTemplate(database, template)
            try database.execute("""
                INSERT INTO incident_templates (id, name, title, title_translations, body, body_translations, group_id,
                    update_status, should_send_notifications, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [checked.id, checked.name, checked.title, StoredJSON.encodeTranslations(checked.titleTranslations),
                 checked.body, StoredJSON.encodeTranslations(checked.bodyTranslations), checked.groupID,
                 checked.updateStatus.rawValue, checked.sendsNotifications, Timestamp.format(now), Timestamp.format(now)])
            try Self.setTemplateComponents(database, templateID: checked.id, checked.componentIDs)
            try Self.audit(database, by: actor, action: "incident_template.create", targetType: "incident_template",
                           targetID: checked.id, detail: AuditDetail(name: checked.name), now: now)
            return try Self.loadTemplate(database, id: checked.id)
        }
    }

    /// Changes a template: fields left nil stay as they are.
    /// - Throws: `ValidationError` as `createIncidentTemplate`, or `.notFound`
    ///   (`.template(.identity)`); nothing is changed then.
    public func updateIncidentTemplate(id: String, _ changes: IncidentTemplate.Changes, by actor: Actor,
                                       now: Date) throws -> IncidentTemplate {
        try write { database in
            let current = try Self.loadTemplate(database, id: id)
            var template = current
            template.name = changes.name ?? current.name
            template.title = changes.title ?? current.title
            template.titleTranslations = changes.titleTranslations ?? current.titleTranslations
            template.body = changes.body ?? current.body
            template.bodyTranslations = changes.bodyTranslations ?? current.bodyTranslations
            template.groupID = changes.groupID.applied(to: current.groupID)
            template.updateStatus = changes.updateStatus ?? current.updateStatus
            template.sendsNotifications = changes.sendsNotifications ?? current.sendsNotifications
            template.componentIDs = changes.componentIDs ?? current.componentIDs
            template = try Self.checkTemplate(database, template)
            let fields = Self.changedTemplateFields(from: current, to: template)
            guard !fields.isEmpty else { return current }
            try database.execute("""
                UPDATE incident_templates SET name = ?, title = ?, title_translations = ?, body = ?, body_translations = ?,
                    group_id = ?, update_status = ?, should_send_notifications = ?, updated_at = ?
                WHERE id = ?
                """,
                [template.name, template.title, StoredJSON.encodeTranslations(template.titleTranslations), template.body,
                 StoredJSON.encodeTranslations(template.bodyTranslations), template.groupID,
                 template.updateStatus.rawValue, template.sendsNotifications, Timestamp.format(now), id])
            if template.componentIDs != current.componentIDs {
                try Self.setTemplateComponents(database, templateID: id, template.componentIDs)
            }
            try Self.audit(database, by: actor, action: "incident_template.update", targetType: "incident_template",
                           targetID: id, detail: AuditDetail(fields: fields), now: now)
            return try Self.loadTemplate(database, id: id)
        }
    }

    /// Deletes a template and returns it as it was. Incidents posted from it keep their texts.
    /// - Throws: `ValidationError.notFound` (`.template(.identity)`).
    @discardableResult
    public func deleteIncidentTemplate(id: String, by actor: Actor, now: Date) throws -> IncidentTemplate {
        try write { database in
            let template = try Self.loadTemplate(database, id: id)
            try database.execute("DELETE FROM incident_templates WHERE id = ?", [id])
            try Self.audit(database, by: actor, action: "incident_template.delete", targetType: "incident_template",
                           targetID: id, detail: AuditDetail(name: template.name), now: now)
            return template
        }
    }

    // MARK: Pieces

    /// `template` checked against the rules and the page, with its translations and
    /// component list as they are stored (empty translations dropped, repeated ids once).
    private static func checkTemplate(_ database: Database, _ template: IncidentTemplate) throws -> IncidentTemplate {
        var checked = template
        let page = try loadPage(database)
        try Rules.name(template.name, field: .template(.name))
        try checkTemplateText(template.title, field: .template(.title), check: Rules.name)
        try checkTemplateText(template.body, field: .template(.body), check: Rules.body)
        checked.titleTranslations = try Rules.translations(
            template.titleTranslations, field: .template(.titleTranslations), defaultLanguage: page.defaultLanguage,
            check: { try checkTemplateText($0, field: $1, check: Rules.name) })
        checked.bodyTranslations = try Rules.translations(
            template.bodyTranslations, field: .template(.bodyTranslations), defaultLanguage: page.defaultLanguage,
            check: { try checkTemplateText($0, field: $1, check: Rules.body) })
        if let groupID = template.groupID, groupID.isEmpty || groupID.unicodeScalars.count > Rules.maximumNameLength {
            throw ValidationError.invalid(.template(.group), "A template group id is 1 to \(Rules.maximumNameLength) characters.")
        }
        checked.componentIDs = try Rules.componentIDs(
            template.componentIDs, known: try componentsByID(database), field: .template(.componentIDs))
        return checked
    }

    private static func checkTemplateText(_ text: String, field: ValidationError.Field,
                                          check: (String, ValidationError.Field) throws -> Void) throws {
        try check(text, field)
        _ = try IncidentTemplate.placeholders(in: text, field: field)
    }

    /// The v1 names of the fields that differ, sorted, for the audit row.
    private static func changedTemplateFields(from old: IncidentTemplate, to new: IncidentTemplate) -> [String] {
        var fields: [String] = []
        if old.name != new.name { fields.append("name") }
        if old.title != new.title { fields.append("title") }
        if old.titleTranslations != new.titleTranslations { fields.append("title_translations") }
        if old.body != new.body { fields.append("body") }
        if old.bodyTranslations != new.bodyTranslations { fields.append("body_translations") }
        if old.groupID != new.groupID { fields.append("group_id") }
        if old.updateStatus != new.updateStatus { fields.append("update_status") }
        if old.sendsNotifications != new.sendsNotifications { fields.append("should_send_notifications") }
        if old.componentIDs != new.componentIDs { fields.append("component_ids") }
        return fields.sorted()
    }

    static func loadTemplate(_ database: Database, id: String) throws -> IncidentTemplate {
        guard let row = try database.queryOne("SELECT * FROM incident_templates WHERE id = ?", [id]) else {
            throw ValidationError.notFound(.template(.identity), "There is no incident template with id '\(id)'.")
        }
        return try template(from: RowReader(row), components: templateComponents(database, templateID: id))
    }

    /// Component ids by template, in order; one template's when `templateID` is given.
    private static func templateComponents(_ database: Database, templateID: String?) throws -> [String: [String]] {
        var components: [String: [String]] = [:]
        for row in try RowReader.readers(database.query("""
            SELECT template_id, component_id FROM incident_template_components
            WHERE ?1 IS NULL OR template_id = ?1 ORDER BY template_id, position
            """, [templateID])) {
            components[try row.string("template_id"), default: []].append(try row.string("component_id"))
        }
        return components
    }

    private static func setTemplateComponents(_ database: Database, templateID: String, _ componentIDs: [String]) throws {
        try database.execute("DELETE FROM incident_template_components WHERE template_id = ?", [templateID])
        for (position, componentID) in componentIDs.enumerated() {
            try database.execute(
                "INSERT INTO incident_template_components (template_id, component_id, position) VALUES (?, ?, ?)",
                [templateID, componentID, position])
        }
    }

    private static func template(from row: RowReader, components: [String: [String]]) throws -> IncidentTemplate {
        let id = try row.string("id")
        return IncidentTemplate(
            id: id, name: try row.string("name"), title: try row.string("title"),
            titleTranslations: try row.translations("title_translations"), body: try row.string("body"),
            bodyTranslations: try row.translations("body_translations"), groupID: try row.optionalString("group_id"),
            updateStatus: try row.value(IncidentStatus.self, "update_status"),
            sendsNotifications: try row.bool("should_send_notifications"), componentIDs: components[id] ?? [],
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
