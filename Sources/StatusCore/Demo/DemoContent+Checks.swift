import Foundation

extension DemoContent {
    /// The demo's automatic checks, probed from three places for the last three days, their
    /// results written through `recordCheckResults` as the probers would have sent them:
    /// - the M-Paspor API fails with the data centre, a minute before staff post the incident
    ///   that lists it (staff are on it; its page shows the time to first statement);
    /// - the complaints site has failed for 40 minutes from two of the three places, on a
    ///   component no incident lists (the banner: no statement from staff yet);
    /// - the Terminal 3 autogates answer again, on the backup system (a quiet "up" line).
    ///
    /// Their URLs are under `.example` (RFC 2606), which never resolves, and the demo server
    /// does not probe (`serve --demo` starts no prober): these results are the demo. The
    /// checks are hourly, so their locations stay current, and the page keeps this state, for
    /// three hours.
    static func seedChecks(_ store: Store, now: Date, failedAt: Date, componentIDs: [String: String],
                           actor: Actor) throws {
        let minute: TimeInterval = 60
        let created = now.addingTimeInterval(-3 * 86_400)
        let locations = ["jakarta-1", "singapura-1", "surabaya-1"]
        let everywhere = Set(locations)
        /// From `start` until shortly before now (or `end`), a result every `step` seconds
        /// from each location, failing at `failing`.
        struct Phase {
            var start: Date
            var end: Date?
            var step: TimeInterval
            var failing: Set<String>
        }
        func seed(_ name: String, component key: String, url: String, interval: Int, phases: [Phase]) throws {
            guard let componentID = componentIDs[key] else { return }
            var draft = CheckDraft(name: name, componentID: componentID, kind: .http, url: url)
            draft.interval = interval
            let check = try store.createCheck(draft, by: actor, now: created).check
            var count = 0
            for phase in phases {
                let end = phase.end ?? now.addingTimeInterval(-30)
                var results: [CheckResult] = []
                var instant = phase.start
                while instant < end {
                    for location in locations {
                        count += 1
                        let failed = phase.failing.contains(location)
                        results.append(CheckResult(checkID: check.id, location: location, report: ProbeReport(
                            outcome: failed ? .failure : .success, at: instant,
                            latencyMilliseconds: failed ? nil : 60 + count * 37 % 90,
                            detail: failed ? "connection timed out" : "HTTP 200")))
                    }
                    instant.addTimeInterval(phase.step)
                }
                try store.recordCheckResults(results, now: results.last?.report.at ?? end)
            }
        }

        try seed("API M-Paspor", component: "mpaspor", url: "https://api.m-paspor.imigrasi.example/health", interval: 3_600,
                 phases: [Phase(start: created, end: failedAt, step: 15 * minute, failing: []),
                          Phase(start: failedAt, step: minute, failing: everywhere)])
        let complaintsFailed = now.addingTimeInterval(-40 * minute)
        try seed("Situs pengaduan", component: "callcenter", url: "https://pengaduan.imigrasi.example/", interval: 3_600,
                 phases: [Phase(start: created, end: complaintsFailed, step: 15 * minute, failing: []),
                          Phase(start: complaintsFailed, step: minute, failing: ["jakarta-1", "surabaya-1"])])
        let backupSystem = now.addingTimeInterval(-20 * minute)
        try seed("Gerbang autogate Terminal 3", component: "cgk3", url: "https://autogate-t3.imigrasi.example/status",
                 interval: 3_600,
                 phases: [Phase(start: created, end: failedAt, step: 15 * minute, failing: []),
                          Phase(start: failedAt, end: backupSystem, step: 5 * minute, failing: everywhere),
                          Phase(start: backupSystem, step: 5 * minute, failing: [])])
    }
}
