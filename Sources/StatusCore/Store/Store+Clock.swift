import Foundation
import SQLite

// Changes made by time alone. The clock is a parameter: the server passes the wall clock,
// tests drive it.

extension Store {
    /// The automatic texts of maintenance updates, by language.
    static let maintenanceStartedText = [
        "en": "Scheduled maintenance is now in progress.",
        "id": "Pemeliharaan terjadwal sedang berlangsung.",
    ]
    static let maintenanceCompletedText = [
        "en": "Scheduled maintenance has been completed.",
        "id": "Pemeliharaan terjadwal telah selesai.",
    ]

    /// Applies what is due at `now`:
    /// - maintenances with `scheduledAutoInProgress` whose `scheduledFor` has come move from
    ///   scheduled to in_progress;
    /// - maintenances with `scheduledAutoCompleted` whose `scheduledUntil` has come (scheduled,
    ///   in progress or verifying) move to completed.
    ///
    /// Each move appends an update with an automatic text in the page's default language (the
    /// other language as its translation) and applies the maintenance's auto-transition flags
    /// to its components, exactly as a staff PATCH of the status would; the audit row's actor
    /// is `Actor.system`. A window that both started and ended while the server was down gets
    /// both updates, in order. One transaction for everything.
    ///
    /// - Returns: Whether anything changed (so the caller knows to rebuild its snapshot).
    @discardableResult
    public func applyTimeDrivenChanges(now: Date) throws -> Bool {
        try write { database in
            let language = try Self.loadPage(database).defaultLanguage
            let timestamp = Timestamp.format(now)
            var changed = false

            let starting = try database.query("""
                SELECT id FROM incidents
                WHERE is_maintenance = 1 AND status = 'scheduled' AND scheduled_auto_in_progress = 1
                    AND scheduled_for <= ?
                ORDER BY scheduled_for, rowid
                """, [timestamp]).map { try $0.string("id") }
            for id in starting {
                let patch = Self.automaticPatch(.inProgress, texts: Self.maintenanceStartedText, language: language)
                changed = try Self.applyIncidentPatch(database, id: id, patch, by: .system, now: now, automatic: true)
                    || changed
            }

            let completing = try database.query("""
                SELECT id FROM incidents
                WHERE is_maintenance = 1 AND status IN ('scheduled', 'in_progress', 'verifying')
                    AND scheduled_auto_completed = 1 AND scheduled_until <= ?
                ORDER BY scheduled_until, rowid
                """, [timestamp]).map { try $0.string("id") }
            for id in completing {
                let patch = Self.automaticPatch(.completed, texts: Self.maintenanceCompletedText, language: language)
                changed = try Self.applyIncidentPatch(database, id: id, patch, by: .system, now: now, automatic: true)
                    || changed
            }
            changed = try applyCheckDeadlines(database, now: now) || changed
            try Self.queueMaintenanceReminders(database, now: now)
            return changed
        }
    }

    /// The earliest instant after `now` at which the public content changes by time alone, or
    /// nil when nothing is pending:
    /// - a pending automatic start (`scheduledFor`) or end (`scheduledUntil`) of a maintenance;
    /// - an open incident's promised update becoming overdue. `Incident.isUpdateOverdue(at:)`
    ///   holds strictly after `nextUpdateAt`, so that instant is `nextUpdateAt` + 1 ms;
    /// - a heartbeat's deadline, or a location that reports on a check falling silent.
    ///
    /// Call `applyTimeDrivenChanges(now:)` first: changes already due at `now` are not
    /// reported, as they are not in the future.
    public func nextTimeDrivenChange(after now: Date) throws -> Date? {
        try read { database in
            let timestamp = Timestamp.format(now)
            var candidates: [Date] = []
            if let row = try database.queryOne("""
                SELECT min(at) AS at FROM (
                    SELECT scheduled_for AS at FROM incidents
                    WHERE is_maintenance = 1 AND status = 'scheduled' AND scheduled_auto_in_progress = 1
                        AND scheduled_for > ?1
                    UNION ALL
                    SELECT scheduled_until FROM incidents
                    WHERE is_maintenance = 1 AND status IN ('scheduled', 'in_progress', 'verifying')
                        AND scheduled_auto_completed = 1 AND scheduled_until > ?1)
                """, [timestamp]), let at = try RowReader(row).optionalDate("at") {
                candidates.append(at)
            }
            if let row = try database.queryOne("""
                SELECT min(next_update_at) AS at FROM incidents
                WHERE status NOT IN ('resolved', 'postmortem', 'completed') AND next_update_at >= ?
                """, [timestamp]), let promise = try RowReader(row).optionalDate("at") {
                candidates.append(promise.addingTimeInterval(0.001))
            }
            if let deadline = try nextCheckDeadline(database, after: now) { candidates.append(deadline) }
            if let reminder = try Self.nextReminder(database, after: now) { candidates.append(reminder) }
            return candidates.filter { $0 > now }.min()
        }
    }

    private static func automaticPatch(_ status: IncidentStatus, texts: [String: String],
                                       language: String) -> IncidentPatch {
        let primary = texts[language] ?? texts["en"] ?? ""
        let translations = texts.filter { $0.key != language }
        return IncidentPatch(status: status, body: primary, bodyTranslations: translations, deliverNotifications: true)
    }
}
