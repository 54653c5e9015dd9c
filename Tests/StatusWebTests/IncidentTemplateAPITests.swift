import Foundation
import HTTPServer
import SQLite
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// Incident templates through the management API over real sockets, a real database and a
/// clock moved by hand: saved from form and JSON bodies as Statuspage clients send them,
/// refused with the offending field when a placeholder is unknown, and used by
/// `incident[template_id]` to post a bilingual incident in one request.
@Suite struct IncidentTemplateAPITests {
    typealias Site = CheckAPITests.Site

    /// The page starts at 2031-03-10 12:00 WIB (05:00Z).
    static let autogateTemplate = [
        "template[name]=Autogates down",
        "template[title]=Autogate tidak berfungsi: {component}",
        "template[body]=Autogate di {component} tidak berfungsi sejak {started}. Pembaruan berikutnya pukul {next_update}.",
        "template[translations][en][title]=Autogates out of service: {component}",
        "template[translations][en][body]=The autogates at {component} have been down since {started}. Next update by {next_update}.",
        "template[update_status]=identified",
        "template[should_send_notifications]=false",
        "template[group_id]=airport",
    ]

    static func form(_ fields: [String]) -> String {
        fields.map { field in
            let (name, value) = field.split(separator: "=", maxSplits: 1).map(String.init).pair
            return name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! + "="
                + value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        }.joined(separator: "&")
    }

    @Test func aTemplateIsSavedReadChangedAndDeleted() throws {
        let site = try Site()
        let component = site.component.id
        let created = try site.send("POST", "/v1/pages/{page}/incident_templates",
                                    form: Self.form(Self.autogateTemplate + ["template[component_ids][]=\(component)"]))
        #expect(created.status == 201, "\(created.text)")
        let template = try site.object(created)
        let id = try #require(template["id"] as? String)
        #expect(template["name"] as? String == "Autogates down")
        #expect(template["title"] as? String == "Autogate tidak berfungsi: {component}")
        #expect(template["update_status"] as? String == "identified")
        #expect(template["should_send_notifications"] as? Bool == false)
        #expect(template["should_tweet"] as? Bool == false)
        #expect(template["group_id"] as? String == "airport")
        #expect((template["components"] as? [[String: Any]])?.map { $0["id"] as? String } == [component])
        #expect(template["title_translations"] as? [String: String] == ["en": "Autogates out of service: {component}"])
        #expect(Array((template as NSDictionary).allKeys as! [String]).sorted() == [
            "body", "body_translations", "components", "created_at", "group_id", "id", "name", "page_id",
            "should_send_notifications", "should_tweet", "title", "title_translations", "update_status", "updated_at",
        ])
        #expect(try site.server.store.auditLog().first?.action == "incident_template.create")

        // A JSON body, as a generated Statuspage client sends it.
        let changed = try site.send("PATCH", "/v1/pages/{page}/incident_templates/\(id)",
                                    json: #"{"template": {"name": "Autogates down (T3)", "component_ids": []}}"#)
        #expect(changed.status == 200, "\(changed.text)")
        #expect(try site.object(changed)["name"] as? String == "Autogates down (T3)")
        #expect((try site.object(changed)["components"] as? [Any])?.isEmpty == true)
        #expect(try site.server.store.auditLog().first?.detailJSON == #"{"fields":["component_ids","name"]}"#)

        let listed = try site.send("GET", "/v1/pages/{page}/incident_templates")
        #expect(listed.status == 200)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(listed.body)) as? [[String: Any]])
        #expect(list.map { $0["id"] as? String } == [id])

        let deleted = try site.send("DELETE", "/v1/pages/{page}/incident_templates/\(id)")
        #expect(deleted.status == 200)
        #expect(try site.object(deleted)["id"] as? String == id)
        let gone = try site.send("GET", "/v1/pages/{page}/incident_templates/\(id)")
        #expect(gone.status == 404)
        #expect(gone.text.contains(#""field":"template_id""#))
    }

    @Test(arguments: [
        (["template[name]=A", "template[title]=Down: {componen}", "template[body]=x"], "template[title]",
         "{componen} is not a placeholder Warta fills in; use {component}, {next_update}, {started}."),
        (["template[name]=A", "template[title]=Down", "template[body]=Since {start_time}."], "template[body]",
         "{start_time} is not a placeholder Warta fills in; use {component}, {next_update}, {started}."),
        (["template[name]=A", "template[title]=Down", "template[body]=x", "template[translations][en][body]=At {Next_Update}"],
         "template[body_translations][en]",
         "{Next_Update} is not a placeholder Warta fills in; use {component}, {next_update}, {started}."),
        (["template[name]=A", "template[body]=x"], "template[title]", "template[title] is required."),
        (["template[name]=A", "template[title]=B", "template[body]=x", "template[update_status]=down"], "template[update_status]",
         "'down' is not an allowed value; use one of: investigating, identified, monitoring, resolved, postmortem, "
            + "scheduled, in_progress, verifying, completed."),
        (["template[name]=A", "template[title]=B", "template[body]=x", "template[component_ids][]=nosuchcompo"],
         "template[component_ids]", "There is no component with id 'nosuchcompo'."),
    ])
    func aBadTemplateIsRefusedNamingTheFieldAndChangesNothing(fields: [String], field: String, detail: String) throws {
        let site = try Site()
        let before = try site.dump()
        let refused = try site.send("POST", "/v1/pages/{page}/incident_templates", form: Self.form(fields))
        #expect(refused.status == 422)
        #expect(refused.header("Content-Type") == "application/problem+json")
        #expect(try site.object(refused)["field"] as? String == field)
        #expect(try site.object(refused)["detail"] as? String == detail)
        #expect(try site.dump() == before)
    }

    @Test func anIncidentIsPostedFromATemplateInBothLanguages() throws {
        let site = try Site()
        let template = try site.object(try site.send("POST", "/v1/pages/{page}/incident_templates",
            form: Self.form(Self.autogateTemplate + ["template[component_ids][]=\(site.component.id)"])))
        let templateID = try #require(template["id"] as? String)
        site.server.clock.advance(by: 7 * 60)  // 12:07 WIB

        let posted = try site.send("POST", "/v1/pages/{page}/incidents",
                                   form: "incident[template_id]=\(templateID)&incident[next_update_in]=30")
        #expect(posted.status == 201, "\(posted.text)")
        let incident = try site.object(posted)
        #expect(incident["name"] as? String == "Autogate tidak berfungsi: M-Paspor API")
        #expect(incident["name_translations"] as? [String: String] == ["en": "Autogates out of service: M-Paspor API"])
        #expect(incident["status"] as? String == "identified")
        let update = try #require((incident["incident_updates"] as? [[String: Any]])?.first)
        #expect(update["body"] as? String
                    == "Autogate di M-Paspor API tidak berfungsi sejak 12.07 WIB. Pembaruan berikutnya pukul 12.37 WIB.")
        #expect(update["body_translations"] as? [String: String] == [
            "en": "The autogates at M-Paspor API have been down since 12:07 WIB. Next update by 12:37 WIB.",
        ])
        #expect(update["deliver_notifications"] as? Bool == false)
        #expect((incident["components"] as? [[String: Any]])?.map { $0["id"] as? String } == [site.component.id])

        // Fields given explicitly win over the template's.
        let explicit = try site.send("POST", "/v1/pages/{page}/incidents", form: Self.form([
            "incident[template_id]=\(templateID)", "incident[next_update_in]=15", "incident[name]=Autogate T3",
            "incident[status]=investigating", "incident[deliver_notifications]=true",
        ]))
        #expect(explicit.status == 201, "\(explicit.text)")
        let second = try site.object(explicit)
        #expect(second["name"] as? String == "Autogate T3")
        #expect(second["status"] as? String == "investigating")
        #expect((second["incident_updates"] as? [[String: Any]])?.first?["body"] as? String
                    == "Autogate di M-Paspor API tidak berfungsi sejak 12.07 WIB. Pembaruan berikutnya pukul 12.22 WIB.")
    }

    @Test func anUpdateFromATemplateKeepsTheIncidentsComponentsAndStart() throws {
        let site = try Site()
        let restored = try site.object(try site.send("POST", "/v1/pages/{page}/incident_templates", form: Self.form([
            "template[name]=Restored", "template[title]=Layanan pulih", "template[body]={component} pulih; gangguan sejak {started}.",
            "template[translations][en][body]={component} restored; down since {started}.", "template[update_status]=resolved",
        ])))
        let opened = try site.object(try site.send("POST", "/v1/pages/{page}/incidents", form: Self.form([
            "incident[name]=Gangguan", "incident[components][\(site.component.id)]=major_outage",
        ])))
        let incidentID = try #require(opened["id"] as? String)
        site.server.clock.advance(by: 26 * 3_600)  // the next day, 14:00 WIB

        let patched = try site.send("PATCH", "/v1/pages/{page}/incidents/\(incidentID)", form: Self.form([
            "incident[template_id]=\(try #require(restored["id"] as? String))",
            "incident[components][\(site.component.id)]=operational",
        ]))
        #expect(patched.status == 200, "\(patched.text)")
        let incident = try site.object(patched)
        #expect(incident["status"] as? String == "resolved")
        #expect(incident["name"] as? String == "Layanan pulih")
        let update = try #require((incident["incident_updates"] as? [[String: Any]])?.first)
        #expect(update["body"] as? String == "M-Paspor API pulih; gangguan sejak 10 Mar 2031, 12.00 WIB.")
        #expect(update["body_translations"] as? [String: String] == ["en": "M-Paspor API restored; down since Mar 10, 2031, 12:00 WIB."])
        #expect((incident["components"] as? [[String: Any]])?.map { $0["id"] as? String } == [site.component.id])
        #expect(try site.server.store.component(id: site.component.id).status == .operational)
    }

    @Test func usingATemplateIsRefusedWhenItCannotBeFilledAndChangesNothing() throws {
        let site = try Site()
        let template = try site.object(try site.send("POST", "/v1/pages/{page}/incident_templates",
                                                     form: Self.form(Self.autogateTemplate)))
        let before = try site.dump()
        let unpromised = try site.send("POST", "/v1/pages/{page}/incidents",
                                       form: "incident[template_id]=\(try #require(template["id"] as? String))")
        #expect(unpromised.status == 422)
        #expect(try site.object(unpromised)["field"] as? String == "incident[next_update_in]")
        #expect(try site.object(unpromised)["detail"] as? String == "The template 'Autogates down' says when the next update "
                    + "comes ({next_update}): give incident[next_update_in] (minutes) or incident[next_update_at].")
        let unknown = try site.send("POST", "/v1/pages/{page}/incidents", form: "incident[template_id]=nosuchtempla")
        #expect(unknown.status == 422)
        #expect(try site.object(unknown)["field"] as? String == "incident[template_id]")
        #expect(try site.object(unknown)["detail"] as? String == "There is no incident template with id 'nosuchtempla'.")
        #expect(try site.dump() == before)
    }

    @Test func templatesBelongToThePageScopeAndAreUsedWithTheIncidentsScope() throws {
        let site = try Site()
        let template = try site.object(try site.send("POST", "/v1/pages/{page}/incident_templates",
                                                     form: Self.form(Self.autogateTemplate)))
        let now = site.server.clock.now()
        let duty = try site.server.store.createToken(name: "duty", scopes: [.incidents], by: PublicPagesTests.actor, now: now)
        let refused = try site.send("POST", "/v1/pages/{page}/incident_templates", form: Self.form(Self.autogateTemplate),
                                    token: duty)
        #expect(refused.status == 403)
        #expect(try site.object(refused)["detail"] as? String
                    == "This request needs a token with the scope page; this token holds only: incidents.")
        let posted = try site.send("POST", "/v1/pages/{page}/incidents",
                                   form: "incident[template_id]=\(try #require(template["id"] as? String))&incident[next_update_in]=30",
                                   token: duty)
        #expect(posted.status == 201, "\(posted.text)")
    }
}

private extension Array where Element == String {
    /// The two halves of a `name=value` split.
    var pair: (String, String) { (self[0], count > 1 ? self[1] : "") }
}
