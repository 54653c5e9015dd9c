import Testing
@testable import StatusCore

/// The roll-up rules (Rollup.swift, docs/api.md, "How statuses combine") on tables of cases.
@Suite struct RollupTests {
    @Test(arguments: [
        ([], ComponentStatus.operational),
        ([.operational, .operational], .operational),
        ([.operational, .underMaintenance], .underMaintenance),
        ([.underMaintenance, .degradedPerformance], .degradedPerformance),
        ([.degradedPerformance, .partialOutage, .operational], .partialOutage),
        ([.partialOutage, .majorOutage, .underMaintenance], .majorOutage),
    ] as [([ComponentStatus], ComponentStatus)])
    func groupIsTheWorstOfItsChildren(children: [ComponentStatus], expected: ComponentStatus) {
        #expect(Rollup.groupStatus(children) == expected)
    }

    @Test(arguments: [
        (false, [], nil, Impact.none),
        (false, [.operational], nil, .none),
        (false, [.degradedPerformance], nil, .minor),
        (false, [.partialOutage, .degradedPerformance], nil, .major),
        (false, [.majorOutage, .operational], nil, .critical),
        (false, [.underMaintenance], nil, .maintenance),
        (false, [.majorOutage], .minor, .minor),
        (false, [], .critical, .critical),
        (true, [.majorOutage], nil, .maintenance),
        (true, [], Optional(Impact.none), Impact.none),
    ] as [(Bool, [ComponentStatus], Impact?, Impact)])
    func incidentImpactFollowsComponentsUnlessOverridden(maintenance: Bool, affected: [ComponentStatus],
                                                         override: Impact?, expected: Impact) {
        #expect(Rollup.incidentImpact(isMaintenance: maintenance, affected: affected, override: override) == expected)
    }

    @Test(arguments: [
        ([], [], Impact.none, "All Systems Operational"),
        ([.operational, .operational], [], .none, "All Systems Operational"),
        ([.degradedPerformance], [], .minor, "Partially Degraded Service"),
        ([.operational], [.minor], .minor, "Minor Service Outage"),
        ([.partialOutage], [], .major, "Partial System Outage"),
        ([.majorOutage, .operational], [], .critical, "Major System Outage"),
        ([.operational], [.critical], .critical, "Major System Outage"),
        ([.degradedPerformance], [.major], .major, "Partial System Outage"),
        ([.underMaintenance], [], .maintenance, "Service Under Maintenance"),
        ([.operational], [.maintenance], .maintenance, "Service Under Maintenance"),
        // Maintenance only when nothing worse is going on.
        ([.underMaintenance, .partialOutage], [.maintenance], .major, "Partial System Outage"),
        ([.underMaintenance], [.minor], .minor, "Minor Service Outage"),
        // Zero components: an open incident still sets the indicator.
        ([], [.major], .major, "Partial System Outage"),
    ] as [([ComponentStatus], [Impact], Impact, String)])
    func pageIndicatorCombinesComponentsAndOpenIncidents(components: [ComponentStatus], open: [Impact],
                                                         indicator: Impact, description: String) {
        let status = Rollup.pageStatus(components: components, openImpacts: open)
        #expect(status == Rollup.PageStatus(indicator: indicator, description: description))
    }

    /// The one definition of an active maintenance, and of what the page status rolls up: a
    /// maintenance only while in progress or verifying, an incident until it is resolved.
    @Test(arguments: [
        (false, IncidentStatus.investigating, false, true),
        (false, .identified, false, true),
        (false, .monitoring, false, true),
        (false, .resolved, false, false),
        (false, .postmortem, false, false),
        (true, .scheduled, false, false),
        (true, .inProgress, true, true),
        (true, .verifying, true, true),
        (true, .completed, false, false),
    ] as [(Bool, IncidentStatus, Bool, Bool)])
    func activeMaintenanceAndIncidentsInForce(maintenance: Bool, status: IncidentStatus, active: Bool, inForce: Bool) {
        let incident = Incident(id: "inc000000001", name: "Autogates down", status: status, impact: .major,
                                isMaintenance: maintenance, startedAt: Fixture.t0, createdAt: Fixture.t0,
                                updatedAt: Fixture.t0)
        #expect(incident.isActiveMaintenance == active)
        #expect(incident.isInForce == inForce)
        let state = StatusState(page: Page(id: "pg0000000001", name: "Imigrasi", createdAt: Fixture.t0,
                                           updatedAt: Fixture.t0),
                                groups: [], components: [], incidents: [incident])
        #expect(Rollup.pageStatus(state).indicator == (inForce ? .major : .none))
    }
}
