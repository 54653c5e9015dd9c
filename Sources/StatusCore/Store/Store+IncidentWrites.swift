import Foundation
import SQLite

// Creating and changing incidents and maintenances. Every write validates the whole input
// first, then writes in the one transaction `write` opened, and audits in it too.

extension Store {
    /// Creates an incident or a scheduled maintenance with its first update.
    ///
    /// It is a maintenance when `scheduledFor` is given or the status is a maintenance status.
    /// The statuses in `components` are applied and recorded on the first update (old and
    /// new); a maintenance created `in_progress` with `autoTransitionToMaintenanceState` sets
    /// its other affected components under_maintenance. `impact` is derived from the affected
    /// components unless `impactOverride` is given (see `recomputeImpact`). `nextUpdateAt`
    /// becomes the incident's promise.
    ///
    /// - Throws: `ValidationError` (`.incident(.name)`, `.incident(.status)`, `.incident(.body)`,
    ///   `.incident(.componentIDs)`, `.incident(.componentStatus)`, `.incident(.scheduledFor)`,
    ///   `.incident(.scheduledUntil)`, `.incident(.metadata)`, `.incident(.nextUpdateAt)`,
    ///   `.incident(.nameTranslations)`, `.incident(.bodyTranslations)`); nothing is changed then.
    public func createIncident(_ draft: IncidentDraft, by actor: Actor, now: Date) throws -> Incident {
        try write { database in
            let page = try Self.loadPage(database)
            let index = try ComponentIndex(database)

            try Rules.name(draft.name, field: .incident(.name))
            let nameTranslations = try Rules.translations(
                draft.nameTranslations, field: .incident(.nameTranslations), defaultLanguage: page.defaultLanguage,
                check: Rules.name)
            let isMaintenance = draft.scheduledFor != nil || draft.status?.isMaintenanceStatus == true
            let status = draft.status ?? (isMaintenance ? .scheduled : .investigating)
            try Rules.status(status, maintenance: isMaintenance, field: .incident(.status))
            if status == .postmortem {
                throw ValidationError.invalid(
                    .incident(.status),
                    "A new incident cannot start in postmortem; create it resolved, then move it to postmortem.")
            }
            if isMaintenance {
                try Rules.window(from: draft.scheduledFor, until: draft.scheduledUntil, of: .incident)
            } else if draft.scheduledUntil != nil {
                throw ValidationError.invalid(
                    .incident(.scheduledUntil),
                    "scheduled_until applies only to scheduled maintenances; give scheduled_for as well.")
            }
            try Rules.body(draft.body, field: .incident(.body))
            let bodyTranslations = try Rules.translations(
                draft.bodyTranslations, field: .incident(.bodyTranslations), defaultLanguage: page.defaultLanguage,
                check: Rules.body)
            let listed = try Rules.componentIDs(draft.componentIDs, known: index.byID, field: .incident(.componentIDs))
            try Self.validateComponentMap(draft.components, index: index)
            try Rules.metadata(draft.metadataJSON, field: .incident(.metadata))
            if let promise = draft.nextUpdateAt {
                try Self.validatePromise(promise, now: now)
            }

            let id = Identifier.make()
            let affectedIDs = listed + index.sorted(draft.components.keys.filter { !listed.contains($0) })
            let timestamp = Timestamp.format(now)
            let promise = status.isClosed ? nil : draft.nextUpdateAt
            try database.execute("""
                INSERT INTO incidents (id, name, name_translations, status, impact, impact_override, is_maintenance,
                    scheduled_for, scheduled_until, scheduled_auto_in_progress, scheduled_auto_completed,
                    auto_transition_to_maintenance_state, auto_transition_to_operational_state, scheduled_remind_prior,
                    next_update_at, metadata, started_at, monitoring_at, resolved_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'none', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [id, draft.name, StoredJSON.encodeTranslations(nameTranslations), status.rawValue,
                 draft.impactOverride?.rawValue, isMaintenance,
                 draft.scheduledFor.map(Timestamp.format), draft.scheduledUntil.map(Timestamp.format),
                 draft.scheduledAutoInProgress, draft.scheduledAutoCompleted,
                 draft.autoTransitionToMaintenanceState, draft.autoTransitionToOperationalState,
                 isMaintenance && draft.scheduledRemindPrior,
                 promise.map(Timestamp.format), draft.metadataJSON, timestamp,
                 status == .monitoring ? timestamp : nil, status.isClosed ? timestamp : nil, timestamp, timestamp])
            try Self.setAffectedComponents(database, incidentID: id, componentIDs: affectedIDs)

            let changes = Self.componentChanges(
                explicit: draft.components, affected: affectedIDs, index: index,
                startingMaintenance: isMaintenance && status == .inProgress && draft.autoTransitionToMaintenanceState,
                completingMaintenance: isMaintenance && status == .completed && draft.autoTransitionToOperationalState)
            let affected = try Self.applyComponentChanges(database, changes, index: index, now: now)
            let updateID = try Self.appendUpdate(
                database, incidentID: id, status: status, body: draft.body, bodyTranslations: bodyTranslations,
                deliverNotifications: draft.deliverNotifications, nextUpdateAt: promise, affected: affected, now: now)
            try Self.recomputeImpact(database, incidentID: id)
            try Self.enqueueWebhook(database, event: .incident, subjectID: id, now: now)
            if draft.deliverNotifications {
                try Self.enqueueIncidentMail(database, incidentID: id, updateID: updateID, opensThread: true, now: now)
            }
            try Self.audit(database, by: actor, action: "incident.create", targetType: "incident", targetID: id,
                           detail: AuditDetail(name: draft.name, status: status.rawValue, updateID: updateID), now: now)
            return try Self.loadIncident(database, id: id)
        }
    }

    /// Changes an incident or maintenance.
    ///
    /// A new update is appended when `status` changes or `body` is given; it carries this
    /// patch's component changes and its `nextUpdateAt`, which replaces the incident's promise
    /// (closing the incident clears it). Entering monitoring sets `monitoringAt`, closing sets
    /// `resolvedAt` (each the first time only). A maintenance entering in_progress with
    /// `autoTransitionToMaintenanceState` sets its affected components under_maintenance;
    /// completing with `autoTransitionToOperationalState` sets those under maintenance back to
    /// operational. A patch that changes nothing writes nothing.
    ///
    /// - Throws: `ValidationError` (`.incident(.identity)` not found; any `.incident(_:)` field
    ///   invalid); nothing is changed then.
    public func updateIncident(id: String, _ patch: IncidentPatch, by actor: Actor, now: Date) throws -> Incident {
        try write { database in
            // Two edits within one millisecond would share a cache version.
            incidentCache[id] = nil
            try Self.applyIncidentPatch(database, id: id, patch, by: actor, now: now, automatic: false)
            return try Self.loadIncident(database, id: id)
        }
    }

    /// Deletes an incident with its updates. Component statuses stay as they are.
    /// - Throws: `ValidationError.notFound` (`.incident(.identity)`).
    public func deleteIncident(id: String, by actor: Actor, now: Date) throws {
        try write { database in
            // Two edits within one millisecond would share a cache version.
            incidentCache[id] = nil
            let current = try Self.loadIncident(database, id: id)
            try database.execute("DELETE FROM incidents WHERE id = ?", [id])
            try Self.audit(database, by: actor, action: "incident.delete", targetType: "incident", targetID: id,
                           detail: AuditDetail(name: current.name), now: now)
        }
    }

    /// Edits a posted update: its text, when it is shown as posted, whether it notifies, and
    /// its translations. Its status and component changes are history and cannot be edited.
    ///
    /// - Throws: `ValidationError` (`.incident(.identity)` or `.incidentUpdate(.identity)` not found;
    ///   `.incidentUpdate(.body)`, `.incidentUpdate(.bodyTranslations)` invalid); nothing is
    ///   changed then.
    public func updateIncidentUpdate(incidentID: String, updateID: String, _ patch: IncidentUpdatePatch,
                                     by actor: Actor, now: Date) throws -> IncidentUpdate {
        try write { database in
            incidentCache[incidentID] = nil
            let page = try Self.loadPage(database)
            let incident = try Self.loadIncident(database, id: incidentID)
            guard let current = incident.updates.first(where: { $0.id == updateID }) else {
                throw ValidationError.notFound(
                    .incidentUpdate(.identity), "Incident '\(incidentID)' has no update with id '\(updateID)'.")
            }
            var fields: [String] = []
            let translations = try Self.checkText(
                "body", patch.body, translations: patch.bodyTranslations, current: current.body,
                currentTranslations: current.bodyTranslations, field: .incidentUpdate(.body),
                translationsField: .incidentUpdate(.bodyTranslations), defaultLanguage: page.defaultLanguage,
                check: Rules.body, changed: &fields)
            let displayAt = patch.displayAt ?? current.displayAt
            if Timestamp.format(displayAt) != Timestamp.format(current.displayAt) { fields.append("display_at") }
            let deliver = patch.deliverNotifications ?? current.deliverNotifications
            if deliver != current.deliverNotifications { fields.append("deliver_notifications") }
            guard !fields.isEmpty else { return current }

            let timestamp = Timestamp.format(now)
            try database.execute("""
                UPDATE incident_updates SET body = ?, body_translations = ?, display_at = ?,
                    deliver_notifications = ?, updated_at = ?
                WHERE id = ?
                """,
                [patch.body ?? current.body, StoredJSON.encodeTranslations(translations), Timestamp.format(displayAt),
                 deliver, timestamp, updateID])
            try database.execute("UPDATE incidents SET updated_at = ? WHERE id = ?", [timestamp, incidentID])
            try Self.audit(database, by: actor, action: "incident_update.update", targetType: "incident_update",
                           targetID: updateID, detail: AuditDetail(fields: fields.sorted()), now: now)
            let updated = try Self.loadIncident(database, id: incidentID)
            // The update exists: it was found above in the same transaction.
            return updated.updates.first { $0.id == updateID } ?? current
        }
    }

    /// Checks a patched text (`given`) and its translations with `check`, names in `changed`
    /// each of the two that differs from what is stored (`name`, `name_translations`), and
    /// returns the translations to store.
    static func checkText(_ name: String, _ given: String?, translations givenTranslations: [String: String]?,
                          current: String, currentTranslations: [String: String],
                          field: ValidationError.Field, translationsField: ValidationError.Field,
                          defaultLanguage: String, check: (String, ValidationError.Field) throws -> Void,
                          changed: inout [String]) throws -> [String: String] {
        if let given {
            try check(given, field)
            if given != current { changed.append(name) }
        }
        guard let givenTranslations else { return currentTranslations }
        let translations = try Rules.translations(givenTranslations, field: translationsField,
                                                  defaultLanguage: defaultLanguage, check: check)
        if translations != currentTranslations { changed.append(name + "_translations") }
        return translations
    }

    // MARK: The patch, shared with the clock

    /// Validates and applies `patch` inside the caller's transaction; returns whether anything
    /// changed. `automatic` marks the audit row of a change made by time.
    @discardableResult
    static func applyIncidentPatch(_ database: Database, id: String, _ patch: IncidentPatch, by actor: Actor,
                                   now: Date, automatic: Bool) throws -> Bool {
        let current = try loadIncident(database, id: id)
        let page = try loadPage(database)
        let index = try ComponentIndex(database)
        var fields: [String] = []

        // Validate everything before the first write.
        let nameTranslations = try checkText(
            "name", patch.name, translations: patch.nameTranslations, current: current.name,
            currentTranslations: current.nameTranslations, field: .incident(.name),
            translationsField: .incident(.nameTranslations), defaultLanguage: page.defaultLanguage,
            check: Rules.name, changed: &fields)
        let status = patch.status ?? current.status
        if let given = patch.status {
            try Rules.status(given, maintenance: current.isMaintenance, field: .incident(.status))
            if given == .postmortem, current.status != .resolved, current.status != .postmortem {
                throw ValidationError.invalid(
                    .incident(.status),
                    "An incident moves to postmortem once resolved; it is '\(current.status.rawValue)' now.")
            }
            if given != current.status { fields.append("status") }
        }
        if let body = patch.body {
            try Rules.body(body, field: .incident(.body))
            fields.append("body")
        }
        var bodyTranslations: [String: String] = [:]
        if let given = patch.bodyTranslations {
            bodyTranslations = try Rules.translations(
                given, field: .incident(.bodyTranslations), defaultLanguage: page.defaultLanguage,
                check: Rules.body)
        }
        let appendsUpdate = status != current.status || patch.body != nil
        if patch.bodyTranslations != nil, !appendsUpdate {
            throw ValidationError.invalid(
                .incident(.bodyTranslations),
                "Translations of an update's text need the update; give a body or a new status with them.")
        }

        var affectedIDs = current.componentIDs
        if let given = patch.componentIDs {
            affectedIDs = try Rules.componentIDs(given, known: index.byID, field: .incident(.componentIDs))
        }
        try validateComponentMap(patch.components, index: index)
        affectedIDs += index.sorted(patch.components.keys.filter { !affectedIDs.contains($0) })
        if affectedIDs != current.componentIDs { fields.append("component_ids") }
        if !patch.components.isEmpty { fields.append("components") }

        let impactOverride = patch.impactOverride.applied(to: current.impactOverride)
        if impactOverride != current.impactOverride { fields.append("impact_override") }

        var scheduledFor = current.scheduledFor
        var scheduledUntil = current.scheduledUntil
        if current.isMaintenance {
            scheduledFor = patch.scheduledFor ?? scheduledFor
            scheduledUntil = patch.scheduledUntil ?? scheduledUntil
            try Rules.window(from: scheduledFor, until: scheduledUntil, of: .incident)
            if scheduledFor != current.scheduledFor { fields.append("scheduled_for") }
            if scheduledUntil != current.scheduledUntil { fields.append("scheduled_until") }
        } else if patch.scheduledFor != nil || patch.scheduledUntil != nil {
            let field: ValidationError.Field = patch.scheduledFor != nil ? .incident(.scheduledFor) : .incident(.scheduledUntil)
            throw ValidationError.invalid(
                field, "An incident has no maintenance window; only scheduled maintenances take scheduled_for and scheduled_until.")
        }
        let autoInProgress = patch.scheduledAutoInProgress ?? current.scheduledAutoInProgress
        let autoCompleted = patch.scheduledAutoCompleted ?? current.scheduledAutoCompleted
        let toMaintenance = patch.autoTransitionToMaintenanceState ?? current.autoTransitionToMaintenanceState
        let toOperational = patch.autoTransitionToOperationalState ?? current.autoTransitionToOperationalState
        if autoInProgress != current.scheduledAutoInProgress { fields.append("scheduled_auto_in_progress") }
        if autoCompleted != current.scheduledAutoCompleted { fields.append("scheduled_auto_completed") }
        if toMaintenance != current.autoTransitionToMaintenanceState {
            fields.append("auto_transition_to_maintenance_state")
        }
        if toOperational != current.autoTransitionToOperationalState {
            fields.append("auto_transition_to_operational_state")
        }
        let remindPrior = current.isMaintenance && (patch.scheduledRemindPrior ?? current.scheduledRemindPrior)
        if remindPrior != current.scheduledRemindPrior { fields.append("scheduled_remind_prior") }
        // A window moved is a new reminder: the one sent named the old start.
        let remindedAt = scheduledFor == current.scheduledFor ? current.scheduledRemindedAt : nil

        let metadata = patch.metadataJSON ?? current.metadataJSON
        if let given = patch.metadataJSON {
            try Rules.metadata(given, field: .incident(.metadata))
            if given != current.metadataJSON { fields.append("metadata") }
        }
        if let promise = patch.nextUpdateAt {
            guard appendsUpdate else {
                throw ValidationError.invalid(
                    .incident(.nextUpdateAt),
                    "A promise of the next update belongs to an update; give a body or a new status with it.")
            }
            try validatePromise(promise, now: now)
        }
        if case .set(let text) = patch.postmortemBody {
            try Rules.body(text, field: .incident(.postmortemBody))
        }
        let postmortemBody = patch.postmortemBody.applied(to: current.postmortemBody)
        if postmortemBody != current.postmortemBody { fields.append("postmortem_body") }

        guard !fields.isEmpty else { return false }

        // Write.
        let timestamp = Timestamp.format(now)
        let promise: Date?
        if appendsUpdate {
            promise = status.isClosed ? nil : patch.nextUpdateAt
        } else {
            promise = current.nextUpdateAt
        }
        if promise != current.nextUpdateAt, !fields.contains("next_update_at") { fields.append("next_update_at") }
        let monitoringAt = current.monitoringAt ?? (status == .monitoring ? now : nil)
        let resolvedAt = current.resolvedAt ?? (status.isClosed ? now : nil)
        let postmortemPublishedAt = current.postmortemPublishedAt ?? (status == .postmortem ? now : nil)
        try database.execute("""
            UPDATE incidents SET name = ?, name_translations = ?, status = ?, impact_override = ?,
                scheduled_for = ?, scheduled_until = ?, scheduled_auto_in_progress = ?, scheduled_auto_completed = ?,
                auto_transition_to_maintenance_state = ?, auto_transition_to_operational_state = ?,
                scheduled_remind_prior = ?, scheduled_reminded_at = ?,
                next_update_at = ?, postmortem_body = ?, postmortem_published_at = ?, metadata = ?,
                monitoring_at = ?, resolved_at = ?, updated_at = ?
            WHERE id = ?
            """,
            [patch.name ?? current.name, StoredJSON.encodeTranslations(nameTranslations), status.rawValue,
             impactOverride?.rawValue, scheduledFor.map(Timestamp.format), scheduledUntil.map(Timestamp.format),
             autoInProgress, autoCompleted, toMaintenance, toOperational, remindPrior,
             remindedAt.map(Timestamp.format), promise.map(Timestamp.format),
             postmortemBody, postmortemPublishedAt.map(Timestamp.format), metadata,
             monitoringAt.map(Timestamp.format), resolvedAt.map(Timestamp.format), timestamp, id])
        if affectedIDs != current.componentIDs {
            try setAffectedComponents(database, incidentID: id, componentIDs: affectedIDs)
        }

        let statusChanged = status != current.status
        let changes = componentChanges(
            explicit: patch.components, affected: affectedIDs, index: index,
            startingMaintenance: current.isMaintenance && statusChanged && status == .inProgress && toMaintenance,
            completingMaintenance: current.isMaintenance && statusChanged && status == .completed && toOperational)
        let affected = try applyComponentChanges(database, changes, index: index, now: now)
        var updateID: String?
        if appendsUpdate {
            updateID = try appendUpdate(
                database, incidentID: id, status: status, body: patch.body ?? "", bodyTranslations: bodyTranslations,
                deliverNotifications: patch.deliverNotifications ?? true, nextUpdateAt: promise, affected: affected,
                now: now)
        }
        try recomputeImpact(database, incidentID: id)
        try enqueueWebhook(database, event: .incident, subjectID: id, now: now)
        if let updateID, patch.deliverNotifications ?? true {
            try enqueueIncidentMail(database, incidentID: id, updateID: updateID, opensThread: false, now: now)
        }
        try audit(database, by: actor, action: "incident.update", targetType: "incident", targetID: id,
                  detail: AuditDetail(fields: fields.sorted(), status: status.rawValue, updateID: updateID,
                                      automatic: automatic ? true : nil),
                  now: now)
        return true
    }

    // MARK: Pieces

    /// Every key of a `components` map must be a component.
    static func validateComponentMap(_ map: [String: ComponentStatus], index: ComponentIndex) throws {
        for id in map.keys.sorted() where index.byID[id] == nil {
            throw ValidationError.invalid(.incident(.componentStatus, key: id), "There is no component with id '\(id)'.")
        }
    }

    /// A promise must lie ahead: one already past would show as overdue the moment it is made.
    static func validatePromise(_ promise: Date, now: Date) throws {
        guard promise > now else {
            throw ValidationError.invalid(
                .incident(.nextUpdateAt),
                "next_update_at (\(Timestamp.format(promise))) must be in the future; it is \(Timestamp.format(now)) now.")
        }
    }

    /// The statuses a write sets, in display order: the explicit ones, and, for a maintenance
    /// starting or completing with the auto-transition flags, its other affected components.
    /// Explicit statuses always win over automatic ones.
    static func componentChanges(explicit: [String: ComponentStatus], affected: [String], index: ComponentIndex,
                                 startingMaintenance: Bool, completingMaintenance: Bool)
        -> [(id: String, status: ComponentStatus)] {
        var statuses = explicit
        for id in affected where explicit[id] == nil {
            let currentStatus = index.byID[id]?.status
            if startingMaintenance, currentStatus != .underMaintenance {
                statuses[id] = .underMaintenance
            }
            // Only those the maintenance put down come back up: a component that failed for
            // another reason during the window stays as it is.
            if completingMaintenance, currentStatus == .underMaintenance {
                statuses[id] = .operational
            }
        }
        return index.sorted(statuses.keys).map { ($0, statuses[$0]!) }
    }

    /// Sets the statuses and returns what the update records: old and new status, and the
    /// name as shown at this moment.
    static func applyComponentChanges(_ database: Database, _ changes: [(id: String, status: ComponentStatus)],
                                      index: ComponentIndex, now: Date) throws -> [AffectedComponent] {
        try changes.map { change in
            let old = index.byID[change.id]?.status ?? .operational
            try setStatus(database, componentID: change.id, status: change.status, now: now)
            return AffectedComponent(componentID: change.id, name: index.displayName(of: change.id),
                                     oldStatus: old, newStatus: change.status)
        }
    }

    /// Replaces an incident's affected components with `componentIDs`, in that order.
    static func setAffectedComponents(_ database: Database, incidentID: String, componentIDs: [String]) throws {
        try database.execute("DELETE FROM incident_components WHERE incident_id = ?", [incidentID])
        for (offset, componentID) in componentIDs.enumerated() {
            try database.execute(
                "INSERT INTO incident_components (incident_id, component_id, position) VALUES (?, ?, ?)",
                [incidentID, componentID, offset + 1])
        }
    }

    /// Appends an update and the component changes it records; returns its id.
    static func appendUpdate(_ database: Database, incidentID: String, status: IncidentStatus, body: String,
                             bodyTranslations: [String: String], deliverNotifications: Bool, nextUpdateAt: Date?,
                             affected: [AffectedComponent], now: Date) throws -> String {
        let id = Identifier.make()
        let timestamp = Timestamp.format(now)
        try database.execute("""
            INSERT INTO incident_updates (id, incident_id, status, body, body_translations, display_at,
                deliver_notifications, next_update_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [id, incidentID, status.rawValue, body, StoredJSON.encodeTranslations(bodyTranslations), timestamp,
             deliverNotifications, nextUpdateAt.map(Timestamp.format), timestamp, timestamp])
        for (offset, component) in affected.enumerated() {
            try database.execute("""
                INSERT INTO incident_update_components (update_id, component_id, name, old_status, new_status, position)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [id, component.componentID, component.name, component.oldStatus.rawValue,
                 component.newStatus.rawValue, offset + 1])
        }
        return id
    }

    /// Sets the incident's impact with `Rollup.incidentImpact`: the override when there is one,
    /// `maintenance` for a maintenance, else derived from the worst status its affected
    /// components have now or were set to by any of its updates.
    ///
    /// The worst status reached, not only the current one: resolving usually sets the
    /// components back to operational, and a resolved outage must still read as the outage it
    /// was (Statuspage's history keeps `major`/`critical` on resolved incidents whose last
    /// update set every component operational). Lowering an impact set too high is what
    /// `impact_override` is for.
    static func recomputeImpact(_ database: Database, incidentID: String) throws {
        guard let row = try database.queryOne(
            "SELECT is_maintenance, impact_override FROM incidents WHERE id = ?", [incidentID]) else { return }
        let statuses = try database.query("""
            SELECT status FROM components
            WHERE id IN (SELECT component_id FROM incident_components WHERE incident_id = ?1)
            UNION ALL
            SELECT c.new_status FROM incident_update_components c JOIN incident_updates u ON u.id = c.update_id
            WHERE u.incident_id = ?1
            """, [incidentID]
        ).map { try RowReader($0).value(ComponentStatus.self, "status") }
        let impact = Rollup.incidentImpact(
            isMaintenance: try RowReader(row).bool("is_maintenance"), affected: statuses,
            override: try RowReader(row).optionalValue(Impact.self, "impact_override"))
        try database.execute("UPDATE incidents SET impact = ? WHERE id = ?", [impact.rawValue, incidentID])
    }
}
