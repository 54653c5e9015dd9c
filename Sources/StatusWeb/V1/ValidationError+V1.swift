import StatusCore

extension ValidationError.Field {
    /// The field as v1 clients write it: `incident[name]` (a form body's notation, which
    /// names a JSON body's member just as well), `incident[components][<id>]`,
    /// `page[header_links][0][url]`, or the path parameter (`incident_id`) naming a target
    /// that was not found.
    var v1Name: String {
        let root: String
        switch subject {
        case .page: root = "page"
        case .component: root = "component"
        case .componentGroup: root = "component_group"
        case .incident: root = "incident"
        case .incidentUpdate: root = "incident_update"
        case .subscriber: root = "subscriber"
        case .token: root = "token"
        case .check: root = "check"
        case .template: root = "template"
        }
        let member: String
        switch attribute {
        case .identity: return subject == .token ? "token_name" : root + "_id"
        case .headerLinkLabel: return "\(root)[header_links][\(key ?? "")][label]"
        case .headerLinkURL: return "\(root)[header_links][\(key ?? "")][url]"
        case .name: member = "name"
        case .nameTranslations: member = "name_translations"
        case .status: member = subject == .template ? "update_status" : "status"
        case .body: member = "body"
        case .bodyTranslations: member = "body_translations"
        case .descriptionTranslations: member = "description_translations"
        case .componentIDs: member = subject == .componentGroup ? "components" : "component_ids"
        case .componentStatus: member = "components"
        case .metadata: member = "metadata"
        case .scheduledFor: member = "scheduled_for"
        case .scheduledUntil: member = "scheduled_until"
        case .nextUpdateAt: member = "next_update_at"
        case .postmortemBody: member = "postmortem_body"
        case .group: member = "group_id"
        case .startDate: member = "start_date"
        case .url: member = "url"
        case .timeZone: member = "time_zone"
        case .defaultLanguage: member = "default_language"
        case .logoURL: member = "logo_url"
        case .accentColor: member = "accent_color"
        case .stylesheetURL: member = "stylesheet_url"
        case .headerLinks: member = "header_links"
        case .endpoint: member = "endpoint"
        case .events: member = "events"
        case .checksPublic: member = "checks_public"
        case .maxSilence: member = "max_silence"
        case .statementGrace: member = "statement_grace"
        case .kind: member = "type"
        case .method: member = "method"
        case .expectedStatuses: member = "expected_statuses"
        case .bodyContains: member = "body_contains"
        case .followRedirects: member = "follow_redirects"
        case .interval: member = "interval"
        case .timeout: member = "timeout"
        case .grace: member = "grace"
        case .failureThreshold: member = "failure_threshold"
        case .successThreshold: member = "success_threshold"
        case .email: member = "email"
        case .language: member = "language"
        case .component: member = "component_id"
        case .heartbeatSecret: return "secret"
        case .scopes: member = "scopes"
        case .expiresAt: member = "expires_at"
        case .title: member = "title"
        case .titleTranslations: member = "title_translations"
        }
        return "\(root)[\(member)]" + (key.map { "[\($0)]" } ?? "")
    }
}
