/// How statuses combine. These rules are also written down in the README.
///
/// 1. A group's status is the worst of its children's (operational when it has none).
/// 2. An incident's impact follows its affected components unless overridden: the worst
///    status they reached during the incident maps major_outage → critical, partial_outage →
///    major, degraded_performance → minor, under_maintenance → maintenance, operational →
///    none (it does not fall as they recover, so history reads right). A maintenance's
///    impact is `maintenance`. `impact_override` always wins.
/// 3. The page indicator is the worse of (a) the worst component status mapped as in 2 and
///    (b) the highest impact of unresolved incidents and in-progress maintenances. It is
///    `maintenance` only when maintenance is all that is going on.
public enum Rollup {
    /// Rule 1.
    public static func groupStatus(_ children: [ComponentStatus]) -> ComponentStatus {
        children.max() ?? .operational
    }

    /// Rule 2, for a component status.
    public static func impact(of status: ComponentStatus) -> Impact {
        switch status {
        case .operational: return .none
        case .underMaintenance: return .maintenance
        case .degradedPerformance: return .minor
        case .partialOutage: return .major
        case .majorOutage: return .critical
        }
    }

    /// Rule 2: the impact of an incident whose affected components have `statuses`.
    public static func incidentImpact(isMaintenance: Bool, affected statuses: [ComponentStatus],
                                      override: Impact?) -> Impact {
        if let override { return override }
        if isMaintenance { return .maintenance }
        return statuses.map(impact(of:)).max { $0.severity < $1.severity } ?? .none
    }

    /// The page's overall status: `indicator` and Statuspage's description of it.
    public struct PageStatus: Sendable, Equatable {
        public var indicator: Impact
        public var description: String
    }

    /// Rule 3. `openImpacts` are the impacts of the incidents in force (`Incident.isInForce`):
    /// unresolved incidents and active maintenances.
    public static func pageStatus(components: [ComponentStatus], openImpacts: [Impact]) -> PageStatus {
        let worstComponent = components.max() ?? .operational
        let candidates = [impact(of: worstComponent)] + openImpacts
        let indicator = candidates.max { $0.severity < $1.severity } ?? .none
        return PageStatus(indicator: indicator, description: description(of: indicator, worstComponent: worstComponent))
    }

    /// Statuspage's wording for each indicator.
    public static func description(of indicator: Impact, worstComponent: ComponentStatus) -> String {
        switch indicator {
        case .none: return "All Systems Operational"
        case .minor:
            return worstComponent == .degradedPerformance ? "Partially Degraded Service" : "Minor Service Outage"
        case .major: return "Partial System Outage"
        case .critical: return "Major System Outage"
        case .maintenance: return "Service Under Maintenance"
        }
    }

    /// Rule 3 over a whole state.
    public static func pageStatus(_ state: StatusState) -> PageStatus {
        let open = state.incidents.filter(\.isInForce)
        return pageStatus(components: state.components.map(\.status), openImpacts: open.map(\.impact))
    }
}
