import Foundation
@testable import StatusCore
import TestSupport

/// The fixture's clock: 12:31:03.123 in Jakarta.
let fixtureNow = instant("2026-11-29T05:31:03.123Z")

extension TimeInterval {
    static let minute: TimeInterval = 60
    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400
}

extension StatusState {
    /// A page with two groups (one empty), grouped and ungrouped components given out of
    /// order, an open incident with two updates and affected components, a resolved
    /// incident, and scheduled, in-progress, verifying and completed maintenances.
    ///
    /// Flat component order expected: Website, Payments (group), Transfers, Cards, API,
    /// Regions (empty group).
    static func make(timeZone: String = "Asia/Jakarta", url: String = "https://status.example.id",
                     now: Date = fixtureNow, extraIncidents: [Incident] = []) -> StatusState {
        let created = instant("2026-01-10T03:00:00.000Z")
        let page = Page(id: "pg0000000001", name: "Warta Demo", url: url, timeZone: timeZone, defaultLanguage: "id",
                        createdAt: created, updatedAt: now - .day)
        let groups = [
            ComponentGroup(id: "grp000000002", name: "Regions", position: 4, createdAt: created, updatedAt: created),
            ComponentGroup(id: "grp000000001", name: "Payments", description: "Card and bank payments",
                           position: 2, createdAt: created, updatedAt: created),
        ]
        let components = [
            Component(id: "crd000000001", groupID: "grp000000001", name: "Cards", status: .partialOutage, position: 2,
                      onlyShowIfDegraded: true, createdAt: created, updatedAt: now - 2 * .hour),
            Component(id: "api000000001", name: "API", status: .operational, position: 3, showcase: false,
                      createdAt: created, updatedAt: created),
            Component(id: "web000000001", name: "Website", description: "Public website", status: .operational,
                      position: 1, startDate: "2026-01-10", createdAt: created, updatedAt: created),
            Component(id: "trf000000001", groupID: "grp000000001", name: "Transfers", status: .degradedPerformance,
                      position: 1, createdAt: created, updatedAt: now - 2 * .hour),
        ]
        let incidents = [
            Incident.make(id: "mnt0completed", status: .completed, isMaintenance: true,
                          scheduledFor: now - 7 * .day, scheduledUntil: now - 7 * .day + 2 * .hour,
                          createdAt: now - 10 * .day, resolvedAt: now - 7 * .day + 2 * .hour),
            Incident.make(id: "inc00resolved", name: "Login errors", status: .resolved, impact: .minor,
                          createdAt: now - 3 * .day, monitoringAt: now - 3 * .day + 30 * .minute,
                          resolvedAt: now - 3 * .day + .hour),
            Incident.make(id: "mnt0scheduled", name: "Database upgrade", status: .scheduled, isMaintenance: true,
                          scheduledFor: now + 2 * .day, scheduledUntil: now + 2 * .day + 2 * .hour,
                          createdAt: now - .day, componentIDs: ["api000000001"]),
            openIncident(now: now),
            Incident.make(id: "mnt0verifying", status: .verifying, isMaintenance: true,
                          scheduledFor: now - 3 * .hour, scheduledUntil: now - .hour, createdAt: now - 6 * .day),
            Incident.make(id: "mnt00progress", status: .inProgress, isMaintenance: true,
                          scheduledFor: now - .hour, scheduledUntil: now + .hour, createdAt: now - 5 * .day),
        ] + extraIncidents
        let statusChanges: [String: [StatusChange]] = [
            "crd000000001": [StatusChange(status: .operational, at: created),
                             StatusChange(status: .partialOutage, at: now - 2 * .hour)],
            "trf000000001": [StatusChange(status: .operational, at: created),
                             StatusChange(status: .degradedPerformance, at: now - 2 * .hour)],
        ]
        return StatusState(page: page, groups: groups, components: components, incidents: incidents,
                           statusChanges: statusChanges)
    }

    /// The open incident: identified, two updates, Cards and Transfers affected (listed in the
    /// order they were added, Cards first), its promised update five minutes late.
    static func openIncident(now: Date) -> Incident {
        let id = "inc000000open"
        let first = IncidentUpdate(
            id: "upd000000001", incidentID: id, status: .investigating, body: "Kami sedang menyelidiki.",
            bodyTranslations: ["en": "We are investigating."], displayAt: now - 2 * .hour,
            affectedComponents: [
                AffectedComponent(componentID: "crd000000001", name: "Payments - Cards",
                                  oldStatus: .operational, newStatus: .partialOutage),
                AffectedComponent(componentID: "trf000000001", name: "Payments - Transfers",
                                  oldStatus: .operational, newStatus: .degradedPerformance),
            ],
            createdAt: now - 2 * .hour, updatedAt: now - 2 * .hour)
        let second = IncidentUpdate(
            id: "upd000000002", incidentID: id, status: .identified, body: "Penyebab ditemukan.\nPerbaikan berjalan.",
            bodyTranslations: ["en": "Cause found."], displayAt: now - 30 * .minute, deliverNotifications: false,
            nextUpdateAt: now - 5 * .minute, createdAt: now - 30 * .minute, updatedAt: now - 30 * .minute)
        return Incident(
            id: id, name: #"Kartu <ditolak> & "lambat""#, nameTranslations: ["en": "Cards declined"],
            status: .identified, impact: .major, nextUpdateAt: now - 5 * .minute,
            startedAt: now - 2 * .hour - 5 * .minute, createdAt: now - 2 * .hour, updatedAt: now - 30 * .minute,
            componentIDs: ["crd000000001", "trf000000001"], updates: [second, first])
    }
}

extension Incident {
    /// An incident (or maintenance) with one update in its status.
    static func make(id: String, name: String? = nil, status: IncidentStatus, impact: Impact? = nil,
                     isMaintenance: Bool = false, scheduledFor: Date? = nil, scheduledUntil: Date? = nil,
                     createdAt: Date, monitoringAt: Date? = nil, resolvedAt: Date? = nil,
                     componentIDs: [String] = []) -> Incident {
        let updatedAt = resolvedAt ?? createdAt
        let update = IncidentUpdate(id: "u" + String(id.dropFirst()), incidentID: id, status: status,
                                    body: "Update of \(id).", displayAt: updatedAt,
                                    createdAt: updatedAt, updatedAt: updatedAt)
        return Incident(id: id, name: name ?? "Incident \(id)", status: status,
                        impact: impact ?? (isMaintenance ? .maintenance : .minor), isMaintenance: isMaintenance,
                        scheduledFor: scheduledFor, scheduledUntil: scheduledUntil,
                        startedAt: scheduledFor ?? createdAt, monitoringAt: monitoringAt, resolvedAt: resolvedAt,
                        createdAt: createdAt, updatedAt: updatedAt, componentIDs: componentIDs, updates: [update])
    }
}
