import Foundation
import HTTPServer
import StatusCore

extension V2Representation {
    /// The checks the public may see, in the components' order: every one, or none while the
    /// page keeps its checks private (`Page.checksPublic`).
    static func publicChecks(in state: StatusState) -> [CheckStatus] {
        state.page.checksPublic ? state.checks : []
    }

    /// A check object (Warta's extension, in `checks.json` and summary's `automated_checks`):
    /// `id, name, component_id, type, state, since, last_checked_at, latency_ms,
    /// locations: [{name, state, silent, last_report_at}], acknowledged, incident_id`.
    ///
    /// What machines measured, shown beside what staff declared and never mixed with it:
    /// `acknowledged` says whether an incident in force lists the check's component, and
    /// `incident_id` which. What a probe saw (`detail`: response bodies, error texts) and
    /// what it probes (`url`) are for staff only and never written here.
    static func writeCheck(_ status: CheckStatus, acknowledgedBy incident: Incident?, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", status.check.id)
        writer.field("name", status.check.name)
        writer.field("component_id", status.check.componentID)
        writer.field("type", status.check.kind.rawValue)
        writer.field("state", status.state.rawValue)
        writer.field("since", timestamp: status.since)
        writer.field("last_checked_at", timestamp: status.lastCheckedAt)
        writer.key("latency_ms")
        if let latency = status.latencyMilliseconds { writer.int(latency) } else { writer.null() }
        writer.key("locations")
        writer.beginArray()
        for location in status.locations {
            writer.beginObject()
            writer.field("name", location.name)
            writer.field("state", location.state.rawValue)
            writer.field("silent", location.silent)
            writer.field("last_report_at", timestamp: location.lastReportAt)
            writer.endObject()
        }
        writer.endArray()
        writer.field("acknowledged", incident != nil)
        writer.field("incident_id", incident?.id)
        writer.endObject()
    }

    /// The array of check objects, written once for both documents that carry it.
    static func writeChecks(_ checks: [CheckStatus], state: StatusState, timestampFormat: ZonedTimestamp) -> [UInt8] {
        var writer = JSONWriter(timestampFormat: timestampFormat, capacity: 256 * max(checks.count, 1))
        writer.beginArray()
        for status in checks {
            writeCheck(status, acknowledgedBy: state.openIncident(listing: status.check.componentID), into: &writer)
        }
        writer.endArray()
        return writer.bytes
    }

    /// One check's measured uptime in `uptime.json`: `{check_id, name, days: [{date, uptime,
    /// successes, failures}], uptime}` over the declared figures' window, days oldest first.
    /// `uptime` is the percentage of successful results (inconclusive ones count in
    /// neither), three decimals like the declared figures; null with no result.
    static func writeMeasuredUptime(_ status: CheckStatus, window: Uptime.Window, into writer: inout JSONWriter) {
        func writePercent(successes: Int, failures: Int) {
            let total = successes + failures
            if total > 0 { writer.decimal(100 * Double(successes) / Double(total)) } else { writer.null() }
        }
        let results = Dictionary(status.days.map { ($0.day, $0) }, uniquingKeysWith: { first, _ in first })
        var successes = 0
        var failures = 0
        writer.beginObject()
        writer.field("check_id", status.check.id)
        writer.field("name", status.check.name)
        writer.key("days")
        writer.beginArray()
        for day in window.days {
            let daySuccesses = results[day.date]?.successes ?? 0
            let dayFailures = results[day.date]?.failures ?? 0
            successes += daySuccesses
            failures += dayFailures
            writer.beginObject()
            writer.field("date", day.date)
            writer.key("uptime")
            writePercent(successes: daySuccesses, failures: dayFailures)
            writer.field("successes", daySuccesses)
            writer.field("failures", dayFailures)
            writer.endObject()
        }
        writer.endArray()
        writer.key("uptime")
        writePercent(successes: successes, failures: failures)
        writer.endObject()
    }
}
