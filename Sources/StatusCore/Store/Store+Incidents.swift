import Foundation
import SQLite

// Reading incidents and maintenances. Writes are in Store+IncidentWrites.swift.

extension Store {
    /// A page of incidents and maintenances, newest created first, each with its updates.
    ///
    /// - Parameters:
    ///   - filter: Which list (v1's `/incidents`, `/incidents/unresolved`, ...).
    ///   - query: Keeps those whose name contains this text (case-insensitive for ASCII);
    ///     nil or empty keeps all. `%` and `_` match themselves.
    ///   - limit: 1 to 100 (clamped; v1's default and maximum is 100).
    ///   - page: 1-based.
    public func incidents(_ filter: IncidentFilter = .all, query: String? = nil, limit: Int = 100,
                          page: Int = 1) throws -> [Incident] {
        let (limit, offset) = Self.pagination(limit: limit, page: page)
        let pattern = query.flatMap { $0.isEmpty ? nil : "%" + Self.escapedForLike($0) + "%" }
        // One constant statement per filter, so each is prepared once and cached.
        let sql = """
            SELECT * FROM incidents WHERE \(Self.condition(of: filter)) AND (?1 IS NULL OR name LIKE ?1 ESCAPE '\\')
            ORDER BY created_at DESC, rowid DESC LIMIT ?2 OFFSET ?3
            """
        return try withReader { database in
            try Self.loadIncidents(database, rows: database.query(sql, [pattern, limit, offset]))
        }
    }

    /// The SQL condition that selects `filter`'s rows: constant text, never input.
    static func condition(of filter: IncidentFilter) -> String {
        switch filter {
        case .all: return "1"
        case .unresolved: return "is_maintenance = 0 AND status IN ('investigating', 'identified', 'monitoring')"
        case .upcoming: return "is_maintenance = 1 AND status = 'scheduled'"
        // `Incident.isActiveMaintenance`, in SQL.
        case .activeMaintenance: return "is_maintenance = 1 AND status IN ('in_progress', 'verifying')"
        case .scheduled: return "is_maintenance = 1 AND status IN ('scheduled', 'in_progress', 'verifying')"
        }
    }

    /// One incident or maintenance with its updates, newest first, each with the components it
    /// changed.
    /// - Throws: `ValidationError.notFound` (`.incident(.identity)`).
    public func incident(id: String) throws -> Incident {
        try withReader { database in try Self.loadIncident(database, id: id) }
    }

    /// Incidents and maintenances shown in `[start, end)`: an incident at its start, a
    /// maintenance at its scheduled start. Newest first, each with its updates; every one of
    /// them, however busy the months (a history page shows three at a time, and one that
    /// left out the oldest of a bad quarter would hide them from everyone).
    public func incidents(shownFrom start: Date, to end: Date) throws -> [Incident] {
        try withReader { database in
            try Self.loadIncidents(database, rows: database.query("""
                SELECT * FROM incidents
                WHERE coalesce(scheduled_for, started_at) >= ?1 AND coalesce(scheduled_for, started_at) < ?2
                ORDER BY coalesce(scheduled_for, started_at) DESC, rowid DESC
                """, [Timestamp.format(start), Timestamp.format(end)]))
        }
    }

    /// Whether any incident or maintenance is shown before `date` (the history's "older" link).
    public func hasIncidents(shownBefore date: Date) throws -> Bool {
        try withReader { database in
            try database.queryOne("""
                SELECT EXISTS (SELECT 1 FROM incidents WHERE coalesce(scheduled_for, started_at) < ?1) AS found
                """, [Timestamp.format(date)])?.bool("found") ?? false
        }
    }

    // MARK: Shared

    /// `text` with LIKE's wildcards and the escape character escaped (`ESCAPE '\'`), so a
    /// search for `100%` finds "100%" and not every name starting with "100".
    static func escapedForLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    static func loadIncident(_ database: Database, id: String) throws -> Incident {
        let rows = try database.query("SELECT * FROM incidents WHERE id = ?", [id])
        guard let incident = try loadIncidents(database, rows: rows).first else {
            throw ValidationError.notFound(.incident(.identity), "There is no incident with id '\(id)'.")
        }
        return incident
    }

    /// Incidents from `incidents` rows, in the rows' order, with their affected components and
    /// their updates. Three queries whatever the number of incidents: the ids are passed as
    /// one JSON array (`json_each`), so the SQL stays constant and cached.
    static func loadIncidents(_ database: Database, rows: [Row]) throws -> [Incident] {
        guard !rows.isEmpty else { return [] }
        var incidents = try RowReader.readers(rows).map(incident(from:))
        let ids = StoredJSON.array(incidents.map(\.id))

        var componentIDs: [String: [String]] = [:]
        for row in try RowReader.readers(database.query("""
            SELECT incident_id, component_id FROM incident_components
            WHERE incident_id IN (SELECT value FROM json_each(?)) ORDER BY incident_id, position
            """, [ids])) {
            componentIDs[try row.string("incident_id"), default: []].append(try row.string("component_id"))
        }

        var affected: [String: [AffectedComponent]] = [:]
        for row in try RowReader.readers(database.query("""
            SELECT c.* FROM incident_update_components c JOIN incident_updates u ON u.id = c.update_id
            WHERE u.incident_id IN (SELECT value FROM json_each(?)) ORDER BY c.update_id, c.position
            """, [ids])) {
            affected[try row.string("update_id"), default: []].append(try affectedComponent(from: row))
        }

        var updates: [String: [IncidentUpdate]] = [:]
        for row in try RowReader.readers(database.query("""
            SELECT * FROM incident_updates WHERE incident_id IN (SELECT value FROM json_each(?))
            ORDER BY created_at DESC, rowid DESC
            """, [ids])) {
            var update = try incidentUpdate(from: row)
            update.affectedComponents = affected[update.id] ?? []
            updates[update.incidentID, default: []].append(update)
        }

        for index in incidents.indices {
            incidents[index].componentIDs = componentIDs[incidents[index].id] ?? []
            incidents[index].updates = updates[incidents[index].id] ?? []
        }
        return incidents
    }

    /// An incident without its updates and components.
    static func incident(from row: RowReader) throws -> Incident {
        Incident(
            id: try row.string("id"), name: try row.string("name"),
            nameTranslations: try row.translations("name_translations"),
            status: try row.value(IncidentStatus.self, "status"), impact: try row.value(Impact.self, "impact"),
            impactOverride: try row.optionalValue(Impact.self, "impact_override"),
            isMaintenance: try row.bool("is_maintenance"),
            scheduledFor: try row.optionalDate("scheduled_for"), scheduledUntil: try row.optionalDate("scheduled_until"),
            scheduledAutoInProgress: try row.bool("scheduled_auto_in_progress"),
            scheduledAutoCompleted: try row.bool("scheduled_auto_completed"),
            autoTransitionToMaintenanceState: try row.bool("auto_transition_to_maintenance_state"),
            autoTransitionToOperationalState: try row.bool("auto_transition_to_operational_state"),
            scheduledRemindPrior: try row.bool("scheduled_remind_prior"),
            scheduledRemindedAt: try row.optionalDate("scheduled_reminded_at"),
            nextUpdateAt: try row.optionalDate("next_update_at"), postmortemBody: try row.optionalString("postmortem_body"),
            postmortemPublishedAt: try row.optionalDate("postmortem_published_at"),
            metadataJSON: try row.string("metadata"), startedAt: try row.date("started_at"),
            monitoringAt: try row.optionalDate("monitoring_at"), resolvedAt: try row.optionalDate("resolved_at"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    /// An update without its affected components.
    static func incidentUpdate(from row: RowReader) throws -> IncidentUpdate {
        IncidentUpdate(
            id: try row.string("id"), incidentID: try row.string("incident_id"),
            status: try row.value(IncidentStatus.self, "status"), body: try row.string("body"),
            bodyTranslations: try row.translations("body_translations"), displayAt: try row.date("display_at"),
            deliverNotifications: try row.bool("deliver_notifications"),
            nextUpdateAt: try row.optionalDate("next_update_at"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    static func affectedComponent(from row: RowReader) throws -> AffectedComponent {
        AffectedComponent(
            componentID: try row.string("component_id"), name: try row.string("name"),
            oldStatus: try row.value(ComponentStatus.self, "old_status"),
            newStatus: try row.value(ComponentStatus.self, "new_status"))
    }
}
