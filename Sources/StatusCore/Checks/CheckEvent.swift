import Foundation

/// A check's verdict at the instant it changed: what a `check` webhook event reports.
///
/// It is fixed when the change is written (the outbox row's `detail`) and read back when the
/// payload is rendered, since the check moves on (or is deleted) before the delivery is made:
/// the payload says what happened, not what is true later.
public struct CheckEvent: Sendable, Equatable {
    /// One location's part in the verdict.
    public struct Location: Sendable, Equatable {
        public var name: String
        /// `unknown` while silent.
        public var state: CheckState
        /// No report within the staleness window: left out of the verdict.
        public var silent: Bool
        public var lastReportAt: Date?
    }

    public var name: String
    public var componentID: String
    public var state: CheckState
    /// When the verdict entered `state` (for `failing`: the first failure).
    public var since: Date
    /// Every location that had reported, by name.
    public var locations: [Location]

    init(check: Check, verdict: CheckVerdict, since: Date) {
        name = check.name
        componentID = check.componentID
        state = verdict.state
        self.since = since
        locations = verdict.locations.map {
            Location(name: $0.name, state: $0.state, silent: $0.silent, lastReportAt: $0.lastReportAt)
        }
    }

    /// The event as stored: JSON of `name, component_id, state, since, locations[{name,
    /// state, last_report_at}]`, a silent location's state written `silent`, instants in
    /// `Timestamp`'s form.
    var detail: String {
        StoredJSON.encode(Stored(
            name: name, component_id: componentID, state: state.rawValue, since: Timestamp.format(since),
            locations: locations.map {
                Stored.Location(name: $0.name, state: $0.silent ? Self.silentState : $0.state.rawValue,
                                last_report_at: $0.lastReportAt.map(Timestamp.format))
            }))
    }

    /// Reads a stored `detail`; nil when it is not one.
    public init?(detail: String) {
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(detail.utf8)),
              let state = CheckState(rawValue: stored.state), let since = Timestamp.parse(stored.since)
        else { return nil }
        var locations: [Location] = []
        for location in stored.locations {
            let silent = location.state == Self.silentState
            guard let state = silent ? .unknown : CheckState(rawValue: location.state) else { return nil }
            locations.append(Location(name: location.name, state: state, silent: silent,
                                      lastReportAt: location.last_report_at.flatMap(Timestamp.parse)))
        }
        self.init(name: stored.name, componentID: stored.component_id, state: state, since: since,
                  locations: locations)
    }

    private init(name: String, componentID: String, state: CheckState, since: Date, locations: [Location]) {
        self.name = name
        self.componentID = componentID
        self.state = state
        self.since = since
        self.locations = locations
    }

    private static let silentState = "silent"

    private struct Stored: Codable {
        struct Location: Codable {
            var name: String
            var state: String
            var last_report_at: String?
        }

        var name: String
        var component_id: String
        var state: String
        var since: String
        var locations: [Location]
    }
}
