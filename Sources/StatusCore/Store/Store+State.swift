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
    ///   last change before that window, so the status at the window's start is known;
    /// - every check with its verdict at `now` and 91 days of results.
    ///
    /// An open incident without a promised update gets the page's own (`Silence`).
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
            let incidents = Silence.applyPagePromise(to: try cachedIncidents(database, rows: rows),
                                                     maxSilence: page.maxSilence)

            let statusChanges = try cachedStatusChanges(database, components: components, now: now)
            let zone = TimeZone(identifier: page.timeZone) ?? TimeZone(identifier: "UTC")!
            let checks = try Self.loadCheckStatuses(database, componentOrder: components.map(\.id), now: now, zone: zone)
            var failureBeforeStatement: [String: Date] = [:]
            for incident in incidents where !incident.isMaintenance {
                let watching = checks.filter { incident.componentIDs.contains($0.check.componentID) }.map(\.check.id)
                guard !watching.isEmpty else { continue }
                let statement = incident.updates.map(\.createdAt).min() ?? incident.createdAt
                if let since = try Self.failingSpell(database, checkIDs: watching, at: statement) {
                    failureBeforeStatement[incident.id] = since
                }
            }
            return StatusState(page: page, groups: groups, components: components, incidents: incidents,
                               statusChanges: statusChanges, checks: checks,
                               checkFailureBeforeStatement: failureBeforeStatement)
        }
    }

    /// Per component, its status changes since the last one before the uptime window's start,
    /// oldest first: read again only when a change was recorded (the history only grows:
    /// its newest id moves), the components changed, or a minute passed. Within that
    /// minute the window's start moves a little, and the list read at its beginning may hold
    /// one change more than needed, from before the start; the uptime computation clips
    /// to the window, so the bars are the same. At 150 components this saves 150 queries, a
    /// few milliseconds, on every write. Runs inside `read`, under the store's lock.
    private func cachedStatusChanges(_ database: Database, components: [Component],
                                     now: Date) throws -> [String: [StatusChange]] {
        let newest = try database.queryOne("SELECT coalesce(max(id), 0) AS newest FROM component_status_changes")?
            .int("newest") ?? 0
        let key = StatusChangeKey(newestChange: newest, componentIDs: components.map(\.id),
                                  minute: Int((now.timeIntervalSince1970 / 60).rounded(.down)))
        if let cached = statusChangeCache, cached.key == key { return cached.changes }
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
        statusChangeCache = (key, statusChanges)
        return statusChanges
    }

    /// What a cached status history was read for.
    struct StatusChangeKey: Equatable {
        var newestChange: Int
        var componentIDs: [String]
        var minute: Int
    }

    /// `loadIncidents` for the rows whose incident changed since the last call, the cache for
    /// the rest. An incident's version is its `updated_at` with the count and newest
    /// `updated_at` of its updates (editing an update does not touch the incident row), and
    /// the number of its affected components (deleting a component removes it from incidents
    /// without touching them). Runs inside `read`, under the store's lock.
    private func cachedIncidents(_ database: Database, rows: [Row]) throws -> [Incident] {
        let readers = RowReader.readers(rows)
        let ids = try readers.map { try $0.string("id") }
        var versions: [String: String] = [:]
        for row in try RowReader.readers(database.query("""
            SELECT i.value AS id,
                   (SELECT count(*) || '|' || coalesce(max(updated_at), '') FROM incident_updates WHERE incident_id = i.value)
                   || '|' || (SELECT count(*) FROM incident_components WHERE incident_id = i.value) AS version
            FROM json_each(?) AS i
            """, [StoredJSON.array(ids)])) {
            versions[try row.string("id")] = try row.string("version")
        }
        var current: [String: (version: String, incident: Incident)] = [:]
        var stale: [Row] = []
        for (index, reader) in readers.enumerated() {
            let id = ids[index]
            let version = try reader.string("updated_at") + "|" + (versions[id] ?? "")
            if let cached = incidentCache[id], cached.version == version {
                current[id] = cached
            } else {
                stale.append(rows[index])
            }
        }
        for incident in try Self.loadIncidents(database, rows: stale) {
            let index = ids.firstIndex(of: incident.id)!
            current[incident.id] = (try readers[index].string("updated_at") + "|" + (versions[incident.id] ?? ""), incident)
        }
        incidentCache = current
        return ids.compactMap { current[$0]?.incident }
    }
}
