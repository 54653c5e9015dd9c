import Foundation

/// An automatic check of one component: how to probe it and how many results it takes to
/// change its state. What it measures is shown beside the component, never as its status.
public struct Check: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        /// An HTTP(S) request whose status (and optionally body) is checked.
        case http
        /// A TCP connection to `tcp://host:port`, closed as soon as it is made.
        case tcp
        /// An outside job calls the check's secret URL; a missing beat is a failure.
        case heartbeat
    }

    public enum Method: String, CaseIterable, Sendable { case GET, HEAD }

    public var id: String
    public var name: String
    public var componentID: String
    public var kind: Kind
    /// `http(s)://…` or `tcp://host:port`; nil for a heartbeat.
    public var url: String?
    public var method: Method = .GET
    /// The status codes that count as success; empty: any 2xx.
    public var expectedStatuses: [Int] = []
    /// Text the response body must contain (http).
    public var bodyContains: String?
    /// Whether an http check follows redirects (at most 5); otherwise a 3xx is its answer.
    public var followRedirects = false
    /// Seconds between probes; for a heartbeat, between expected beats.
    public var interval: Int = 60
    /// Seconds a probe may take.
    public var timeout: Int = 10
    /// A heartbeat's allowance after `interval` before a missing beat is a failure; nil: the
    /// interval.
    public var grace: Int?
    public var thresholds = CheckThresholds()
    /// A heartbeat's last beat.
    public var lastBeatAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    /// The seconds after a beat at which a missing next beat is a failure.
    public var heartbeatDeadline: TimeInterval { TimeInterval(interval + (grace ?? interval)) }

    /// Whether `status` is the answer this http check expects.
    public func accepts(status: Int) -> Bool {
        expectedStatuses.isEmpty ? (200...299).contains(status) : expectedStatuses.contains(status)
    }
}

extension Check {
    /// A check as another module receives it (a remote prober reads it from the management
    /// API); the fields not given keep their defaults and can be set afterwards. Written in an
    /// extension so the store keeps the memberwise initialiser Swift writes.
    public init(id: String, name: String, componentID: String, kind: Kind, url: String?, createdAt: Date,
                updatedAt: Date) {
        self.init(id: id, name: name, componentID: componentID, kind: kind, url: url, method: .GET,
                  createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// A check's fields for `createCheck`.
public struct CheckDraft: Sendable, Equatable {
    public var name: String
    public var componentID: String
    public var kind: Check.Kind
    public var url: String?
    public var method: Check.Method = .GET
    public var expectedStatuses: [Int] = []
    public var bodyContains: String?
    public var followRedirects = false
    public var interval: Int?
    public var timeout: Int?
    public var grace: Int?
    public var failureThreshold: Int?
    public var successThreshold: Int?

    public init(name: String, componentID: String, kind: Check.Kind, url: String? = nil) {
        self.name = name
        self.componentID = componentID
        self.kind = kind
        self.url = url
    }
}

/// Changes to a check (`PATCH`); nil leaves a field as it is. Its kind cannot change.
public struct CheckPatch: Sendable, Equatable {
    public var name: String?
    public var componentID: String?
    public var url: String?
    public var method: Check.Method?
    public var expectedStatuses: [Int]?
    public var bodyContains: Patch<String> = .unchanged
    public var followRedirects: Bool?
    public var interval: Int?
    public var timeout: Int?
    public var grace: Patch<Int> = .unchanged
    public var failureThreshold: Int?
    public var successThreshold: Int?

    public init() {}
}

/// One result of one probe, as a location reports it.
public struct ProbeReport: Sendable, Equatable {
    public var outcome: ProbeOutcome
    /// When the probe started.
    public var at: Date
    public var latencyMilliseconds: Int?
    /// What was seen (`HTTP 503`, `connection refused`): for staff, never the public.
    public var detail: String?

    public init(outcome: ProbeOutcome, at: Date, latencyMilliseconds: Int? = nil, detail: String? = nil) {
        self.outcome = outcome
        self.at = at
        self.latencyMilliseconds = latencyMilliseconds
        self.detail = detail
    }
}
