import Foundation
@testable import StatusCore
import Testing

@Suite struct ComponentGroupTests {
    /// The page as a list: top-level rows as `name@position`, members indented under their
    /// group, everything in the stored positions' order.
    static func outline(_ store: Store) throws -> [String] {
        let groups = try store.componentGroups()
        let components = try store.components()
        var top: [(position: Int, lines: [String])] = []
        for group in groups {
            let members = group.componentIDs.compactMap { id in components.first { $0.id == id } }
            top.append((group.position, ["\(group.name)@\(group.position)"] + members.map { "  \($0.name)@\($0.position)" }))
        }
        for component in components where component.groupID == nil {
            top.append((component.position, ["\(component.name)@\(component.position)"]))
        }
        return top.sorted { $0.position < $1.position }.flatMap(\.lines)
    }

    @Test func positionsStayGaplessThroughMovesAndDeletes() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let page = try Fixture.makePage(store)
        #expect(try Self.outline(store) == ["Website@1", "Backend@2", "  API@1", "  Database@2"])

        let cdn = try store.createComponent(ComponentDraft(name: "CDN"), by: Fixture.ops, now: Fixture.t0)
        #expect(cdn.position == 3)

        // Members leave the top level in the order listed; the rows after them move up.
        let edge = try store.createComponentGroup(
            ComponentGroupDraft(name: "Edge", description: "At the edge", componentIDs: [cdn.id, page.website.id]),
            by: Fixture.ops, now: Fixture.t0)
        #expect(edge.position == 2)
        #expect(edge.componentIDs == [cdn.id, page.website.id])
        #expect(edge.description == "At the edge")
        #expect(try Self.outline(store) == ["Backend@1", "  API@1", "  Database@2", "Edge@2", "  CDN@1", "  Website@2"])
        // Display order: groups' members right after them.
        #expect(try store.components().map(\.name) == ["API", "Database", "CDN", "Website"])

        _ = try store.updateComponent(id: page.api.id, ComponentPatch(groupID: .set(edge.id)), by: Fixture.ops,
                                      now: Fixture.t0)
        #expect(try Self.outline(store) == ["Backend@1", "  Database@1", "Edge@2", "  CDN@1", "  Website@2", "  API@3"])

        let database = try store.updateComponent(id: page.database.id, ComponentPatch(groupID: .clear), by: Fixture.ops,
                                                 now: Fixture.t0)
        #expect(database.groupID == nil)
        #expect(database.position == 3)
        #expect(try Self.outline(store) == ["Backend@1", "Edge@2", "  CDN@1", "  Website@2", "  API@3", "Database@3"])

        // Replacing the members: CDN leaves for the end of the top level, the order is the list's.
        let replaced = try store.updateComponentGroup(
            id: edge.id, ComponentGroupPatch(componentIDs: [page.website.id, page.api.id]), by: Fixture.ops,
            now: Fixture.t0)
        #expect(replaced.componentIDs == [page.website.id, page.api.id])
        #expect(try Self.outline(store) == ["Backend@1", "Edge@2", "  Website@1", "  API@2", "Database@3", "CDN@4"])

        // Deleting a group puts its members in its place.
        try store.deleteComponentGroup(id: edge.id, by: Fixture.ops, now: Fixture.t0)
        #expect(try Self.outline(store) == ["Backend@1", "Website@2", "API@3", "Database@4", "CDN@5"])

        try store.deleteComponent(id: page.website.id, by: Fixture.ops, now: Fixture.t0)
        #expect(try Self.outline(store) == ["Backend@1", "API@2", "Database@3", "CDN@4"])

        try store.deleteComponentGroup(id: page.backend.id, by: Fixture.ops, now: Fixture.t0)
        #expect(try Self.outline(store) == ["API@1", "Database@2", "CDN@3"])
        #expect(try store.componentGroups().isEmpty)

        let actions = try store.auditLog(limit: 7).map(\.action)
        #expect(actions == ["component_group.delete", "component.delete", "component_group.delete",
                            "component_group.update", "component.update", "component.update", "component_group.create"])
    }

    @Test func componentFieldsAndStatusHistory() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let created = try store.createComponent(
            ComponentDraft(name: "API", description: "Public REST API", status: .degradedPerformance,
                           showcase: false, onlyShowIfDegraded: true, startDate: "2026-01-01"),
            by: Fixture.ops, now: Fixture.t0)
        #expect(created == Component(
            id: created.id, name: "API", description: "Public REST API", status: .degradedPerformance, position: 1,
            showcase: false, onlyShowIfDegraded: true, startDate: "2026-01-01", createdAt: Fixture.t0,
            updatedAt: Fixture.t0))

        let updated = try store.updateComponent(
            id: created.id,
            ComponentPatch(name: "Public API", description: .clear, status: .operational, showcase: true,
                           startDate: .clear),
            by: Fixture.ops, now: Fixture.at(minutes: 1))
        #expect(updated.name == "Public API")
        #expect(updated.description == nil)
        #expect(updated.startDate == nil)
        #expect(updated.showcase == true)
        #expect(updated.onlyShowIfDegraded == true)
        #expect(updated.updatedAt == Fixture.at(minutes: 1))

        // The same status again is not a change.
        _ = try store.updateComponent(id: created.id, ComponentPatch(status: .operational), by: Fixture.ops,
                                      now: Fixture.at(minutes: 2))
        #expect(try store.state(now: Fixture.at(minutes: 3)).statusChanges[created.id] == [
            StatusChange(status: .degradedPerformance, at: Fixture.t0),
            StatusChange(status: .operational, at: Fixture.at(minutes: 1)),
        ])
        let entry = try #require(try store.auditLog(limit: 1).first)
        #expect(entry.action == "component.update")
        #expect(entry.detailJSON == #"{"fields":["description","name","showcase","start_date","status"],"status":"operational"}"#)
        #expect(try store.auditLog().count == 2)
    }

    @Test func pageSettings() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let original = try store.page()
        #expect(original.name == "Status")
        #expect(original.timeZone == "Asia/Jakarta")
        #expect(original.defaultLanguage == "id")
        #expect(Identifier.isValid(original.id))

        let page = try store.updatePage(
            PagePatch(name: "Contoh Status", url: "https://status.example.com/", timeZone: "Etc/UTC",
                      defaultLanguage: "en", logoURL: .set("/logo.svg"), accentColor: .set("#0a7d45"),
                      headerLinks: [Page.HeaderLink(label: "Beranda", url: "https://example.com")],
                      stylesheetURL: .set("https://cdn.example.com/status.css")),
            by: Fixture.ops, now: Fixture.at(minutes: 1))
        #expect(page == Page(
            id: original.id, name: "Contoh Status", url: "https://status.example.com", timeZone: "Etc/UTC",
            defaultLanguage: "en", logoURL: "/logo.svg", accentColor: "#0a7d45",
            headerLinks: [Page.HeaderLink(label: "Beranda", url: "https://example.com")],
            stylesheetURL: "https://cdn.example.com/status.css", createdAt: original.createdAt,
            updatedAt: Fixture.at(minutes: 1)))
        #expect(try store.page() == page)

        let cleared = try store.updatePage(PagePatch(logoURL: .clear, headerLinks: []), by: Fixture.ops,
                                           now: Fixture.at(minutes: 2))
        #expect(cleared.logoURL == nil)
        #expect(cleared.headerLinks == [])
        #expect(cleared.accentColor == "#0a7d45")
        let entries = try store.auditLog()
        #expect(entries.map(\.action) == ["page.update", "page.update"])
        #expect(entries[0].detailJSON == #"{"fields":["header_links","logo_url"]}"#)
        #expect(entries[1].targetID == original.id)
    }
}
