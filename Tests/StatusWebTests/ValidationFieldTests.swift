import StatusCore
import Testing
@testable import StatusWeb

/// The domain names the field that failed; v1 spells it exactly as its clients write it.
@Suite struct ValidationFieldTests {
    static let spellings: [(ValidationError.Field, String)] = [
        (.incident(.name), "incident[name]"),
        (.incident(.nameTranslations), "incident[name_translations]"),
        (.incident(.nameTranslations, key: "en"), "incident[name_translations][en]"),
        (ValidationError.Field(.component, .nameTranslations, key: "en"), "component[name_translations][en]"),
        (ValidationError.Field(.componentGroup, .descriptionTranslations, key: "en"),
         "component_group[description_translations][en]"),
        (.incident(.status), "incident[status]"),
        (.incident(.body), "incident[body]"),
        (.incident(.bodyTranslations, key: "id"), "incident[body_translations][id]"),
        (.incident(.componentIDs), "incident[component_ids]"),
        (.incident(.componentStatus, key: "k3x9abcdefgh"), "incident[components][k3x9abcdefgh]"),
        (.incident(.metadata), "incident[metadata]"),
        (.incident(.scheduledFor), "incident[scheduled_for]"),
        (.incident(.scheduledUntil), "incident[scheduled_until]"),
        (.incident(.nextUpdateAt), "incident[next_update_at]"),
        (.incident(.postmortemBody), "incident[postmortem_body]"),
        (.incident(.identity), "incident_id"),
        (.incidentUpdate(.body), "incident_update[body]"),
        (.incidentUpdate(.bodyTranslations), "incident_update[body_translations]"),
        (.incidentUpdate(.identity), "incident_update_id"),
        (.component(.name), "component[name]"),
        (.component(.group), "component[group_id]"),
        (.component(.startDate), "component[start_date]"),
        (.component(.identity), "component_id"),
        (.componentGroup(.name), "component_group[name]"),
        (.componentGroup(.componentIDs), "component_group[components]"),
        (.componentGroup(.identity), "component_group_id"),
        (.page(.name), "page[name]"),
        (.page(.url), "page[url]"),
        (.page(.timeZone), "page[time_zone]"),
        (.page(.defaultLanguage), "page[default_language]"),
        (.page(.logoURL), "page[logo_url]"),
        (.page(.accentColor), "page[accent_color]"),
        (.page(.stylesheetURL), "page[stylesheet_url]"),
        (.page(.headerLinks), "page[header_links]"),
        (.page(.headerLinkLabel, key: "0"), "page[header_links][0][label]"),
        (.page(.headerLinkURL, key: "1"), "page[header_links][1][url]"),
        (.subscriber(.endpoint), "subscriber[endpoint]"),
        (.subscriber(.identity), "subscriber_id"),
        (.token(.name), "token[name]"),
        (.token(.identity), "token_name"),
        (.subscriber(.events), "subscriber[events]"),
        (.subscriber(.email), "subscriber[email]"),
        (.subscriber(.language), "subscriber[language]"),
        (.subscriber(.componentIDs), "subscriber[component_ids]"),
        (.page(.checksPublic), "page[checks_public]"),
        (.page(.maxSilence), "page[max_silence]"),
        (.page(.statementGrace), "page[statement_grace]"),
        (.check(.name), "check[name]"),
        (.check(.kind), "check[type]"),
        (.check(.component), "check[component_id]"),
        (.check(.url), "check[url]"),
        (.check(.method), "check[method]"),
        (.check(.expectedStatuses), "check[expected_statuses]"),
        (.check(.bodyContains), "check[body_contains]"),
        (.check(.followRedirects), "check[follow_redirects]"),
        (.check(.interval), "check[interval]"),
        (.check(.timeout), "check[timeout]"),
        (.check(.grace), "check[grace]"),
        (.check(.failureThreshold), "check[failure_threshold]"),
        (.check(.successThreshold), "check[success_threshold]"),
        (.check(.identity), "check_id"),
        (.check(.heartbeatSecret), "secret"),
        (.token(.scopes), "token[scopes]"),
        (.token(.expiresAt), "token[expires_at]"),
        (.template(.title), "template[title]"),
        (.template(.titleTranslations, key: "en"), "template[title_translations][en]"),
        (.template(.status), "template[update_status]"),
        (.template(.identity), "template_id"),
    ]

    @Test(arguments: spellings)
    func v1SpellsTheFieldAsClientsWriteIt(field: ValidationError.Field, name: String) {
        #expect(field.v1Name == name)
    }

    @Test func everyAttributeHasASpelling() {
        // A new attribute must get a spelling here (and so a decision about its wire name).
        let spelled = Set(Self.spellings.map(\.0.attribute))
        #expect(spelled == Set(ValidationError.Field.Attribute.allCases))
    }

    @Test func anUnknownEnumValueNamesTheWireFieldAndTheAllowedValues() throws {
        let error = #expect(throws: APIError.self) {
            try ManagementAPI.Handlers.decode(ComponentStatus.self, from: "down", field: "component[status]")
        }
        #expect(error == APIError(.unprocessableContent,
                                  "'down' is not an allowed value; use one of: operational, under_maintenance, "
                                      + "degraded_performance, partial_outage, major_outage.",
                                  field: "component[status]"))
        #expect(try ManagementAPI.Handlers.decode(Impact.self, from: "critical", field: "incident[impact_override]") == .critical)
    }
}
