import Foundation
import StatusCore

/// Probes checks: an http request or a tcp connection, timed, and judged by the check's own
/// rules. One probe blocks its thread for up to the check's timeout, so probes run on the
/// scheduler's worker threads, never on an event loop.
///
/// A failure is reported only when the prober can still reach its control target (when it
/// has one): a prober that lost its own network must not report the world as down, so it
/// says `inconclusive` instead, which leaves the location out of the verdict.
public final class Prober: Sendable {
    /// The most of a response body read when looking for a check's text.
    public static let bodyLimit = 1 << 20

    /// A URL (`http(s)://…`, or `tcp://host:port`) that answers whenever this prober's own
    /// network works; nil: every failure is reported as such.
    public let controlTarget: String?
    private let clock: any WallClock
    private let control: ControlTargetCache

    /// - Parameters:
    ///   - controlTarget: checked before a failure is reported; any HTTP answer (or, for
    ///     `tcp://`, a connection) counts as reachable.
    ///   - controlLifetime: how long one answer of the control target is reused, so a wave
    ///     of failures costs one request to it, not one each.
    public init(controlTarget: String? = nil, clock: any WallClock = SystemClock(), controlLifetime: TimeInterval = 5) {
        self.controlTarget = controlTarget
        self.clock = clock
        control = ControlTargetCache(lifetime: controlLifetime)
    }

    /// Probes `check` now and dates the report `at`; the latency is the whole probe's, from
    /// resolving the name to the end of the answer (at most `Prober.bodyLimit` of it).
    ///
    /// Heartbeat checks are not probed: the server counts their beats. Callers skip them (the
    /// scheduler does); given one, this reports `inconclusive`, never a failure.
    public func probe(_ check: Check, at: Date) -> ProbeReport {
        let started = ContinuousClock.now
        var report: ProbeReport
        switch check.kind {
        case .http: report = probeHTTP(check, at: at)
        case .tcp: report = probeTCP(check, at: at)
        case .heartbeat: return ProbeReport(outcome: .inconclusive, at: at, detail: "a heartbeat check is not probed")
        }
        report.latencyMilliseconds = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
        if report.outcome == .failure, let controlTarget, !controlIsReachable(controlTarget) {
            report.outcome = .inconclusive
            report.detail = "control target unreachable"
        }
        return report
    }

    /// The cached answer of the control target, or a fresh one. Holds the cache's lock while
    /// asking, so probes failing at once wait for one answer instead of each asking.
    private func controlIsReachable(_ target: String) -> Bool {
        control.reachable(now: clock.now()) {
            if target.lowercased().hasPrefix("tcp://") {
                guard let (host, port) = try? CheckTarget.tcp(target) else { return false }
                return TCPConnect(host: host, port: port, timeout: Self.controlTimeout).perform() == nil
            }
            let fetch = HTTPFetch(url: target, method: .head, headers: Self.headers, timeout: Self.controlTimeout,
                                  bodyLimit: 0)
            if case .success = fetch.perform() { return true }
            return false
        }
    }

    /// The control target is near by definition; an answer slower than this is none.
    static let controlTimeout: TimeInterval = 5

    /// Sent with every probe, so the services watched can tell probes from visitors.
    static let headers = ["User-Agent: Warta/\(Version.current) (check)", "Accept: */*"]
}

/// The control target's last answer and when it was given.
private final class ControlTargetCache: @unchecked Sendable {
    private let lifetime: TimeInterval
    private let lock = NSLock()
    private var answer: (reachable: Bool, at: Date)?

    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    func reachable(now: Date, ask: () -> Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let answer, now >= answer.at, now.timeIntervalSince(answer.at) < lifetime { return answer.reachable }
        let reachable = ask()
        answer = (reachable, now)
        return reachable
    }
}
