import Foundation
import SQLite

extension Store {
    /// How many of the most recent incidents, and separately of the most recent maintenances,
    /// `state(now:)` reads: v2's `incidents.json` and `scheduled-maintenances.json` list 50.
    public static let recentIncidentCount = 50

    /// The days of status history `state(now:)` reads: 90 bars of uptime plus the day that is
    /// partly outside the window in the page's time zone.
    public static let uptimeWindowDays = 91

    /// Everything the public representations are built from, read as one consistent view
    /// (one read transaction):
    /// - the page, the groups (with members) and the components in display order;
    /// - the 50 most recent incidents, the 50 most recent maintenances and every open one,
    ///   each once, newest created first, with their updates;
    /// - per component, its status changes of the last 91 days, oldest first, preceded by the
    ///   last change before that window, so the status at the window's start is known.
    ///
    /// Called after every write and at every time-driven change, so it is kept to a handful of
    /// indexed queries (see the timing test).
    public func state(now: Date) throws -> StatusState {
        try read { database in
            let page = try Self.loadPage(database)
            let groups = try Self.loadGroups(database)
            let components = try Self.loadComponents(database)
            let rows = try database.query("""
                SELECT * FROM incidents WHERE rowid IN (
                    SELECT rowid FROM (SELECT rowid FROM incidents WHERE is_maintenance = 0
                                       ORDER BY created_at DESC, rowid DESC LIMIT ?1)
                    UNION
                    SELECT rowid FROM (SELECT rowid FROM incidents WHERE is_maintenance = 1
                                       ORDER BY created_at DESC, rowid DESC LIMIT ?1)
                    UNION
                    SELECT rowid FROM incidents WHERE status NOT IN ('resolved', 'postmortem', 'completed'))
                ORDER BY created_at DESC, rowid DESC
                """, [Self.recentIncidentCount])
            let incidents = try Self.loadIncidents(database, rows: rows)

            let windowStart = Timestamp.format(now.addingTimeInterval(-Double(Self.uptimeWindowDays) * 86_400))
            var statusChanges: [String: [StatusChange]] = [:]
            for component in components {
                statusChanges[component.id] = try RowReader.readers(database.query("""
                    SELECT status, changed_at FROM component_status_changes
                    WHERE component_id = ?1 AND changed_at >= coalesce(
                        (SELECT max(changed_at) FROM component_status_changes
                         WHERE component_id = ?1 AND changed_at < ?2), ?2)
                    ORDER BY changed_at, id
                    """, [component.id, windowStart]
                )).map { row in
                    StatusChange(status: try row.value(ComponentStatus.self, "status"), at: try row.date("changed_at"))
                }
            }
            return StatusState(page: page, groups: groups, components: components, incidents: incidents,
                               statusChanges: statusChanges)
        }
    }
}
