import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// Components and groups named in both of the page's languages through the v1 API
/// (`component[translations][en][name]`), over real sockets: each language's page and badge
/// show that language's name, the v2 documents keep the primary one (Statuspage's wire
/// format has one name), and a translation the page cannot use is refused with nothing
/// changed.
@Suite struct ComponentTranslationTests {
    typealias Site = CheckAPITests.Site

    static func makeTranslated(_ site: Site) throws -> String {
        let created = try site.send("POST", "/v1/pages/{page}/components", form: [
            "component[name]=Layanan%20Paspor", "component[description]=Paspor%20elektronik%20dan%20biasa",
            "component[translations][en][name]=Passport%20service",
            "component[translations][en][description]=Electronic%20and%20ordinary%20passports",
        ].joined(separator: "&"))
        #expect(created.status == 201, "\(created.text)")
        let object = try site.object(created)
        #expect(object["name"] as? String == "Layanan Paspor")
        #expect(object["name_translations"] as? [String: String] == ["en": "Passport service"])
        #expect(object["description_translations"] as? [String: String] == ["en": "Electronic and ordinary passports"])
        return try #require(object["id"] as? String)
    }

    @Test func eachLanguageShowsItsOwnName() throws {
        let site = try Site()
        let id = try Self.makeTranslated(site)

        let english = try site.server.get("/?lang=en")
        #expect(english.status == 200)
        #expect(english.text.contains(#"<span class="name">Passport service</span>"#))
        #expect(english.text.contains(#"<p class="desc">Electronic and ordinary passports</p>"#))
        #expect(!english.text.contains("Layanan Paspor"))
        let indonesian = try site.server.get("/?lang=id")
        #expect(indonesian.text.contains(#"<span class="name">Layanan Paspor</span>"#))
        #expect(indonesian.text.contains(#"<p class="desc">Paspor elektronik dan biasa</p>"#))
        #expect(!indonesian.text.contains("Passport service"))

        let badge = try site.server.get("/components/\(id)/badge.svg?lang=en")
        #expect(badge.status == 200)
        #expect(badge.text.contains("Passport service"))
        #expect(try site.server.get("/components/\(id)/badge.svg?lang=id").text.contains("Layanan Paspor"))

        // Statuspage's documents have one name: the primary one.
        let summary = try site.server.get("/api/v2/summary.json").text
        #expect(summary.contains(#""name":"Layanan Paspor""#))
        #expect(!summary.contains("Passport service"))
    }

    /// A group in JSON, as a Statuspage client sends it, and its English name on the page; a
    /// patch that gives only a description keeps the name's translation, and an empty text
    /// removes one.
    @Test func groupsAreTranslatedAndPatchesReplaceOnlyWhatTheyGive() throws {
        let site = try Site()
        let created = try site.send("POST", "/v1/pages/{page}/component-groups", json: """
            {"component_group": {"name": "Bandara", "components": ["\(site.component.id)"],
             "translations": {"en": {"name": "Airports"}}}}
            """)
        #expect(created.status == 201, "\(created.text)")
        let group = try #require(try site.object(created)["id"] as? String)
        #expect(try site.server.get("/?lang=en").text.contains(#"<span class="name">Airports</span>"#))

        let described = try site.send("PATCH", "/v1/pages/{page}/component-groups/\(group)", json: """
            {"component_group": {"translations": {"en": {"description": "Autogates at every airport"}}}}
            """)
        #expect(described.status == 200, "\(described.text)")
        #expect(try site.object(described)["name_translations"] as? [String: String] == ["en": "Airports"])
        #expect(try site.object(described)["description_translations"] as? [String: String]
                == ["en": "Autogates at every airport"])

        let id = try Self.makeTranslated(site)
        let removed = try site.send("PATCH", "/v1/pages/{page}/components/\(id)",
                                    form: "component[translations][en][name]=")
        #expect(removed.status == 200, "\(removed.text)")
        #expect(try site.object(removed)["name_translations"] as? [String: String] == [:])
        #expect(try site.object(removed)["description_translations"] as? [String: String]
                == ["en": "Electronic and ordinary passports"])
        #expect(try site.server.get("/?lang=en").text.contains(#"<span class="name">Layanan Paspor</span>"#))
    }

    /// A translation into the page's own language, or into one it does not have, is a 422
    /// naming the field; nothing is written.
    @Test func aTranslationThePageCannotUseIsRefused() throws {
        let site = try Self.site()
        let before = try site.dump()
        for (form, language) in [("component[name]=Visa&component[translations][id][name]=Visa", "id"),
                                 ("component[name]=Visa&component[translations][fr][name]=Visa", "fr")] {
            let refused = try site.send("POST", "/v1/pages/{page}/components", form: form)
            #expect(refused.status == 422, "\(language)")
            #expect(refused.header("Content-Type") == "application/problem+json")
            #expect(refused.text.contains("component[name_translations]"), "\(refused.text)")
            #expect(refused.text.contains("'\(language)'"), "\(refused.text)")
        }
        let patched = try site.send("PATCH", "/v1/pages/{page}/components/\(site.component.id)",
                                    form: "component[translations][en][name]=%0Abroken")
        #expect(patched.status == 422, "\(patched.text)")
        #expect(try site.dump() == before)
    }

    static func site() throws -> Site { try Site() }

    /// Mail names each component in the subscriber's language: the change it went through,
    /// the affected list and the footer.
    @Test func mailNamesComponentsInTheReadersLanguage() throws {
        let site = try MailTextsTests.Site.make()
        defer { site.close() }
        var patch = ComponentPatch(name: "Layanan paspor")
        patch.nameTranslations = ["en": "Passport services"]
        _ = try site.store.updateComponent(id: site.passportID, patch, by: MailTextsTests.actor,
                                           now: MailTextsTests.start - 3_600)
        try site.openIncident()
        let mails = try #require(try site.texts.content(of: try site.onlyEvent(), now: MailTextsTests.start + 60))
        let english = try #require(mails["en"]?.text)
        let indonesian = try #require(mails["id"]?.text)
        #expect(english.contains("- Passport services: Operational → Major outage"))
        #expect(english.contains("Affected components: Passport services (Major outage)"))
        #expect(english.contains("Passport services (or about all components)"))
        #expect(!english.contains("Layanan paspor:"))
        #expect(indonesian.contains("- Layanan paspor: Normal → Gangguan total"))
        #expect(!indonesian.contains("Passport services"))
    }

    /// A template's `{component}` names the components in each text's own language.
    @Test func templatesNameComponentsInEachLanguage() throws {
        let site = try Site()
        let passport = try Self.makeTranslated(site)
        let template = try site.object(try site.send("POST", "/v1/pages/{page}/incident_templates",
            form: IncidentTemplateAPITests.form([
                "template[name]=Down", "template[title]=Terganggu: {component}", "template[body]=x",
                "template[translations][en][title]=Down: {component}", "template[component_ids][]=\(passport)",
            ])))
        let id = try #require(template["id"] as? String)
        let posted = try site.send("POST", "/v1/pages/{page}/incidents", form: "incident[template_id]=\(id)")
        #expect(posted.status == 201, "\(posted.text)")
        #expect(try site.object(posted)["name"] as? String == "Terganggu: Layanan Paspor")
        #expect(try site.object(posted)["name_translations"] as? [String: String] == ["en": "Down: Passport service"])
    }
}

