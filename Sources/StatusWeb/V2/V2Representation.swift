import Foundation
import HTTPServer
import StatusCore

/// The public v2 JSON documents of one `StatusState` at one instant, wire-compatible with
/// Atlassian Statuspage (reference/statuspage-v2.md §1, samples in reference/samples/).
///
/// Every key is written on every object, `null` when unset, in the order of the real
/// payloads. Warta's own keys (`next_update_at`, `update_overdue`, `next_update_promised_by`)
/// follow the standard ones; summary's `automated_checks` follows `components`.
/// Objects that appear in several documents (components, incidents) are written once and
/// copied.
///
/// Ordering:
/// - Components: tree order. Top-level rows (groups and ungrouped components) by their
///   `position`, each group's children right after it by their own `position`; ties by
///   name, then id. Warta's positions count within the parent, so a global sort by
///   `position` would mix children of different groups; tree order is the page's layout,
///   and clients that nest by `group_id` are unaffected.
/// - An incident's `components`: in that same order (the GitHub captures list them by
///   position, not in the order they were added).
/// - Incidents: `created_at` descending (then id). Maintenances: `scheduled_for`
///   descending (`created_at` when unscheduled), in every maintenance list.
/// - Incident updates: as the model holds them, newest first.
public struct V2Representation: Sendable {
    /// How many incidents `incidents.json` and maintenances `scheduled-maintenances.json`
    /// list (Statuspage: "the 50 most recent").
    public static let recentLimit = 50

    public let state: StatusState
    public let now: Date
    public let timestampFormat: ZonedTimestamp
    /// The newest `updated_at` of the page, its groups, components and incidents: the
    /// page object's `updated_at` and the documents' `Last-Modified`.
    public let updatedAt: Date
    public let pageStatus: Rollup.PageStatus
    /// The checks the documents show: none while the page keeps them private.
    public let checks: [CheckStatus]

    /// Rows of `components`, in tree order.
    let componentRows: [ComponentRow]
    /// A non-group component's place in `componentRows`, for ordering incident components.
    let componentOrder: [String: Int]
    /// Written objects, by id.
    let componentJSON: [String: [UInt8]]
    let pageJSON: [UInt8]
    let incidentJSON: [String: [UInt8]]
    /// The array of check objects.
    let checksJSON: [UInt8]

    /// The lists, in the order they are written.
    public let recentIncidents: [Incident]
    public let unresolvedIncidents: [Incident]
    public let recentMaintenances: [Incident]
    public let upcomingMaintenances: [Incident]
    public let activeMaintenances: [Incident]
    /// Scheduled, in progress or verifying: what `summary.json` lists.
    public let currentMaintenances: [Incident]

    public init(state: StatusState, now: Date) {
        self.state = state
        self.now = now
        let timestampFormat = ZonedTimestamp(timeZoneIdentifier: state.page.timeZone)
        self.timestampFormat = timestampFormat
        updatedAt = Self.newestChange(in: state)
        pageStatus = Rollup.pageStatus(state)

        componentRows = Self.componentRows(groups: state.groups, components: state.components)
        var order: [String: Int] = [:]
        for (index, row) in componentRows.enumerated() {
            if case .component(let component) = row { order[component.id] = index }
        }
        componentOrder = order
        var componentJSON: [String: [UInt8]] = [:]
        for row in componentRows {
            var writer = JSONWriter(timestampFormat: timestampFormat, capacity: 512)
            Self.writeComponentRow(row, pageID: state.page.id, into: &writer)
            componentJSON[row.id] = writer.bytes
        }
        self.componentJSON = componentJSON

        var pageWriter = JSONWriter(timestampFormat: timestampFormat, capacity: 256)
        Self.writePage(state.page, updatedAt: updatedAt, into: &pageWriter)
        pageJSON = pageWriter.bytes

        let incidents = state.incidents.filter { !$0.isMaintenance }.sorted(by: Self.newestCreatedFirst)
        let maintenances = state.incidents.filter(\.isMaintenance).sorted(by: Self.latestScheduledFirst)
        recentIncidents = Array(incidents.prefix(Self.recentLimit))
        unresolvedIncidents = incidents.filter { !$0.status.isClosed }
        recentMaintenances = Array(maintenances.prefix(Self.recentLimit))
        upcomingMaintenances = maintenances.filter { $0.status == .scheduled }
        activeMaintenances = maintenances.filter(\.isActiveMaintenance)
        currentMaintenances = maintenances.filter { !$0.status.isClosed }
        let context = IncidentContext(page: state.page, now: now, componentJSON: componentJSON,
                                      componentOrder: order)
        incidentJSON = Self.writeIncidents(
            [recentIncidents, unresolvedIncidents, recentMaintenances, upcomingMaintenances, activeMaintenances],
            context: context, timestampFormat: timestampFormat)
        checks = Self.publicChecks(in: state)
        checksJSON = Self.writeChecks(checks, state: state, timestampFormat: timestampFormat)
    }

    /// The body of `endpoint`. `uptimeWindow` is needed by `.uptime` only; without it the
    /// window is the 90 days up to `now`.
    public func body(for endpoint: V2Endpoint, uptimeWindow: Uptime.Window? = nil) -> [UInt8] {
        var writer = JSONWriter(timestampFormat: timestampFormat, capacity: 16 * 1024)
        writer.beginObject()
        writer.key("page")
        writer.raw(pageJSON)
        switch endpoint {
        case .summary:
            writer.key("components")
            writeComponents(into: &writer)
            writer.key("automated_checks")
            writer.raw(checksJSON)
            writer.key("incidents")
            writeIncidents(unresolvedIncidents, into: &writer)
            writer.key("scheduled_maintenances")
            writeIncidents(currentMaintenances, into: &writer)
            writer.key("status")
            writeStatus(into: &writer)
        case .status:
            writer.key("status")
            writeStatus(into: &writer)
        case .components:
            writer.key("components")
            writeComponents(into: &writer)
        case .incidents, .unresolvedIncidents:
            writer.key("incidents")
            writeIncidents(endpoint == .incidents ? recentIncidents : unresolvedIncidents, into: &writer)
        case .scheduledMaintenances, .upcomingMaintenances, .activeMaintenances:
            writer.key("scheduled_maintenances")
            let maintenances = endpoint == .scheduledMaintenances ? recentMaintenances
                : endpoint == .upcomingMaintenances ? upcomingMaintenances : activeMaintenances
            writeIncidents(maintenances, into: &writer)
        case .uptime:
            writer.key("components")
            let window = uptimeWindow ?? Uptime.Window(now: now, timeZone: timestampFormat.timeZone)
            writeUptime(window: window, into: &writer)
        case .checks:
            writer.key("checks")
            writer.raw(checksJSON)
        }
        writer.endObject()
        return writer.bytes
    }

    /// `{"indicator", "description"}`.
    func writeStatus(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("indicator", pageStatus.indicator.rawValue)
        writer.field("description", pageStatus.description)
        writer.endObject()
    }

    /// `{"id", "name", "url", "time_zone", "updated_at"}`.
    static func writePage(_ page: Page, updatedAt: Date, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", page.id)
        writer.field("name", page.name)
        writer.field("url", page.url)
        writer.field("time_zone", page.timeZone)
        writer.field("updated_at", timestamp: updatedAt)
        writer.endObject()
    }

    static func newestChange(in state: StatusState) -> Date {
        var newest = state.page.updatedAt
        for group in state.groups where group.updatedAt > newest { newest = group.updatedAt }
        for component in state.components where component.updatedAt > newest { newest = component.updatedAt }
        for incident in state.incidents where incident.updatedAt > newest { newest = incident.updatedAt }
        return newest
    }

    static func newestCreatedFirst(_ a: Incident, _ b: Incident) -> Bool {
        a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id
    }

    static func latestScheduledFirst(_ a: Incident, _ b: Incident) -> Bool {
        let aStart = a.scheduledFor ?? a.createdAt
        let bStart = b.scheduledFor ?? b.createdAt
        return aStart != bStart ? aStart > bStart : a.id > b.id
    }
}
