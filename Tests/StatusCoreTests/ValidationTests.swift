import Foundation
import SQLite
@testable import StatusCore
import Testing

/// Every refused write names the field, has the right kind, and leaves every table as it was.
@Suite struct ValidationTests {
    struct Case: CustomStringConvertible, Sendable {
        let description: String
        let kind: ValidationError.Kind
        let field: ValidationError.Field
        let call: @Sendable (Store, Context) throws -> Void
    }

    /// What the cases act on.
    struct Context: Sendable {
        let page: Fixture.Page
        let incident: Incident
        let maintenance: Incident
    }

    static let now = Fixture.at(minutes: 10)

    static let cases: [Case] = [
        Case(description: "empty incident name", kind: .invalid, field: .incident(.name)) { store, _ in
            _ = try store.createIncident(IncidentDraft(name: "  "), by: Fixture.ops, now: now)
        },
        Case(description: "incident name of 256 characters", kind: .invalid, field: .incident(.name)) { store, _ in
            _ = try store.createIncident(IncidentDraft(name: String(repeating: "é", count: 256)), by: Fixture.ops, now: now)
        },
        Case(description: "body over 25,000 characters", kind: .invalid, field: .incident(.body)) { store, context in
            _ = try store.updateIncident(
                id: context.incident.id, IncidentPatch(body: String(repeating: "x", count: 25_001)),
                by: Fixture.ops, now: now)
        },
        Case(description: "unknown component in the map", kind: .invalid,
             field: .incident(.componentStatus, key: "zzzzzzzzzzzz")) { store, context in
            _ = try store.createIncident(
                IncidentDraft(name: "Down", components: [context.page.api.id: .majorOutage, "zzzzzzzzzzzz": .majorOutage]),
                by: Fixture.ops, now: now)
        },
        Case(description: "unknown component id", kind: .invalid, field: .incident(.componentIDs)) { store, context in
            // The valid status change in the same patch must not be applied either.
            _ = try store.updateIncident(
                id: context.incident.id,
                IncidentPatch(status: .identified, componentIDs: ["zzzzzzzzzzzz"],
                              components: [context.page.api.id: .majorOutage]),
                by: Fixture.ops, now: now)
        },
        Case(description: "window ending before it starts", kind: .invalid, field: .incident(.scheduledUntil)) { store, _ in
            _ = try store.createIncident(
                IncidentDraft(name: "Upgrade", scheduledFor: Fixture.at(minutes: 60), scheduledUntil: Fixture.at(minutes: 60)),
                by: Fixture.ops, now: now)
        },
        Case(description: "maintenance status without a window", kind: .invalid, field: .incident(.scheduledFor)) { store, _ in
            _ = try store.createIncident(IncidentDraft(name: "Upgrade", status: .inProgress), by: Fixture.ops, now: now)
        },
        Case(description: "incident status on a new maintenance", kind: .invalid, field: .incident(.status)) { store, _ in
            _ = try store.createIncident(
                IncidentDraft(name: "Upgrade", status: .investigating, scheduledFor: Fixture.at(minutes: 60),
                              scheduledUntil: Fixture.at(minutes: 90)),
                by: Fixture.ops, now: now)
        },
        Case(description: "maintenance status on an incident", kind: .invalid, field: .incident(.status)) { store, context in
            _ = try store.updateIncident(id: context.incident.id, IncidentPatch(status: .inProgress), by: Fixture.ops, now: now)
        },
        Case(description: "incident status on a maintenance", kind: .invalid, field: .incident(.status)) { store, context in
            _ = try store.updateIncident(id: context.maintenance.id, IncidentPatch(status: .resolved), by: Fixture.ops, now: now)
        },
        Case(description: "window on an incident", kind: .invalid, field: .incident(.scheduledFor)) { store, context in
            _ = try store.updateIncident(
                id: context.incident.id, IncidentPatch(scheduledFor: Fixture.at(minutes: 60)), by: Fixture.ops, now: now)
        },
        Case(description: "moved window ending before it starts", kind: .invalid,
             field: .incident(.scheduledUntil)) { store, context in
            _ = try store.updateIncident(
                id: context.maintenance.id, IncidentPatch(scheduledFor: Fixture.at(minutes: 500)), by: Fixture.ops, now: now)
        },
        Case(description: "postmortem before resolution", kind: .invalid, field: .incident(.status)) { store, context in
            _ = try store.updateIncident(id: context.incident.id, IncidentPatch(status: .postmortem), by: Fixture.ops, now: now)
        },
        Case(description: "promise in the past", kind: .invalid, field: .incident(.nextUpdateAt)) { store, context in
            _ = try store.updateIncident(
                id: context.incident.id, IncidentPatch(body: "Update", nextUpdateAt: Fixture.at(minutes: 5)),
                by: Fixture.ops, now: now)
        },
        Case(description: "promise without an update", kind: .invalid, field: .incident(.nextUpdateAt)) { store, context in
            _ = try store.updateIncident(
                id: context.incident.id, IncidentPatch(nextUpdateAt: Fixture.at(minutes: 60)), by: Fixture.ops, now: now)
        },
        Case(description: "translations without an update", kind: .invalid,
             field: .incident(.bodyTranslations)) { store, context in
            _ = try store.updateIncident(
                id: context.incident.id, IncidentPatch(name: "Renamed", bodyTranslations: ["en": "Update"]),
                by: Fixture.ops, now: now)
        },
        Case(description: "metadata not an object", kind: .invalid, field: .incident(.metadata)) { store, _ in
            _ = try store.createIncident(IncidentDraft(name: "Down", metadataJSON: "[1]"), by: Fixture.ops, now: now)
        },
        Case(description: "translation into the default language", kind: .invalid,
             field: .incident(.nameTranslations)) { store, _ in
            _ = try store.createIncident(IncidentDraft(name: "Down", nameTranslations: ["id": "Mati"]), by: Fixture.ops, now: now)
        },
        Case(description: "translation into another language", kind: .invalid,
             field: .incident(.bodyTranslations)) { store, _ in
            _ = try store.createIncident(IncidentDraft(name: "Down", bodyTranslations: ["fr": "En panne"]), by: Fixture.ops, now: now)
        },
        Case(description: "unknown incident", kind: .notFound, field: .incident(.identity)) { store, _ in
            _ = try store.updateIncident(id: "zzzzzzzzzzzz", IncidentPatch(body: "x"), by: Fixture.ops, now: now)
        },
        Case(description: "unknown incident to delete", kind: .notFound, field: .incident(.identity)) { store, _ in
            try store.deleteIncident(id: "zzzzzzzzzzzz", by: Fixture.ops, now: now)
        },
        Case(description: "unknown update", kind: .notFound, field: .incidentUpdate(.identity)) { store, context in
            _ = try store.updateIncidentUpdate(
                incidentID: context.incident.id, updateID: context.maintenance.updates[0].id,
                IncidentUpdatePatch(body: "x"), by: Fixture.ops, now: now)
        },
        Case(description: "component in an unknown group", kind: .invalid, field: .component(.group)) { store, _ in
            _ = try store.createComponent(ComponentDraft(name: "CDN", groupID: "zzzzzzzzzzzz"), by: Fixture.ops, now: now)
        },
        Case(description: "component name empty", kind: .invalid, field: .component(.name)) { store, context in
            _ = try store.updateComponent(id: context.page.api.id, ComponentPatch(name: "", status: .majorOutage),
                                          by: Fixture.ops, now: now)
        },
        Case(description: "start date not a day", kind: .invalid, field: .component(.startDate)) { store, context in
            _ = try store.updateComponent(
                id: context.page.api.id, ComponentPatch(status: .majorOutage, startDate: .set("2026-02-30")),
                by: Fixture.ops, now: now)
        },
        Case(description: "unknown component", kind: .notFound, field: .component(.identity)) { store, _ in
            _ = try store.updateComponent(id: "zzzzzzzzzzzz", ComponentPatch(status: .majorOutage), by: Fixture.ops, now: now)
        },
        Case(description: "unknown component to delete", kind: .notFound, field: .component(.identity)) { store, _ in
            try store.deleteComponent(id: "zzzzzzzzzzzz", by: Fixture.ops, now: now)
        },
        Case(description: "group with an unknown member", kind: .invalid, field: .componentGroup(.componentIDs)) { store, context in
            _ = try store.createComponentGroup(
                ComponentGroupDraft(name: "Edge", componentIDs: [context.page.website.id, "zzzzzzzzzzzz"]),
                by: Fixture.ops, now: now)
        },
        Case(description: "unknown group", kind: .notFound, field: .componentGroup(.identity)) { store, _ in
            try store.deleteComponentGroup(id: "zzzzzzzzzzzz", by: Fixture.ops, now: now)
        },
        Case(description: "page time zone", kind: .invalid, field: .page(.timeZone)) { store, _ in
            _ = try store.updatePage(PagePatch(name: "Status", timeZone: "Mars/Olympus"), by: Fixture.ops, now: now)
        },
        Case(description: "page language", kind: .invalid, field: .page(.defaultLanguage)) { store, _ in
            _ = try store.updatePage(PagePatch(defaultLanguage: "fr"), by: Fixture.ops, now: now)
        },
        Case(description: "page accent color", kind: .invalid, field: .page(.accentColor)) { store, _ in
            _ = try store.updatePage(PagePatch(name: "Renamed", accentColor: .set("red")), by: Fixture.ops, now: now)
        },
        Case(description: "page url", kind: .invalid, field: .page(.url)) { store, _ in
            _ = try store.updatePage(PagePatch(url: "status.example.com"), by: Fixture.ops, now: now)
        },
        Case(description: "page header link", kind: .invalid, field: .page(.headerLinkURL, key: "1")) { store, _ in
            _ = try store.updatePage(
                PagePatch(headerLinks: [.init(label: "Home", url: "https://example.com"), .init(label: "Bad", url: "javascript:alert(1)")]),
                by: Fixture.ops, now: now)
        },
        Case(description: "duplicate token name", kind: .invalid, field: .token(.name)) { store, _ in
            _ = try store.createToken(name: "ci", by: Fixture.ops, now: now)
        },
        Case(description: "unknown token", kind: .notFound, field: .token(.identity)) { store, _ in
            try store.revokeToken(name: "nobody", by: Fixture.ops, now: now)
        },
    ]

    @Test(arguments: 0..<cases.count)
    func refusedWriteChangesNothing(_ index: Int) throws {
        let testCase = Self.cases[index]
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        let incident = try store.createIncident(
            IncidentDraft(name: "API errors", components: [page.api.id: .partialOutage]), by: Fixture.ops, now: Fixture.t0)
        let maintenance = try store.createIncident(
            IncidentDraft(name: "Upgrade", scheduledFor: Fixture.at(minutes: 60), scheduledUntil: Fixture.at(minutes: 120)),
            by: Fixture.ops, now: Fixture.t0)
        _ = try store.createToken(name: "ci", by: Fixture.ops, now: Fixture.t0)
        let context = Context(page: page, incident: incident, maintenance: maintenance)

        let before = try fixture.dump()
        Fixture.expectValidation(testCase.kind, testCase.field) {
            try testCase.call(store, context)
        }
        #expect(try fixture.dump() == before, "\(testCase)")
    }

    @Test func messagesNameTheProblemAndTheAllowedValues() throws {
        #expect(ValidationError.unknownValueMessage("down", allowed: ComponentStatus.allCases.map(\.rawValue))
            == "'down' is not an allowed value; use one of: operational, under_maintenance, "
                + "degraded_performance, partial_outage, major_outage.")

        let fixture = try TemporaryStore()
        do {
            _ = try fixture.store.createIncident(IncidentDraft(name: "Down", status: .scheduled), by: Fixture.ops, now: Fixture.t0)
            Issue.record("a maintenance without a window was accepted")
        } catch let error as ValidationError {
            #expect(error.message == "A scheduled maintenance needs scheduled_for, the start of its window.")
        }
        let incident = try fixture.store.createIncident(IncidentDraft(name: "Down"), by: Fixture.ops, now: Fixture.t0)
        do {
            _ = try fixture.store.updateIncident(id: incident.id, IncidentPatch(status: .completed), by: Fixture.ops,
                                                 now: Fixture.t0)
            Issue.record("a maintenance status was accepted on an incident")
        } catch let error as ValidationError {
            #expect(error.message == "An incident cannot have status 'completed'; use one of: investigating, identified, "
                + "monitoring, resolved, postmortem.")
        }
    }
}
