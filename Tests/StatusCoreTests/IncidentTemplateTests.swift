import Foundation
@testable import StatusCore
import Testing

/// Incident templates in the store and their placeholders, on real SQLite files.
@Suite struct IncidentTemplateTests {
    @Test func placeholdersAreReadOnlyBetweenBracesAroundAName() {
        #expect(IncidentTemplate.placeholderNames(in: "{component} since {started}, {x_1}") == ["component", "started", "x_1"])
        #expect(IncidentTemplate.placeholderNames(in: #"{"a": 1} { } {} {{started}} {start ed}"#) == ["started"])
        #expect(IncidentTemplate.placeholderNames(in: "no braces") == [])
    }

    @Test func fillingIsOnePassSoAValueIsNeverReadAsAPlaceholder() {
        let filled = IncidentTemplate.fill("{component} down since {started}; {unknown} stays",
                                           [.component: "Autogate {started}", .started: "12.07 WIB"])
        #expect(filled == "Autogate {started} down since 12.07 WIB; {unknown} stays")
        #expect(IncidentTemplate.fill("next {next_update}", [:]) == "next {next_update}")
    }

    @Test func aDeletedComponentLeavesTheTemplatesThatNamedIt() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let kept = try store.createComponent(ComponentDraft(name: "Autogate T2"), by: Fixture.ops, now: Fixture.t0)
        let removed = try store.createComponent(ComponentDraft(name: "Autogate T3"), by: Fixture.ops, now: Fixture.t0)
        var changes = IncidentTemplate.Changes()
        changes.name = "Autogates down"
        changes.title = "Autogates down: {component}"
        changes.body = "Since {started}."
        changes.componentIDs = [removed.id, kept.id, removed.id]
        let template = try store.createIncidentTemplate(changes, by: Fixture.ops, now: Fixture.t0)
        #expect(template.componentIDs == [removed.id, kept.id])
        #expect(template.updateStatus == .investigating)
        #expect(template.sendsNotifications)
        #expect(template.placeholders == [.component, .started])

        try store.deleteComponent(id: removed.id, by: Fixture.ops, now: Fixture.at(minutes: 1))
        #expect(try store.incidentTemplate(id: template.id).componentIDs == [kept.id])
    }

    @Test func theDemoCarriesFourBilingualTemplates() throws {
        let fixture = try TemporaryStore()
        try DemoContent.seed(fixture.store, now: Fixture.t0)
        let templates = try fixture.store.incidentTemplates()
        #expect(templates.map(\.name) == ["Autogate tidak berfungsi", "Gangguan pusat data", "Layanan pulih", "Pembayaran gagal"])
        for template in templates {
            #expect(Set(template.titleTranslations.keys) == ["en"], "\(template.name)")
            #expect(Set(template.bodyTranslations.keys) == ["en"], "\(template.name)")
        }
        #expect(templates.map(\.updateStatus) == [.investigating, .investigating, .resolved, .identified])
        #expect(templates.first { $0.name == "Layanan pulih" }?.componentIDs == [])
        #expect(templates.first { $0.name == "Gangguan pusat data" }?.componentIDs.count == 5)
    }
}
