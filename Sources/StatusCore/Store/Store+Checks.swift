import Foundation
import SQLite

// Automatic checks: their definitions, the tally of each location's results and the verdict
// across locations. A result changes the tally at once; the verdict (`checks.state`) is
// written only when it changes, with a row in `check_state_changes` and a `check` webhook
// event for the subscribers that asked for it, in the same transaction. What a location saw
// (`detail`) stays here and in the management API.

/// One location's view of a check, as the management API shows it.
public struct CheckLocationReport: Sendable, Equatable {
    public var location: String
    public var state: CheckState
    public var since: Date?
    public var lastReportAt: Date
    public var latencyMilliseconds: Int?
    /// What the last probe saw (`HTTP 503`, `connection refused`): for staff only.
    public var detail: String?
}

/// One result to record: which check, from where, what it found.
public struct CheckResult: Sendable, Equatable {
    public var checkID: String
    public var location: String
    public var report: ProbeReport

    public init(checkID: String, location: String, report: ProbeReport) {
        self.checkID = checkID
        self.location = location
        self.report = report
    }
}

extension Store {
    /// The location name of the server's own prober.
    public static let localLocation = "local"

    // MARK: Definitions

    /// Creates a check; returns it, and for a heartbeat the secret of its URL (48 hex digits),
    /// which is stored only as its hash and not shown again.
    ///
    /// - Throws: `ValidationError` naming the field (`.check(.name)`, `.check(.component)`,
    ///   `.check(.url)`, `.check(.interval)`, …); nothing is created then.
    public func createCheck(_ draft: CheckDraft, by actor: Actor, now: Date) throws -> (check: Check, secret: String?) {
        let id = Identifier.make()
        let secret = draft.kind == .heartbeat ? Self.randomHex(bytes: 24) : nil
        var check = Check(id: id, name: draft.name, componentID: draft.componentID, kind: draft.kind, url: draft.url,
                          method: draft.method, expectedStatuses: draft.expectedStatuses,
                          bodyContains: draft.bodyContains, followRedirects: draft.followRedirects,
                          interval: draft.interval ?? 60, timeout: 0, grace: draft.grace,
                          thresholds: CheckThresholds(failures: draft.failureThreshold ?? 3,
                                                      successes: draft.successThreshold ?? 2),
                          createdAt: now, updatedAt: now)
        // The default timeout never outlasts the interval.
        check.timeout = draft.timeout ?? min(10, check.interval)
        try write { database in
            try Self.validateCheck(check, database: database)
            try database.execute("""
                INSERT INTO checks (id, name, component_id, type, url, method, expected_statuses, body_contains,
                    follow_redirects, interval, timeout, grace, failure_threshold, success_threshold,
                    heartbeat_secret_hash, state, state_since, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unknown', ?, ?, ?)
                """,
                [id, check.name, check.componentID, check.kind.rawValue, check.url, check.method.rawValue,
                 StoredJSON.encode(check.expectedStatuses), check.bodyContains, check.followRedirects,
                 check.interval, check.timeout, check.grace, check.thresholds.failures, check.thresholds.successes,
                 secret.map(Self.sha256Hex), Timestamp.format(now), Timestamp.format(now), Timestamp.format(now)])
            try Self.audit(database, by: actor, action: "check.create", targetType: "check", targetID: id,
                           detail: AuditDetail(name: check.name), now: now)
        }
        return (try self.check(id: id), secret)
    }

    /// Every check, oldest first.
    public func checks() throws -> [Check] {
        try withReader { database in try Self.loadChecks(database) }
    }

    /// - Throws: `ValidationError.notFound` (`.check(.identity)`).
    public func check(id: String) throws -> Check {
        try withReader { database in try Self.loadCheck(database, id: id) }
    }

    /// Changes a check and returns it.
    ///
    /// - Throws: `ValidationError` naming the field, or `.notFound`; nothing changes then.
    public func updateCheck(id: String, _ patch: CheckPatch, by actor: Actor, now: Date) throws -> Check {
        try write { database in
            var check = try Self.loadCheck(database, id: id)
            let before = check
            if let name = patch.name { check.name = name }
            if let componentID = patch.componentID { check.componentID = componentID }
            if let url = patch.url {
                guard check.kind != .heartbeat else {
                    throw ValidationError.invalid(.check(.url), "A heartbeat check has no url: its job calls it.")
                }
                check.url = url
            }
            if let method = patch.method { check.method = method }
            if let statuses = patch.expectedStatuses { check.expectedStatuses = statuses }
            check.bodyContains = patch.bodyContains.applied(to: check.bodyContains)
            if let follow = patch.followRedirects { check.followRedirects = follow }
            if let interval = patch.interval { check.interval = interval }
            if let timeout = patch.timeout { check.timeout = timeout }
            check.grace = patch.grace.applied(to: check.grace)
            if let failures = patch.failureThreshold { check.thresholds.failures = failures }
            if let successes = patch.successThreshold { check.thresholds.successes = successes }
            guard check != before else { return check }
            try Self.validateCheck(check, database: database)
            check.updatedAt = now
            try database.execute("""
                UPDATE checks SET name = ?, component_id = ?, url = ?, method = ?, expected_statuses = ?,
                    body_contains = ?, follow_redirects = ?, interval = ?, timeout = ?, grace = ?,
                    failure_threshold = ?, success_threshold = ?, updated_at = ?
                WHERE id = ?
                """,
                [check.name, check.componentID, check.url, check.method.rawValue,
                 StoredJSON.encode(check.expectedStatuses), check.bodyContains, check.followRedirects,
                 check.interval, check.timeout, check.grace, check.thresholds.failures,
                 check.thresholds.successes, Timestamp.format(now), id])
            try Self.audit(database, by: actor, action: "check.update", targetType: "check", targetID: id,
                           detail: AuditDetail(name: check.name), now: now)
            return check
        }
    }

    /// Removes a check, its tallies and its history; returns it as it was.
    public func deleteCheck(id: String, by actor: Actor, now: Date) throws -> Check {
        try write { database in
            let check = try Self.loadCheck(database, id: id)
            try database.execute("DELETE FROM checks WHERE id = ?", [id])
            try Self.audit(database, by: actor, action: "check.delete", targetType: "check", targetID: id,
                           detail: AuditDetail(name: check.name), now: now)
            return check
        }
    }

    /// Every check with its verdict at `now`, oldest first (the management API's view).
    public func checkStatuses(now: Date) throws -> [CheckStatus] {
        try withReader { database in
            let zone = try Self.pageTimeZone(database)
            return try Self.loadCheckStatuses(database, componentOrder: [], now: now, zone: zone)
                .sorted { ($0.check.createdAt, $0.check.id) < ($1.check.createdAt, $1.check.id) }
        }
    }

    /// One check with its verdict at `now`.
    ///
    /// - Throws: `ValidationError.notFound` (`.check(.identity)`).
    public func checkStatus(id: String, now: Date) throws -> CheckStatus {
        let statuses = try withReader { database in
            try Self.loadCheckStatuses(database, componentOrder: [], now: now, zone: try Self.pageTimeZone(database), only: id)
        }
        guard let status = statuses.first else {
            throw ValidationError.notFound(.check(.identity), "No check has the id '\(id)'.")
        }
        return status
    }

    /// Each location's view of every check (by check id, then location), with what it saw
    /// last (staff only).
    public func checkLocationReports() throws -> [String: [CheckLocationReport]] {
        try withReader { database in
            var reports: [String: [CheckLocationReport]] = [:]
            for row in RowReader.readers(try database.query(
                "SELECT * FROM check_locations ORDER BY check_id, location")) {
                reports[try row.string("check_id"), default: []].append(try Self.locationReport(from: row))
            }
            return reports
        }
    }

    private static func locationReport(from row: RowReader) throws -> CheckLocationReport {
        CheckLocationReport(
            location: try row.string("location"), state: try row.value(CheckState.self, "state"),
            since: try row.optionalDate("since"), lastReportAt: try row.date("last_report_at"),
            latencyMilliseconds: try row.optionalInt("latency_ms"), detail: try row.optionalString("detail"))
    }

    /// Each location's view of a check, by name, with what it saw last (staff only).
    public func checkLocations(id: String) throws -> [CheckLocationReport] {
        try withReader { database in
            _ = try Self.loadCheck(database, id: id)
            return try RowReader.readers(database.query(
                "SELECT * FROM check_locations WHERE check_id = ? ORDER BY location", [id])).map(Self.locationReport(from:))
        }
    }

    // MARK: Results

    /// Records results, in one transaction; returns the ids of the checks whose verdict
    /// changed (the snapshot needs rebuilding only then). Results for checks that no longer
    /// exist are skipped: a prober may still hold a deleted check.
    @discardableResult
    public func recordCheckResults(_ results: [CheckResult], now: Date) throws -> Set<String> {
        guard !results.isEmpty else { return [] }
        return try write { database in
            let zone = try Self.pageTimeZone(database)
            var changed: Set<String> = []
            var checks: [String: Check] = [:]
            for result in results {
                guard let check = try checks[result.checkID] ?? Self.loadCheckIfPresent(database, id: result.checkID)
                else { continue }
                checks[check.id] = check
                try Self.record(database, check: check, location: result.location, report: result.report, zone: zone)
            }
            for check in checks.values where try Self.settleVerdict(database, check: check, now: now) {
                changed.insert(check.id)
            }
            return changed
        }
    }

    /// A beat as recorded: the heartbeat check, its verdict after the beat, and whether the
    /// verdict changed.
    public struct Beat: Sendable {
        public var checkID: String
        public var state: CheckState
        public var changed: Bool
    }

    /// Records a heartbeat's beat, found by its secret.
    ///
    /// - Throws: `ValidationError.notFound` (`.check(.heartbeatSecret)`) when no heartbeat
    ///   check has that secret; nothing is recorded then.
    @discardableResult
    public func recordBeat(secret: String, now: Date) throws -> Beat {
        try write { database in
            let hash = Self.sha256Hex(secret)
            guard let row = try database.queryOne(
                "SELECT id FROM checks WHERE type = 'heartbeat' AND heartbeat_secret_hash = ?", [hash]) else {
                throw ValidationError.notFound(.check(.heartbeatSecret), "No heartbeat check has this URL.")
            }
            let check = try Self.loadCheck(database, id: try RowReader(row).string("id"))
            try database.execute("UPDATE checks SET last_beat_at = ? WHERE id = ?", [Timestamp.format(now), check.id])
            try Self.record(database, check: check, location: Self.localLocation,
                            report: ProbeReport(outcome: .success, at: now, detail: "beat"),
                            zone: try Self.pageTimeZone(database))
            let changed = try Self.settleVerdict(database, check: check, now: now)
            let state = try database.queryOne("SELECT state FROM checks WHERE id = ?", [check.id])
                .map { try RowReader($0).value(CheckState.self, "state") } ?? .unknown
            return Beat(checkID: check.id, state: state, changed: changed)
        }
    }

    /// The time-driven part of checks, run by `applyTimeDrivenChanges`: a heartbeat whose beat
    /// is overdue records a failure at its deadline, and every verdict is settled at `now`
    /// (a location that stopped reporting is left out). Returns whether any verdict changed.
    func applyCheckDeadlines(_ database: Database, now: Date) throws -> Bool {
        let checks = try Self.loadChecks(database)
        guard !checks.isEmpty else { return false }
        let zone = try Self.pageTimeZone(database)
        let tallies = try Self.loadAllTallies(database)
        var changed = false
        for check in checks {
            var known = tallies[check.id] ?? [:]
            if check.kind == .heartbeat {
                // Once failing, a heartbeat stays so until its next beat: one failure per spell.
                let deadline = (check.lastBeatAt ?? check.createdAt).addingTimeInterval(check.heartbeatDeadline)
                if deadline <= now, known[Self.localLocation]?.state != .failing {
                    try Self.record(database, check: check, location: Self.localLocation,
                                    report: ProbeReport(outcome: .failure, at: deadline, detail: "no beat"), zone: zone)
                    known = try Self.loadTallies(database, checkID: check.id)
                }
            }
            changed = try Self.settleVerdict(database, check: check, now: now, tallies: known) || changed
        }
        return changed
    }

    /// The next instant after `now` at which a check's verdict can change by time alone: a
    /// heartbeat's deadline, or a reporting location falling silent when that changes the
    /// verdict (with no new report meanwhile; a new report is a write and reschedules).
    func nextCheckDeadline(_ database: Database, after now: Date) throws -> Date? {
        var candidates: [Date] = []
        let all = try Self.loadAllTallies(database)
        for check in try Self.loadChecks(database) {
            let tallies = all[check.id] ?? [:]
            if check.kind == .heartbeat {
                let deadline = (check.lastBeatAt ?? check.createdAt).addingTimeInterval(check.heartbeatDeadline)
                if deadline > now { candidates.append(deadline) }
                continue
            }
            // Only a silence that changes the verdict matters: while the server's own prober
            // reports, most never do, and each would cost a rebuild.
            let window = Double(check.interval) * CheckVerdict.staleIntervals
            let interval = TimeInterval(check.interval)
            let current = CheckVerdict(tallies: tallies, interval: interval, now: now).state
            let instants = tallies.values.compactMap { $0.lastReportAt?.addingTimeInterval(window + 0.001) }
                .filter { $0 > now }.sorted()
            if let first = instants.first(where: {
                CheckVerdict(tallies: tallies, interval: interval, now: $0).state != current
            }) {
                candidates.append(first)
            }
        }
        return candidates.min()
    }

    /// The checks with their verdicts and 91 days of results, for `state(now:)`.
    ///
    /// - Parameter id: only this check (one indexed lookup per table, for the management API's
    ///   answer to each result); nil for all.
    static func loadCheckStatuses(_ database: Database, componentOrder: [String], now: Date, zone: TimeZone,
                                  only id: String? = nil) throws -> [CheckStatus] {
        let position = Dictionary(componentOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let checks = try (id.map { try loadCheckIfPresent(database, id: $0).map { [$0] } ?? [] } ?? loadChecks(database))
            .sorted {
                (position[$0.componentID] ?? .max, $0.name, $0.id) < (position[$1.componentID] ?? .max, $1.name, $1.id)
            }
        guard !checks.isEmpty else { return [] }
        // One check: the same queries narrowed by its id (the primary keys lead with it).
        var tallies: [String: [String: (LocationTally, Int?)]] = [:]
        for row in RowReader.readers(try database.query(
            "SELECT * FROM check_locations" + (id == nil ? "" : " WHERE check_id = ?1") + " ORDER BY check_id, location",
            id.map { [$0] } ?? [])) {
            tallies[try row.string("check_id"), default: [:]][try row.string("location")] =
                (try tally(from: row), try row.optionalInt("latency_ms"))
        }
        let firstDay = localDay(now.addingTimeInterval(-Double(uptimeWindowDays) * 86_400), zone: zone)
        var days: [String: [CheckDay]] = [:]
        for row in RowReader.readers(try database.query(
            "SELECT * FROM check_days WHERE day >= ?1" + (id == nil ? "" : " AND check_id = ?2") + " ORDER BY check_id, day",
            StatementArguments([firstDay] + (id.map { [$0] } ?? [])))) {
            days[try row.string("check_id"), default: []].append(
                CheckDay(day: try row.string("day"), successes: try row.int("successes"), failures: try row.int("failures")))
        }
        var stored: [String: (CheckState, Date?)] = [:]
        for row in RowReader.readers(try database.query(
            "SELECT id, state, state_since FROM checks" + (id == nil ? "" : " WHERE id = ?1"), id.map { [$0] } ?? [])) {
            stored[try row.string("id")] = (try row.value(CheckState.self, "state"), try row.optionalDate("state_since"))
        }
        return checks.map { check in
            let located = tallies[check.id] ?? [:]
            let verdict = CheckVerdict(tallies: located.mapValues(\.0), interval: staleInterval(check), now: now)
            let newest = located.values.max { ($0.0.lastReportAt ?? .distantPast) < ($1.0.lastReportAt ?? .distantPast) }
            // The stored verdict dates the state; the verdict at `now` may already differ
            // (a location fell silent since the last write) and then dates from its own facts.
            let (storedState, storedSince) = stored[check.id] ?? (.unknown, nil)
            let since = verdict.state == .failing ? verdict.failingSince
                : (verdict.state == storedState ? storedSince : now)
            return CheckStatus(check: check, state: verdict.state, since: since,
                               lastCheckedAt: newest?.0.lastReportAt, latencyMilliseconds: newest?.1,
                               locations: verdict.locations, voters: verdict.voters,
                               failingVoters: verdict.failingVoters, days: days[check.id] ?? [])
        }
    }

    /// The earliest start of a failing spell of `checkIDs` under way at `instant`, if any:
    /// when the machines first saw what staff later announced.
    static func failingSpell(_ database: Database, checkIDs: [String], at instant: Date) throws -> Date? {
        var earliest: Date?
        for id in checkIDs {
            let rows = RowReader.readers(try database.query("""
                SELECT state, at FROM check_state_changes WHERE check_id = ? AND at <= ? ORDER BY at DESC, id DESC
                LIMIT 1
                """, [id, Timestamp.format(instant)]))
            guard let row = rows.first, try row.value(CheckState.self, "state") == .failing else { continue }
            let at = try row.date("at")
            earliest = min(earliest ?? at, at)
        }
        return earliest
    }

    // MARK: Inside writes

    /// Applies one report to its location's tally, and counts it in the day's results.
    private static func record(_ database: Database, check: Check, location: String, report: ProbeReport,
                               zone: TimeZone) throws {
        var tally = try loadTallies(database, checkID: check.id)[location] ?? LocationTally()
        // A report older than the location's last is late; it must not move the tally back.
        if let last = tally.lastReportAt, report.at < last { return }
        let thresholds = check.kind == .heartbeat ? CheckThresholds(failures: 1, successes: 1) : check.thresholds
        tally.record(report.outcome, at: report.at, thresholds: thresholds)
        try database.execute("""
            INSERT INTO check_locations (check_id, location, state, since, consecutive_successes,
                consecutive_failures, run_started_at, last_report_at, latency_ms, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (check_id, location) DO UPDATE SET state = excluded.state, since = excluded.since,
                consecutive_successes = excluded.consecutive_successes,
                consecutive_failures = excluded.consecutive_failures, run_started_at = excluded.run_started_at,
                last_report_at = excluded.last_report_at, latency_ms = excluded.latency_ms, detail = excluded.detail
            """,
            [check.id, location, tally.state.rawValue, tally.since.map(Timestamp.format), tally.consecutiveSuccesses,
             tally.consecutiveFailures, tally.runStartedAt.map(Timestamp.format), Timestamp.format(report.at),
             report.latencyMilliseconds, report.detail.map { String($0.prefix(500)) }])
        guard report.outcome != .inconclusive else { return }
        let success = report.outcome == .success
        try database.execute("""
            INSERT INTO check_days (check_id, day, successes, failures) VALUES (?, ?, ?, ?)
            ON CONFLICT (check_id, day) DO UPDATE SET successes = successes + excluded.successes,
                failures = failures + excluded.failures
            """, [check.id, localDay(report.at, zone: zone), success ? 1 : 0, success ? 0 : 1])
    }

    /// Computes the verdict at `now` and, when it differs from the stored one, stores it with
    /// a state change and queues a `check` webhook event. Returns whether it changed.
    ///
    /// - Parameter tallies: the check's tallies when the caller has just read them.
    private static func settleVerdict(_ database: Database, check: Check, now: Date,
                                      tallies known: [String: LocationTally]? = nil) throws -> Bool {
        let tallies = try known ?? loadTallies(database, checkID: check.id)
        let verdict = CheckVerdict(tallies: tallies, interval: staleInterval(check), now: now)
        guard let row = try database.queryOne("SELECT state FROM checks WHERE id = ?", [check.id]) else { return false }
        let previous = try RowReader(row).value(CheckState.self, "state")
        guard previous != verdict.state else { return false }
        let since = verdict.failingSince ?? now
        try database.execute("UPDATE checks SET state = ?, state_since = ? WHERE id = ?",
                             [verdict.state.rawValue, Timestamp.format(since), check.id])
        try database.execute("INSERT INTO check_state_changes (check_id, state, at) VALUES (?, ?, ?)",
                             [check.id, verdict.state.rawValue, Timestamp.format(since)])
        try enqueueWebhook(database, event: .check, subjectID: check.id, oldStatus: previous.rawValue,
                           newStatus: verdict.state.rawValue,
                           detail: CheckEvent(check: check, verdict: verdict, since: since).detail, now: now)
        return true
    }

    /// A heartbeat's one location never falls silent: its missing beats are its failures.
    private static func staleInterval(_ check: Check) -> TimeInterval {
        check.kind == .heartbeat ? .infinity : TimeInterval(check.interval)
    }

    /// Every location's tally of every check, by check id, in one query: the clock path and
    /// each snapshot build look at all of them.
    static func loadAllTallies(_ database: Database) throws -> [String: [String: LocationTally]] {
        var tallies: [String: [String: LocationTally]] = [:]
        for row in RowReader.readers(try database.query("SELECT * FROM check_locations")) {
            tallies[try row.string("check_id"), default: [:]][try row.string("location")] = try tally(from: row)
        }
        return tallies
    }

    static func loadTallies(_ database: Database, checkID: String) throws -> [String: LocationTally] {
        var tallies: [String: LocationTally] = [:]
        for row in RowReader.readers(try database.query("SELECT * FROM check_locations WHERE check_id = ?", [checkID])) {
            tallies[try row.string("location")] = try tally(from: row)
        }
        return tallies
    }

    private static func tally(from row: RowReader) throws -> LocationTally {
        LocationTally(state: try row.value(CheckState.self, "state"), since: try row.optionalDate("since"),
                      consecutiveSuccesses: try row.int("consecutive_successes"),
                      consecutiveFailures: try row.int("consecutive_failures"),
                      runStartedAt: try row.optionalDate("run_started_at"),
                      lastReportAt: try row.optionalDate("last_report_at"))
    }

    // MARK: Reading and validating

    static func loadChecks(_ database: Database) throws -> [Check] {
        try RowReader.readers(database.query("SELECT * FROM checks ORDER BY created_at, id")).map(check(from:))
    }

    static func loadCheck(_ database: Database, id: String) throws -> Check {
        guard let check = try loadCheckIfPresent(database, id: id) else {
            throw ValidationError.notFound(.check(.identity), "No check has the id '\(id)'.")
        }
        return check
    }

    private static func loadCheckIfPresent(_ database: Database, id: String) throws -> Check? {
        try database.queryOne("SELECT * FROM checks WHERE id = ?", [id]).map { try check(from: RowReader($0)) }
    }

    private static func check(from row: RowReader) throws -> Check {
        let statuses = (try? JSONDecoder().decode([Int].self, from: Data(try row.string("expected_statuses").utf8))) ?? []
        return Check(
            id: try row.string("id"), name: try row.string("name"), componentID: try row.string("component_id"),
            kind: try row.value(Check.Kind.self, "type"), url: try row.optionalString("url"),
            method: try row.value(Check.Method.self, "method"), expectedStatuses: statuses,
            bodyContains: try row.optionalString("body_contains"), followRedirects: try row.bool("follow_redirects"),
            interval: try row.int("interval"), timeout: try row.int("timeout"), grace: try row.optionalInt("grace"),
            thresholds: CheckThresholds(failures: try row.int("failure_threshold"),
                                        successes: try row.int("success_threshold")),
            lastBeatAt: try row.optionalDate("last_beat_at"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    /// The rules of a check's fields; the component must exist.
    static func validateCheck(_ check: Check, database: Database) throws {
        try Rules.name(check.name, field: .check(.name))
        guard try database.queryOne("SELECT 1 FROM components WHERE id = ?", [check.componentID]) != nil else {
            throw ValidationError.invalid(.check(.component), "No component has the id '\(check.componentID)'.")
        }
        switch check.kind {
        case .http:
            guard let url = check.url else { throw ValidationError.invalid(.check(.url), "An http check needs a url.") }
            try CheckTarget.validateHTTP(url)
        case .tcp:
            guard let url = check.url else {
                throw ValidationError.invalid(.check(.url), "A tcp check needs a url like tcp://host:port.")
            }
            _ = try CheckTarget.tcp(url)
        case .heartbeat:
            guard check.url == nil else {
                throw ValidationError.invalid(.check(.url), "A heartbeat check has no url: its job calls the check's own.")
            }
        }
        func range(_ value: Int, _ bounds: ClosedRange<Int>, _ attribute: ValidationError.Field.Attribute,
                   _ name: String, _ unit: String) throws {
            guard bounds.contains(value) else {
                throw ValidationError.invalid(.check(attribute),
                    "\(name) must be from \(bounds.lowerBound) to \(bounds.upperBound)\(unit), not \(value).")
            }
        }
        try range(check.interval, 1...86_400, .interval, "interval", " seconds")
        try range(check.timeout, 1...300, .timeout, "timeout", " seconds")
        if check.kind != .heartbeat, check.timeout > check.interval {
            throw ValidationError.invalid(.check(.timeout),
                "timeout (\(check.timeout) s) must not exceed interval (\(check.interval) s): probes would overlap.")
        }
        if let grace = check.grace { try range(grace, 0...86_400, .grace, "grace", " seconds") }
        try range(check.thresholds.failures, 1...100, .failureThreshold, "failure_threshold", "")
        try range(check.thresholds.successes, 1...100, .successThreshold, "success_threshold", "")
        for status in check.expectedStatuses {
            try range(status, 100...599, .expectedStatuses, "Each expected status", "")
        }
        guard check.expectedStatuses.count <= 20 else {
            throw ValidationError.invalid(.check(.expectedStatuses), "At most 20 expected statuses are allowed.")
        }
        if let text = check.bodyContains {
            guard check.kind == .http else {
                throw ValidationError.invalid(.check(.bodyContains), "Only an http check can look for text in a body.")
            }
            guard (1...1024).contains(text.utf8.count) else {
                throw ValidationError.invalid(.check(.bodyContains), "body_contains must be 1 to 1024 bytes.")
            }
        }
    }

    static func pageTimeZone(_ database: Database) throws -> TimeZone {
        let identifier = try database.queryOne("SELECT time_zone FROM page ORDER BY rowid LIMIT 1")
            .map { try RowReader($0).string("time_zone") }
        return identifier.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
    }

    /// `yyyy-MM-dd` of `instant` in `zone`.
    static func localDay(_ instant: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// `bytes` random bytes from the system's cryptographic source, in hex.
    public static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// Where a check points, read from its URL.
public enum CheckTarget {
    /// `http://` or `https://` with a host, printable ASCII, no user information or fragment.
    static func validateHTTP(_ url: String) throws {
        let field = ValidationError.Field.check(.url)
        guard url.utf8.count <= 2048, url.utf8.allSatisfy({ (0x21...0x7e).contains($0) }),
              let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else {
            throw ValidationError.invalid(field, "'\(url)' is not an http:// or https:// URL with a host.")
        }
        guard components.user == nil, components.password == nil, components.fragment == nil else {
            throw ValidationError.invalid(field, "A check's url must not carry user information or a fragment.")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw ValidationError.invalid(field, "A check's port must be from 1 to 65535, not \(port).")
        }
    }

    /// The host and port of `tcp://host:port`.
    public static func tcp(_ url: String) throws -> (host: String, port: Int) {
        let field = ValidationError.Field.check(.url)
        guard url.lowercased().hasPrefix("tcp://"), url.utf8.allSatisfy({ (0x21...0x7e).contains($0) }),
              let components = URLComponents(string: url), let host = components.host, !host.isEmpty
        else {
            throw ValidationError.invalid(field, "'\(url)' is not a tcp://host:port URL.")
        }
        guard let port = components.port else {
            throw ValidationError.invalid(field, "'\(url)' has no port; a tcp check needs tcp://host:port.")
        }
        guard (1...65535).contains(port) else {
            throw ValidationError.invalid(field, "A check's port must be from 1 to 65535, not \(port).")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.user == nil,
              components.fragment == nil else {
            throw ValidationError.invalid(field, "A tcp check's url is only tcp://host:port.")
        }
        return (host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port)
    }
}
