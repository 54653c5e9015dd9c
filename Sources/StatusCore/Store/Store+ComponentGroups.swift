import Foundation
import SQLite

// Component groups. A group sits among the top-level rows; its members are ordered inside it.

extension Store {
    /// Every group by position, with its members in order.
    public func componentGroups() throws -> [ComponentGroup] {
        try withReader(Self.loadGroups)
    }

    /// One group with its members.
    /// - Throws: `ValidationError.notFound` (`.componentGroup(.identity)`).
    public func componentGroup(id: String) throws -> ComponentGroup {
        try withReader { database in try Self.loadGroup(database, id: id) }
    }

    /// Creates a group at the end of the top level and moves the listed components into it,
    /// in that order.
    ///
    /// - Throws: `ValidationError` (`.componentGroup(.name)`, `.componentGroup(.componentIDs)`);
    ///   nothing is changed then.
    public func createComponentGroup(_ draft: ComponentGroupDraft, by actor: Actor, now: Date) throws -> ComponentGroup {
        try write { database in
            try Rules.name(draft.name, field: .componentGroup(.name))
            let known = try Self.componentsByID(database)
            let members = try Rules.componentIDs(draft.componentIDs, known: known, field: .componentGroup(.componentIDs))
            var given: [String] = []
            let translations = try Self.checkTranslations(database, names: draft.nameTranslations,
                                                          descriptions: draft.descriptionTranslations,
                                                          of: .componentGroup, changed: &given)

            let id = Identifier.make()
            let timestamp = Timestamp.format(now)
            try database.execute("""
                INSERT INTO component_groups (id, name, description, name_translations, description_translations,
                    position, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [id, draft.name, draft.description, StoredJSON.encodeTranslations(translations.names),
                 StoredJSON.encodeTranslations(translations.descriptions),
                 try Self.nextPosition(database, inGroup: nil), timestamp, timestamp])
            try Self.setMembers(database, groupID: id, members: members, now: now)
            try Self.audit(database, by: actor, action: "component_group.create", targetType: "component_group",
                           targetID: id, detail: AuditDetail(name: draft.name), now: now)
            return try Self.loadGroup(database, id: id)
        }
    }

    /// Changes a group. A member list replaces the old one: listed components move in (in that
    /// order), members left out move to the end of the top level.
    ///
    /// - Throws: `ValidationError` (`.componentGroup(.identity)` not found; `.componentGroup(.name)`,
    ///   `.componentGroup(.componentIDs)` invalid); nothing is changed then.
    public func updateComponentGroup(id: String, _ patch: ComponentGroupPatch, by actor: Actor,
                                     now: Date) throws -> ComponentGroup {
        try write { database in
            let current = try Self.loadGroup(database, id: id)
            var fields: [String] = []
            if let name = patch.name {
                try Rules.name(name, field: .componentGroup(.name))
                if name != current.name { fields.append("name") }
            }
            let description = patch.description.applied(to: current.description)
            if description != current.description { fields.append("description") }
            let (nameTranslations, descriptionTranslations) = try Self.checkTranslations(
                database, names: patch.nameTranslations, descriptions: patch.descriptionTranslations,
                current: (current.nameTranslations, current.descriptionTranslations), of: .componentGroup,
                changed: &fields)
            var members = current.componentIDs
            if let ids = patch.componentIDs {
                let known = try Self.componentsByID(database)
                members = try Rules.componentIDs(ids, known: known, field: .componentGroup(.componentIDs))
                if members != current.componentIDs { fields.append("components") }
            }
            guard !fields.isEmpty else { return current }

            try database.execute(
                """
                UPDATE component_groups SET name = ?, description = ?, name_translations = ?, description_translations = ?,
                    updated_at = ?
                WHERE id = ?
                """,
                [patch.name ?? current.name, description, StoredJSON.encodeTranslations(nameTranslations),
                 StoredJSON.encodeTranslations(descriptionTranslations), Timestamp.format(now), id])
            if members != current.componentIDs {
                for leaving in current.componentIDs where !members.contains(leaving) {
                    try Self.move(database, componentID: leaving, toGroup: nil)
                }
                try Self.setMembers(database, groupID: id, members: members, now: now)
            }
            try Self.audit(database, by: actor, action: "component_group.update", targetType: "component_group",
                           targetID: id, detail: AuditDetail(fields: fields.sorted()), now: now)
            return try Self.loadGroup(database, id: id)
        }
    }

    /// Deletes a group. Its members become top-level rows in the group's place, in their
    /// order, so the page reads the same apart from the heading.
    /// - Throws: `ValidationError.notFound` (`.componentGroup(.identity)`).
    public func deleteComponentGroup(id: String, by actor: Actor, now: Date) throws {
        try write { database in
            let group = try Self.loadGroup(database, id: id)
            // Make room: the group's one slot becomes one slot per member (none: the gap closes).
            let shift = group.componentIDs.count - 1
            try database.execute(
                "UPDATE component_groups SET position = position + ? WHERE position > ?", [shift, group.position])
            try database.execute(
                "UPDATE components SET position = position + ? WHERE group_id IS NULL AND position > ?",
                [shift, group.position])
            for (offset, memberID) in group.componentIDs.enumerated() {
                try database.execute(
                    "UPDATE components SET group_id = NULL, position = ?, updated_at = ? WHERE id = ?",
                    [group.position + offset, Timestamp.format(now), memberID])
            }
            try database.execute("DELETE FROM component_groups WHERE id = ?", [id])
            try Self.audit(database, by: actor, action: "component_group.delete", targetType: "component_group",
                           targetID: id, detail: AuditDetail(name: group.name), now: now)
        }
    }

    // MARK: Shared

    static func loadGroups(_ database: Database) throws -> [ComponentGroup] {
        var members: [String: [String]] = [:]
        for row in try RowReader.readers(database.query(
            "SELECT id, group_id FROM components WHERE group_id IS NOT NULL ORDER BY group_id, position, rowid")) {
            members[try row.string("group_id"), default: []].append(try row.string("id"))
        }
        return try RowReader.readers(database.query("SELECT * FROM component_groups ORDER BY position, rowid")).map { row in
            let id = try row.string("id")
            return try group(from: row, members: members[id] ?? [])
        }
    }

    static func loadGroup(_ database: Database, id: String) throws -> ComponentGroup {
        guard let row = try database.queryOne("SELECT * FROM component_groups WHERE id = ?", [id]) else {
            throw ValidationError.notFound(.componentGroup(.identity), "There is no component group with id '\(id)'.")
        }
        let members = try database.query(
            "SELECT id FROM components WHERE group_id = ? ORDER BY position, rowid", [id]
        ).map { try $0.string("id") }
        return try group(from: RowReader(row), members: members)
    }

    private static func group(from row: RowReader, members: [String]) throws -> ComponentGroup {
        ComponentGroup(
            id: try row.string("id"), name: try row.string("name"), description: try row.optionalString("description"),
            nameTranslations: try row.translations("name_translations"),
            descriptionTranslations: try row.translations("description_translations"), position: try row.int("position"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"), componentIDs: members)
    }

    static func componentsByID(_ database: Database) throws -> [String: Component] {
        Dictionary(uniqueKeysWithValues: try loadComponents(database).map { ($0.id, $0) })
    }

    /// Moves `members` into the group, then numbers them 1...n in that order.
    private static func setMembers(_ database: Database, groupID: String, members: [String], now: Date) throws {
        for memberID in members {
            try move(database, componentID: memberID, toGroup: groupID)
        }
        for (offset, memberID) in members.enumerated() {
            try database.execute(
                "UPDATE components SET position = ?, updated_at = ? WHERE id = ?",
                [offset + 1, Timestamp.format(now), memberID])
        }
    }
}
