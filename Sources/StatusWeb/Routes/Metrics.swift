import Foundation
import HTTPServer
import Outbound
import StatusCore

/// `GET /metrics`: the Prometheus text exposition format (version 0.0.4) of what the server,
/// the publisher and the webhook sender have done since the process started.
///
/// It names no page content, but it is an operator's view: a proxy in front should not pass
/// it to the public (see README, "Running in production").
public struct Metrics: Sendable {
    public let server: ServerMetrics
    public let webhooks: WebhookSender?
    /// Nil when the server mails no one.
    public let mail: MailSender?
    /// Nil without `--mirror-hook`.
    public let mirrorHook: MirrorHook?
    /// Writes refused for want of disk space; the routes this is attached to record them.
    public let diskFull = DiskFullState()

    public init(server: ServerMetrics, webhooks: WebhookSender?, mail: MailSender? = nil, mirrorHook: MirrorHook? = nil) {
        self.server = server
        self.webhooks = webhooks
        self.mail = mail
        self.mirrorHook = mirrorHook
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition text. Reads the webhook queue depth from the database: call it off
    /// the event loop.
    func text(publisher: Publisher) -> String {
        var out = Exposition()
        let totals = server.totals()
        out.family("warta_http_requests_total", "counter", "Responses sent, by route pattern and status code.")
        let routes = totals.routes.keys.sorted()
        for route in routes {
            for (status, count) in totals.routes[route]!.statuses.sorted(by: { $0.key < $1.key }) {
                out.sample("warta_http_requests_total", ["route": route, "status": String(status)], count)
            }
        }
        out.family("warta_http_request_duration_seconds", "histogram",
                   "Time from a complete request to its response queued for sending, by route pattern.")
        for route in routes {
            let latency = totals.routes[route]!.latency
            var cumulative = 0
            for (index, count) in latency.buckets.enumerated() {
                cumulative += count
                let bound = index < ServerMetrics.bucketBounds.count ? Self.number(ServerMetrics.bucketBounds[index]) : "+Inf"
                out.sample("warta_http_request_duration_seconds_bucket", ["route": route, "le": bound], cumulative)
            }
            out.sample("warta_http_request_duration_seconds_sum", ["route": route], latency.sumSeconds)
            out.sample("warta_http_request_duration_seconds_count", ["route": route], latency.count)
        }
        out.family("warta_http_open_connections", "gauge", "Client connections open now.")
        out.sample("warta_http_open_connections", [:], server.openConnections)

        let publishing = publisher.statistics
        out.family("warta_snapshot_builds_total", "counter", "Snapshots of the public site built.")
        out.sample("warta_snapshot_builds_total", [:], publishing.builds)
        out.family("warta_snapshot_build_seconds_total", "counter", "Time spent building snapshots.")
        out.sample("warta_snapshot_build_seconds_total", [:], publishing.buildSeconds)
        out.family("warta_snapshot_last_build_seconds", "gauge", "How long the latest snapshot took to build.")
        out.sample("warta_snapshot_last_build_seconds", [:], publishing.lastBuildSeconds)
        out.family("warta_snapshot_brotli_completions_total", "counter",
                   "Snapshots given their Brotli forms after publishing, off the write path.")
        out.sample("warta_snapshot_brotli_completions_total", [:], publishing.brotliCompletions)
        out.family("warta_snapshot_last_brotli_seconds", "gauge",
                   "How long the latest snapshot's Brotli forms took, after it was published.")
        out.sample("warta_snapshot_last_brotli_seconds", [:], publishing.lastBrotliSeconds)
        out.family("warta_last_write_timestamp_seconds", "gauge",
                   "When the last change through the management API committed (Unix time; 0: none yet).")
        out.sample("warta_last_write_timestamp_seconds", [:], publishing.lastWriteAt?.timeIntervalSince1970 ?? 0)

        out.family("warta_disk_full_writes_total", "counter",
                   "Management API writes refused (507) because the database's disk was full.")
        out.sample("warta_disk_full_writes_total", [:], diskFull.refusedWrites)

        out.family("warta_webhook_queue_depth", "gauge", "Webhook deliveries neither made nor abandoned yet.")
        out.sample("warta_webhook_queue_depth", [:], (try? publisher.store.pendingWebhookDeliveries()) ?? -1)
        if let counts = webhooks?.statistics {
            out.family("warta_webhook_attempts_total", "counter", "Webhook delivery attempts, by outcome.")
            out.sample("warta_webhook_attempts_total", ["outcome": "delivered"], counts.delivered)
            out.sample("warta_webhook_attempts_total", ["outcome": "failed"], counts.failedAttempts)
            out.family("warta_webhook_abandoned_total", "counter", "Webhook deliveries given up after 24 hours of failures.")
            out.sample("warta_webhook_abandoned_total", [:], counts.abandoned)
        }
        if let counts = mail?.statistics {
            out.family("warta_mail_queue_depth", "gauge", "Mails to subscribers neither sent nor given up yet.")
            out.sample("warta_mail_queue_depth", [:], (try? publisher.store.pendingMailDeliveries()) ?? -1)
            out.family("warta_mail_attempts_total", "counter", "Mails handed to the SMTP relay, by outcome.")
            out.sample("warta_mail_attempts_total", ["outcome": "sent"], counts.sent)
            out.sample("warta_mail_attempts_total", ["outcome": "failed"], counts.failedAttempts)
            out.family("warta_mail_given_up_total", "counter", "Mails given up: refused by the relay, or failing for 24 hours.")
            out.sample("warta_mail_given_up_total", [:], counts.givenUp)
            out.family("warta_mail_quarantined_total", "counter", "Addresses quarantined after repeated permanent refusals.")
            out.sample("warta_mail_quarantined_total", [:], counts.quarantined)
        }
        if let counts = mirrorHook?.currentCounts {
            out.family("warta_mirror_hook_runs_total", "counter", "Runs of the --mirror-hook command, by outcome.")
            out.sample("warta_mirror_hook_runs_total", ["outcome": "succeeded"], counts.succeeded)
            out.sample("warta_mirror_hook_runs_total", ["outcome": "failed"], counts.failed)
            out.family("warta_mirror_hook_last_success_timestamp_seconds", "gauge",
                       "When the last --mirror-hook run that succeeded ended (Unix time; 0: none yet): how old the copies elsewhere may be.")
            out.sample("warta_mirror_hook_last_success_timestamp_seconds", [:], counts.lastSuccess?.timeIntervalSince1970 ?? 0)
        }
        out.family("warta_check_results_total", "counter", "Probe results recorded, from every location.")
        out.sample("warta_check_results_total", [:], publishing.checkResults)
        out.family("warta_checks", "gauge", "Checks by state, as the public snapshot shows them.")
        let checks = publisher.snapshots.current.html.pages.state.checks
        for state in CheckState.allCases {
            out.sample("warta_checks", ["state": state.rawValue], checks.filter { $0.state == state }.count)
        }
        out.family("warta_build_info", "gauge", "The running version.")
        out.sample("warta_build_info", ["version": Version.current], 1)
        return out.text
    }

    func response(publisher: Publisher) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: [.contentType: Self.contentType, .cacheControl: "no-store"],
                     body: Array(text(publisher: publisher).utf8))
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Lines of the text format, with label values escaped as it requires.
    private struct Exposition {
        var text = ""

        mutating func family(_ name: String, _ type: String, _ help: String) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }

        mutating func sample(_ name: String, _ labels: [String: String], _ value: Int) {
            line(name, labels, String(value))
        }

        mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
            line(name, labels, Metrics.number(value))
        }

        private mutating func line(_ name: String, _ labels: [String: String], _ value: String) {
            text += name
            if !labels.isEmpty {
                // `le` last, as Prometheus writes it.
                let keys = labels.keys.sorted { ($0 == "le" ? 1 : 0, $0) < ($1 == "le" ? 1 : 0, $1) }
                text += "{" + keys.map { "\($0)=\"\(Self.escape(labels[$0]!))\"" }.joined(separator: ",") + "}"
            }
            text += " \(value)\n"
        }

        static func escape(_ value: String) -> String {
            value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
    }
}
