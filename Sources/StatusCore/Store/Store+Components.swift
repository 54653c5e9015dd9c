import Foundation
import SQLite

// Components (v1 semantics). Positions are 1-based within a parent: inside a group, or at the
// top level, where groups and ungrouped components share one sequence. Every change keeps each
// parent's positions gapless (1...n), so "append at the end" is max + 1.

extension Store {
    /// Every component in display order: top-level rows by position, each group's members
    /// after it, by their position in the group.
    public func components() throws -> [Component] {
        try withReader(Self.loadComponents)
    }

    /// One component.
    /// - Throws: `ValidationError.notFound` (`.component(.identity)`).
    public func component(id: String) throws -> Component {
        try withReader { database in try Self.loadComponent(database, id: id) }
    }

    /// Creates a component at the end of its parent and records its first status.
    ///
    /// - Throws: `ValidationError` (`.component(.name)`, `.component(.group)`,
    ///   `.component(.startDate)`); nothing is changed then.
    public func createComponent(_ draft: ComponentDraft, by actor: Actor, now: Date) throws -> Component {
        try write { database in
            try Rules.name(draft.name, field: .component(.name))
            if let groupID = draft.groupID {
                try Self.requireGroup(database, id: groupID, field: .component(.group))
            }
            if let startDate = draft.startDate {
                try Rules.calendarDay(startDate, field: .component(.startDate))
            }
            var given: [String] = []
            let translations = try Self.checkTranslations(database, names: draft.nameTranslations,
                                                          descriptions: draft.descriptionTranslations, of: .component,
                                                          changed: &given)

            let id = Identifier.make()
            let position = try Self.nextPosition(database, inGroup: draft.groupID)
            let timestamp = Timestamp.format(now)
            try database.execute("""
                INSERT INTO components (id, group_id, name, description, name_translations, description_translations,
                    status, position, showcase, only_show_if_degraded, start_date, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [id, draft.groupID, draft.name, draft.description, StoredJSON.encodeTranslations(translations.names),
                 StoredJSON.encodeTranslations(translations.descriptions), draft.status.rawValue, position,
                 draft.showcase, draft.onlyShowIfDegraded, draft.startDate, timestamp, timestamp])
            try Self.recordStatus(database, componentID: id, status: draft.status, now: now)
            try Self.audit(database, by: actor, action: "component.create", targetType: "component", targetID: id,
                           detail: AuditDetail(name: draft.name, status: draft.status.rawValue), now: now)
            return try Self.loadComponent(database, id: id)
        }
    }

    /// Changes a component. A new status is recorded in the status history; a new group moves
    /// the component to the end of that group (or of the top level, for `.clear`).
    ///
    /// - Throws: `ValidationError` (`.component(.identity)` not found; `.component(.name)`,
    ///   `.component(.group)`, `.component(.startDate)` invalid); nothing is changed then.
    public func updateComponent(id: String, _ patch: ComponentPatch, by actor: Actor, now: Date) throws -> Component {
        try write { database in
            let current = try Self.loadComponent(database, id: id)
            var fields: [String] = []

            if let name = patch.name {
                try Rules.name(name, field: .component(.name))
                if name != current.name { fields.append("name") }
            }
            if case .set(let groupID) = patch.groupID {
                try Self.requireGroup(database, id: groupID, field: .component(.group))
            }
            if case .set(let startDate) = patch.startDate {
                try Rules.calendarDay(startDate, field: .component(.startDate))
            }
            let (nameTranslations, descriptionTranslations) = try Self.checkTranslations(
                database, names: patch.nameTranslations, descriptions: patch.descriptionTranslations,
                current: (current.nameTranslations, current.descriptionTranslations), of: .component, changed: &fields)
            let description = patch.description.applied(to: current.description)
            let groupID = patch.groupID.applied(to: current.groupID)
            let startDate = patch.startDate.applied(to: current.startDate)
            let status = patch.status ?? current.status
            let showcase = patch.showcase ?? current.showcase
            let onlyShowIfDegraded = patch.onlyShowIfDegraded ?? current.onlyShowIfDegraded
            if description != current.description { fields.append("description") }
            if groupID != current.groupID { fields.append("group_id") }
            if startDate != current.startDate { fields.append("start_date") }
            if status != current.status { fields.append("status") }
            if showcase != current.showcase { fields.append("showcase") }
            if onlyShowIfDegraded != current.onlyShowIfDegraded { fields.append("only_show_if_degraded") }
            guard !fields.isEmpty else { return current }

            if groupID != current.groupID {
                try Self.move(database, componentID: id, toGroup: groupID)
            }
            try database.execute("""
                UPDATE components SET name = ?, description = ?, name_translations = ?, description_translations = ?,
                    showcase = ?, only_show_if_degraded = ?, start_date = ?, updated_at = ?
                WHERE id = ?
                """,
                [patch.name ?? current.name, description, StoredJSON.encodeTranslations(nameTranslations),
                 StoredJSON.encodeTranslations(descriptionTranslations), showcase, onlyShowIfDegraded, startDate,
                 Timestamp.format(now), id])
            if status != current.status {
                try Self.setStatus(database, componentID: id, status: status, now: now)
            }
            try Self.audit(database, by: actor, action: "component.update", targetType: "component", targetID: id,
                           detail: AuditDetail(fields: fields.sorted(), status: status.rawValue), now: now)
            return try Self.loadComponent(database, id: id)
        }
    }

    /// Deletes a component with its status history; the components after it move up. Past
    /// updates keep the name and statuses they recorded.
    /// - Throws: `ValidationError.notFound` (`.component(.identity)`).
    public func deleteComponent(id: String, by actor: Actor, now: Date) throws {
        try write { database in
            let current = try Self.loadComponent(database, id: id)
            try database.execute("DELETE FROM components WHERE id = ?", [id])
            try Self.closeGap(database, parent: current.groupID, after: current.position)
            try Self.audit(database, by: actor, action: "component.delete", targetType: "component", targetID: id,
                           detail: AuditDetail(name: current.name), now: now)
        }
    }

    // MARK: Shared with groups, incidents and the clock

    /// The translations of a component's or group's name (each checked as a name) and
    /// description (as a text) into the page's other language: those given replace
    /// `current`'s, and `changed` gets the column of each that differs.
    static func checkTranslations(_ database: Database, names: [String: String]?, descriptions: [String: String]?,
                                  current: (names: [String: String], descriptions: [String: String]) = ([:], [:]),
                                  of subject: ValidationError.Field.Subject, changed: inout [String])
        throws -> (names: [String: String], descriptions: [String: String]) {
        guard names != nil || descriptions != nil else { return current }
        let defaultLanguage = try loadPage(database).defaultLanguage
        let checked = (
            names: try names.map {
                try Rules.translations($0, field: .init(subject, .nameTranslations), defaultLanguage: defaultLanguage,
                                       check: Rules.name)
            } ?? current.names,
            descriptions: try descriptions.map {
                try Rules.translations($0, field: .init(subject, .descriptionTranslations),
                                       defaultLanguage: defaultLanguage, check: Rules.body)
            } ?? current.descriptions)
        if checked.names != current.names { changed.append("name_translations") }
        if checked.descriptions != current.descriptions { changed.append("description_translations") }
        return checked
    }

    static func loadComponents(_ database: Database) throws -> [Component] {
        try RowReader.readers(database.query("""
            SELECT c.* FROM components c LEFT JOIN component_groups g ON g.id = c.group_id
            ORDER BY coalesce(g.position, c.position), c.group_id IS NOT NULL, c.position, c.rowid
            """
        )).map(component(from:))
    }

    static func loadComponent(_ database: Database, id: String) throws -> Component {
        guard let row = try database.queryOne("SELECT * FROM components WHERE id = ?", [id]) else {
            throw ValidationError.notFound(.component(.identity), "There is no component with id '\(id)'.")
        }
        return try component(from: RowReader(row))
    }

    static func component(from row: RowReader) throws -> Component {
        Component(
            id: try row.string("id"), groupID: try row.optionalString("group_id"), name: try row.string("name"),
            description: try row.optionalString("description"), nameTranslations: try row.translations("name_translations"),
            descriptionTranslations: try row.translations("description_translations"),
            status: try row.value(ComponentStatus.self, "status"),
            position: try row.int("position"), showcase: try row.bool("showcase"),
            onlyShowIfDegraded: try row.bool("only_show_if_degraded"), startDate: try row.optionalString("start_date"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    /// Sets a component's status and records the change in its history; nothing happens when
    /// the status is already `status`, so the history holds changes only.
    /// Subscribers are told of the change (`component_update`).
    static func setStatus(_ database: Database, componentID: String, status: ComponentStatus, now: Date) throws {
        guard let row = try database.queryOne("SELECT status FROM components WHERE id = ?", [componentID]) else { return }
        let old = try RowReader(row).string("status")
        guard old != status.rawValue else { return }
        try database.execute("UPDATE components SET status = ?, updated_at = ? WHERE id = ?",
                             [status.rawValue, Timestamp.format(now), componentID])
        try recordStatus(database, componentID: componentID, status: status, now: now)
        try enqueueWebhook(database, event: .componentUpdate, subjectID: componentID,
                           oldStatus: old, newStatus: status.rawValue, now: now)
    }

    static func recordStatus(_ database: Database, componentID: String, status: ComponentStatus, now: Date) throws {
        try database.execute(
            "INSERT INTO component_status_changes (component_id, status, changed_at) VALUES (?, ?, ?)",
            [componentID, status.rawValue, Timestamp.format(now)])
    }

    /// The position after the last row of a parent (nil: the top level).
    static func nextPosition(_ database: Database, inGroup groupID: String?) throws -> Int {
        let row: Row?
        if let groupID {
            row = try database.queryOne(
                "SELECT coalesce(max(position), 0) + 1 FROM components WHERE group_id = ?", [groupID])
        } else {
            row = try database.queryOne("""
                SELECT coalesce(max(position), 0) + 1 FROM (
                    SELECT position FROM component_groups
                    UNION ALL SELECT position FROM components WHERE group_id IS NULL)
                """)
        }
        return try row?.int(0) ?? 1
    }

    /// Moves the rows of a parent that come after `position` up by one, after a row left it.
    static func closeGap(_ database: Database, parent groupID: String?, after position: Int) throws {
        if let groupID {
            try database.execute(
                "UPDATE components SET position = position - 1 WHERE group_id = ? AND position > ?",
                [groupID, position])
        } else {
            try database.execute(
                "UPDATE component_groups SET position = position - 1 WHERE position > ?", [position])
            try database.execute(
                "UPDATE components SET position = position - 1 WHERE group_id IS NULL AND position > ?", [position])
        }
    }

    /// Takes a component out of its parent and appends it to another.
    static func move(_ database: Database, componentID: String, toGroup groupID: String?) throws {
        // Read now: earlier moves in the same write may have shifted it.
        let current = try loadComponent(database, id: componentID)
        guard current.groupID != groupID else { return }
        try closeGap(database, parent: current.groupID, after: current.position)
        let position = try nextPosition(database, inGroup: groupID)
        try database.execute(
            "UPDATE components SET group_id = ?, position = ? WHERE id = ?", [groupID, position, componentID])
    }

    static func requireGroup(_ database: Database, id: String, field: ValidationError.Field) throws {
        guard try database.queryOne("SELECT 1 FROM component_groups WHERE id = ?", [id]) != nil else {
            throw ValidationError.invalid(field, "There is no component group with id '\(id)'.")
        }
    }
}
