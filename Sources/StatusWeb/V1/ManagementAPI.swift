import Foundation
import Logging
import HTTPServer
import Outbound
import StatusCore

/// The management API under `/v1`: a compatible subset of Statuspage's v1, so existing
/// scripts and generated clients work by changing only the base URL. Every route needs a
/// token, and each declares here the scope it needs (`Authentication.Access`); every write runs through the `Publisher`, so its effect is in the public snapshot
/// before the response is sent.
///
/// Requests are decoded from JSON or forms (`RequestBody`), fields read with their v1 names
/// (`FieldReader`), and every failure is answered as `application/problem+json` naming the
/// offending field. The `.json` suffix is accepted on every path (`StatusRoutes` strips it).
enum ManagementAPI {
    static let log = Logger(label: "warta.api")

    ///
    /// `mailQueued` is called after a write queued mail for a subscriber (a confirmation), so
    /// the sender need not wait for its next round: such writes rebuild no snapshot, so the
    /// publisher's observers do not hear of them.
    static func register(on router: inout Router, publisher: Publisher, throttle: AuthenticationThrottle,
                         webhookDestinations: DestinationPolicy, diskFull: DiskFullState,
                         mailQueued: @escaping @Sendable () -> Void = {}) {
        let api = Handlers(publisher: publisher, throttle: throttle, webhookDestinations: webhookDestinations,
                           diskFull: diskFull, mailQueued: mailQueued)
        let page = "/v1/pages/{page_id}"
        router.add(.get, "/v1/pages") { request, _ in api.run(request, access: .anyToken) { try api.listPages($0) } }
        router.add(.get, page) { request, p in api.run(request, p, access: .anyToken) { try api.getPage($0) } }
        for method in [HTTPMethod.patch, .put] {
            router.add(method, page) { request, p in api.run(request, p, access: .scope(.page)) { try api.updatePage($0) } }
        }

        let incident = page + "/incidents/{incident_id}"
        addResource(to: &router, api, access: .scope(.incidents), collection: page + "/incidents", member: incident,
                    list: { try $0.listIncidents($1, .all) }, create: { try $0.createIncident($1) },
                    get: { try $0.getIncident($1) }, update: { try $0.updateIncident($1) },
                    delete: { try $0.deleteIncident($1) })
        for filter in [IncidentFilter.unresolved, .upcoming, .activeMaintenance, .scheduled] {
            router.add(.get, page + "/incidents/" + filter.rawValue) { request, p in
                api.run(request, p, access: .scope(.incidents)) { try api.listIncidents($0, filter) }
            }
        }
        for method in [HTTPMethod.patch, .put] {
            router.add(method, incident + "/incident_updates/{update_id}") { request, p in
                api.run(request, p, access: .scope(.incidents)) { try api.updateIncidentUpdate($0) }
            }
        }
        addResource(to: &router, api, access: .scope(.components), collection: page + "/components", member: page + "/components/{component_id}",
                    list: { try $0.listComponents($1) }, create: { try $0.createComponent($1) },
                    get: { try $0.getComponent($1) }, update: { try $0.updateComponent($1) },
                    delete: { try $0.deleteComponent($1) })
        addResource(to: &router, api, access: .scope(.components), collection: page + "/component-groups",
                    member: page + "/component-groups/{group_id}",
                    list: { try $0.listGroups($1) }, create: { try $0.createGroup($1) },
                    get: { try $0.getGroup($1) }, update: { try $0.updateGroup($1) },
                    delete: { try $0.deleteGroup($1) })
        registerSubscribers(on: &router, api, page: page)

        registerChecks(on: &router, api, page: page)
        registerTemplates(on: &router, api, page: page)

        router.add(.get, page + "/audit-log") { request, p in api.run(request, p, access: .scope(.page)) { try api.auditLog($0) } }
    }

    /// What one route does with an authenticated request.
    typealias Action = @Sendable (Handlers, Call) throws -> HTTPResponse

    /// One v1 resource: list (`GET`) and create (`POST`) on `collection`; read (`GET`),
    /// update (`PATCH`, and `PUT`, which Statuspage treats alike) and `DELETE` on `member`.
    static func addResource(to router: inout Router, _ api: Handlers, access: Authentication.Access,
                            collection: String, member: String,
                            list: @escaping Action, create: @escaping Action, get: @escaping Action,
                            update: @escaping Action, delete: @escaping Action) {
        let routes: [(HTTPMethod, String, Action)] = [
            (.get, collection, list), (.post, collection, create), (.get, member, get),
            (.patch, member, update), (.put, member, update), (.delete, member, delete),
        ]
        add(routes, to: &router, api, access: access)
    }

    /// Each route's action, run through `Handlers.run` (authentication, scope, errors).
    static func add(_ routes: [(HTTPMethod, String, Action)], to router: inout Router, _ api: Handlers,
                    access: Authentication.Access) {
        for (method, path, action) in routes {
            router.add(method, path) { request, parameters in
                api.run(request, parameters, access: access) { try action(api, $0) }
            }
        }
    }

    /// One authenticated request: who, when, what was asked.
    struct Call {
        let request: HTTPRequest
        let parameters: Router.Parameters
        let actor: Actor
        let now: Date

        func parameter(_ name: String) -> String { parameters[name] ?? "" }
    }

    struct Handlers: Sendable {
        let publisher: Publisher
        let throttle: AuthenticationThrottle
        let webhookDestinations: DestinationPolicy
        let diskFull: DiskFullState
        let mailQueued: @Sendable () -> Void
        var store: Store { publisher.store }

        /// Runs `handler` off the event loop: authenticates, checks the token holds what
        /// `access` asks, checks the page id, maps every error to a problem document at this
        /// one boundary.
        func run(_ request: HTTPRequest, _ parameters: Router.Parameters = Router.Parameters(),
                 access: Authentication.Access, _ handler: @escaping @Sendable (Call) throws -> HTTPResponse) -> HTTPReply {
            .blocking {
                do {
                    let now = publisher.clock.now()
                    let address = request.remoteAddress
                    if let seconds = throttle.retryAfter(address) {
                        throw APIError(.tooManyRequests,
                                       "Too many failed authentications from this address; try again in \(seconds) s.",
                                       headers: [.retryAfter: String(seconds)])
                    }
                    let actor: Actor
                    do {
                        actor = try Authentication.actor(for: request, access: access, store: store, now: now)
                    } catch let error as APIError {
                        if error.status == .unauthorized { throttle.recordFailure(address) }
                        throw error
                    }
                    if let pageID = parameters["page_id"] {
                        let page = try store.page()
                        guard pageID == page.id else {
                            throw APIError(.notFound, "There is no page \(pageID); this server's page is \(page.id).", field: "page_id")
                        }
                    }
                    let response = try handler(Call(request: request, parameters: parameters, actor: actor, now: now))
                    if request.method != .get && request.method != .head {
                        ManagementAPI.log.info("write", metadata: [
                            "request_id": "\(request.id)", "actor": "\(actor.tokenName)", "remote": "\(address)",
                            "method": "\(request.method.rawValue)", "path": "\(request.path)",
                            "status": "\(response.status.code)",
                        ])
                        diskFull.recordSuccessfulWrite()
                    }
                    return response
                } catch let error as APIError {
                    return error.response
                } catch let error as ValidationError {
                    return APIError(error.kind == .notFound ? .notFound : .unprocessableContent,
                                    error.message, field: error.field.v1Name).response
                } catch where DiskFullState.isDiskFull(error) {
                    diskFull.recordRefusedWrite()
                    ManagementAPI.log.critical("write refused: the database's disk is full", metadata: [
                        "request_id": "\(request.id)", "path": "\(request.path)", "error": "\(error)",
                    ])
                    return APIError.diskFull.response
                } catch {
                    ManagementAPI.log.error("request failed", metadata: [
                        "request_id": "\(request.id)", "path": "\(request.path)", "error": "\(error)",
                    ])
                    return APIError(.internalServerError, "The request could not be completed.").response
                }
            }
        }

        func representation(now: Date) throws -> V1Representation {
            V1Representation(page: try store.page(), components: try store.components(), now: now)
        }

        /// `item` as v1 writes it (`write`: one of `V1Representation`'s writers), at the
        /// call's time.
        func respond<Item>(_ call: Call, _ item: Item, _ write: (V1Representation) -> (Item, inout JSONWriter) -> Void,
                           status: HTTPStatus = .ok) throws -> HTTPResponse {
            let v1 = try representation(now: call.now)
            return v1.response(status) { write(v1)(item, &$0) }
        }

        /// `items` as a bare v1 array.
        func respondList<Items: Sequence>(
            _ call: Call, _ items: Items, _ write: (V1Representation) -> (Items.Element, inout JSONWriter) -> Void
        ) throws -> HTTPResponse {
            let v1 = try representation(now: call.now)
            return v1.list(items) { write(v1)($0, &$1) }
        }

        // MARK: Pages

        func listPages(_ call: Call) throws -> HTTPResponse {
            let v1 = try representation(now: call.now)
            return v1.response { writer in
                writer.beginArray()
                v1.writePage(&writer)
                writer.endArray()
            }
        }

        func getPage(_ call: Call) throws -> HTTPResponse {
            let v1 = try representation(now: call.now)
            return v1.response { v1.writePage(&$0) }
        }

        func updatePage(_ call: Call) throws -> HTTPResponse {
            let fields = try Self.fields(call.request, root: "page")
            var patch = PagePatch()
            patch.name = try fields.string("name")
            patch.url = try fields.string("url")
            patch.timeZone = try fields.string("time_zone")
            patch.defaultLanguage = try fields.string("default_language")
            patch.logoURL = Self.patch(try fields.nullableString("logo_url"))
            patch.accentColor = Self.patch(try fields.nullableString("accent_color"))
            patch.stylesheetURL = Self.patch(try fields.nullableString("stylesheet_url"))
            if fields.has("header_links") { patch.headerLinks = try Self.headerLinks(fields) }
            patch.checksPublic = try fields.bool("checks_public")
            patch.maxSilence = try fields.int("max_silence")
            patch.statementGrace = try fields.int("statement_grace")
            _ = try publisher.write { store, now in try store.updatePage(patch, by: call.actor, now: now) }
            let v1 = try representation(now: call.now)
            return v1.response { v1.writePage(&$0) }
        }

        // MARK: Incidents

        func listIncidents(_ call: Call, _ filter: IncidentFilter) throws -> HTTPResponse {
            let (limit, page) = try Self.paging(call.request, sizeName: "limit")
            let incidents = try store.incidents(filter, query: call.request.queryValue("q"), limit: limit, page: page)
            return try respondList(call, incidents, V1Representation.writeIncident)
        }

        func getIncident(_ call: Call) throws -> HTTPResponse {
            let incident = try store.incident(id: call.parameter("incident_id"))
            return try respond(call, incident, V1Representation.writeIncident)
        }

        func createIncident(_ call: Call) throws -> HTTPResponse {
            let fields = try Self.fields(call.request, root: "incident")
            let patch = try applyingTemplate(fields, to: Self.incidentPatch(fields, now: call.now), updating: nil, now: call.now)
            guard let name = patch.name else {
                throw APIError.invalid("incident[name]", "incident[name] is required.")
            }
            // A new incident is the patch of nothing: the same fields, v1's defaults for the rest.
            let draft = IncidentDraft(
                name: name, nameTranslations: patch.nameTranslations ?? [:], status: patch.status,
                body: patch.body ?? "", bodyTranslations: patch.bodyTranslations ?? [:],
                impactOverride: patch.impactOverride.applied(to: nil), componentIDs: patch.componentIDs ?? [],
                components: patch.components, deliverNotifications: patch.deliverNotifications ?? true,
                scheduledFor: patch.scheduledFor, scheduledUntil: patch.scheduledUntil,
                scheduledAutoInProgress: patch.scheduledAutoInProgress ?? false,
                scheduledAutoCompleted: patch.scheduledAutoCompleted ?? false,
                autoTransitionToMaintenanceState: patch.autoTransitionToMaintenanceState ?? false,
                autoTransitionToOperationalState: patch.autoTransitionToOperationalState ?? false,
                scheduledRemindPrior: patch.scheduledRemindPrior ?? false,
                metadataJSON: patch.metadataJSON ?? "{}", nextUpdateAt: patch.nextUpdateAt)
            let incident = try publisher.write { store, now in try store.createIncident(draft, by: call.actor, now: now) }
            return try respond(call, incident, V1Representation.writeIncident, status: .created)
        }

        func updateIncident(_ call: Call) throws -> HTTPResponse {
            let fields = try Self.fields(call.request, root: "incident")
            let id = call.parameter("incident_id")
            let patch = try applyingTemplate(fields, to: Self.incidentPatch(fields, now: call.now),
                                             updating: fields.has("template_id") ? store.incident(id: id) : nil, now: call.now)
            let incident = try publisher.write { store, now in try store.updateIncident(id: id, patch, by: call.actor, now: now) }
            return try respond(call, incident, V1Representation.writeIncident)
        }

        /// Every field of an `incident` body, for a create or an update.
        static func incidentPatch(_ fields: FieldReader, now: Date) throws -> IncidentPatch {
            var patch = IncidentPatch()
            patch.name = try fields.string("name")
            patch.status = try decode(IncidentStatus.self, fields, "status")
            patch.body = try fields.string("body")
            if let override = try fields.nullableString("impact_override") {
                patch.impactOverride = try override.map {
                    .set(try decode(Impact.self, from: $0, field: fields.name("impact_override")))
                } ?? .clear
            }
            patch.componentIDs = try fields.stringArray("component_ids")
            patch.components = try componentStatuses(fields)
            patch.deliverNotifications = try fields.bool("deliver_notifications")
            patch.scheduledFor = try fields.date("scheduled_for") ?? nil
            patch.scheduledUntil = try fields.date("scheduled_until") ?? nil
            patch.scheduledAutoInProgress = try fields.bool("scheduled_auto_in_progress")
            patch.scheduledAutoCompleted = try fields.bool("scheduled_auto_completed")
            patch.autoTransitionToMaintenanceState = try fields.bool("auto_transition_to_maintenance_state")
            patch.autoTransitionToOperationalState = try fields.bool("auto_transition_to_operational_state")
            patch.scheduledRemindPrior = try fields.bool("scheduled_remind_prior")
            patch.metadataJSON = try metadata(fields)
            patch.nextUpdateAt = try nextUpdate(fields, now: now)
            patch.postmortemBody = Self.patch(try fields.nullableString("postmortem_body"))
            let translations = try translations(fields)
            if !translations.names.isEmpty { patch.nameTranslations = translations.names }
            if !translations.bodies.isEmpty { patch.bodyTranslations = translations.bodies }
            return patch
        }

        func deleteIncident(_ call: Call) throws -> HTTPResponse {
            let id = call.parameter("incident_id")
            let incident = try store.incident(id: id)
            try publisher.write { store, now in try store.deleteIncident(id: id, by: call.actor, now: now) }
            return try respond(call, incident, V1Representation.writeIncident)
        }

        func updateIncidentUpdate(_ call: Call) throws -> HTTPResponse {
            let fields = try Self.fields(call.request, root: "incident_update")
            var patch = IncidentUpdatePatch()
            patch.body = try fields.string("body")
            patch.displayAt = try fields.date("display_at") ?? nil
            patch.deliverNotifications = try fields.bool("deliver_notifications")
            if let translations = try fields.nested("translations") {
                var bodies: [String: String] = [:]
                for language in translations.fieldNames {
                    guard let entry = try translations.nested(language) else { continue }
                    if let body = try entry.string("body") { bodies[language] = body }
                }
                patch.bodyTranslations = bodies
            }
            let (incidentID, updateID) = (call.parameter("incident_id"), call.parameter("update_id"))
            let update = try publisher.write { store, now in
                try store.updateIncidentUpdate(incidentID: incidentID, updateID: updateID, patch, by: call.actor, now: now)
            }
            return try respond(call, update, V1Representation.writeUpdate)
        }

        // MARK: Components

        func listComponents(_ call: Call) throws -> HTTPResponse {
            let components = try Self.perPage(store.components(), call.request)
            return try respondList(call, components, V1Representation.writeComponent)
        }

        func getComponent(_ call: Call) throws -> HTTPResponse {
            let component = try store.component(id: call.parameter("component_id"))
            return try respond(call, component, V1Representation.writeComponent)
        }

        func createComponent(_ call: Call) throws -> HTTPResponse {
            let fields = try Self.fields(call.request, root: "component")
            guard let name = try fields.string("name") else {
                throw APIError.invalid("component[name]", "component[name] is required.")
            }
            var draft = ComponentDraft(name: name)
            draft.description = try fields.nullableString("description") ?? nil
            draft.status = try Self.decode(ComponentStatus.self, fields, "status") ?? .operational
            draft.groupID = try fields.nullableString("group_id") ?? nil
            draft.showcase = try fields.bool("showcase") ?? true
            draft.onlyShowIfDegraded = try fields.bool("only_show_if_degraded") ?? false
            draft.startDate = try fields.nullableString("start_date") ?? nil
            let translations = try Self.nameTranslations(fields)
            draft.nameTranslations = translations.names ?? [:]
            draft.descriptionTranslations = translations.descriptions ?? [:]
            let component = try publisher.write { store, now in try store.createComponent(draft, by: call.actor, now: now) }
            return try respond(call, component, V1Representation.writeComponent, status: .created)
        }

        func updateComponent(_ call: Call) throws -> HTTPResponse {
            let fields = try Self.fields(call.request, root: "component")
            var patch = ComponentPatch()
            patch.name = try fields.string("name")
            patch.description = Self.patch(try fields.nullableString("description"))
            patch.status = try Self.decode(ComponentStatus.self, fields, "status")
            patch.groupID = Self.patch(try fields.nullableString("group_id"))
            patch.showcase = try fields.bool("showcase")
            patch.onlyShowIfDegraded = try fields.bool("only_show_if_degraded")
            patch.startDate = Self.patch(try fields.nullableString("start_date"))
            (patch.nameTranslations, patch.descriptionTranslations) = try Self.nameTranslations(fields)
            let id = call.parameter("component_id")
            let component = try publisher.write { store, now in try store.updateComponent(id: id, patch, by: call.actor, now: now) }
            return try respond(call, component, V1Representation.writeComponent)
        }

        func deleteComponent(_ call: Call) throws -> HTTPResponse {
            let id = call.parameter("component_id")
            try publisher.write { store, now in try store.deleteComponent(id: id, by: call.actor, now: now) }
            return HTTPResponse(status: .noContent)
        }

        // MARK: Component groups

        func listGroups(_ call: Call) throws -> HTTPResponse {
            let groups = try Self.perPage(store.componentGroups(), call.request)
            return try respondList(call, groups, V1Representation.writeGroup)
        }

        func getGroup(_ call: Call) throws -> HTTPResponse {
            let group = try store.componentGroup(id: call.parameter("group_id"))
            return try respond(call, group, V1Representation.writeGroup)
        }

        /// Statuspage's body is `{"component_group": {"name", "components": [ids]}, "description"}`;
        /// `description` is also accepted inside `component_group`.
        func createGroup(_ call: Call) throws -> HTTPResponse {
            let (fields, description) = try Self.groupFields(call.request)
            guard let name = try fields.string("name") else {
                throw APIError.invalid("component_group[name]", "component_group[name] is required.")
            }
            var draft = ComponentGroupDraft(name: name, description: description ?? nil,
                                            componentIDs: try fields.stringArray("components") ?? [])
            let translations = try Self.nameTranslations(fields)
            draft.nameTranslations = translations.names ?? [:]
            draft.descriptionTranslations = translations.descriptions ?? [:]
            let group = try publisher.write { store, now in try store.createComponentGroup(draft, by: call.actor, now: now) }
            return try respond(call, group, V1Representation.writeGroup, status: .created)
        }

        func updateGroup(_ call: Call) throws -> HTTPResponse {
            let (fields, description) = try Self.groupFields(call.request)
            var patch = ComponentGroupPatch(name: try fields.string("name"), description: Self.patch(description),
                                            componentIDs: try fields.stringArray("components"))
            (patch.nameTranslations, patch.descriptionTranslations) = try Self.nameTranslations(fields)
            let id = call.parameter("group_id")
            let group = try publisher.write { store, now in try store.updateComponentGroup(id: id, patch, by: call.actor, now: now) }
            return try respond(call, group, V1Representation.writeGroup)
        }

        func deleteGroup(_ call: Call) throws -> HTTPResponse {
            let id = call.parameter("group_id")
            try publisher.write { store, now in try store.deleteComponentGroup(id: id, by: call.actor, now: now) }
            return HTTPResponse(status: .noContent)
        }

        // MARK: Audit log

        func auditLog(_ call: Call) throws -> HTTPResponse {
            let (limit, page) = try Self.paging(call.request, sizeName: "per_page")
            let entries = try store.auditLog(limit: limit, page: page)
            return try respondList(call, entries, V1Representation.writeAuditEntry)
        }

        // MARK: Reading requests

        /// The body's `root` object; an empty object when the body has none (a PATCH may
        /// change nothing but still needs a valid body).
        static func fields(_ request: HTTPRequest, root: String) throws -> FieldReader {
            let body = try RequestBody.decode(request)
            guard case .object = body else {
                throw APIError(.badRequest, "The body must be an object like {\"\(root)\": {...}}.")
            }
            return try FieldReader(body, root: root) ?? FieldReader(members: [], path: root)
        }

        static func groupFields(_ request: HTTPRequest) throws -> (FieldReader, String??) {
            let body = try RequestBody.decode(request)
            let fields = try FieldReader(body, root: "component_group") ?? FieldReader(members: [], path: "component_group")
            if let inner = try fields.nullableString("description") { return (fields, inner) }
            let outer = try FieldReader(members: { if case .object(let m) = body { return m }; return [] }(), path: "")
                .nullableString("description")
            return (fields, outer)
        }

        static func decode<Value: RawRepresentable & CaseIterable>(
            _ type: Value.Type, _ fields: FieldReader, _ field: String
        ) throws -> Value? where Value.RawValue == String {
            guard let text = try fields.string(field) else { return nil }
            return try decode(type, from: text, field: fields.name(field))
        }

        /// A Statuspage enum string; an unknown one is refused listing every allowed value.
        static func decode<Value: RawRepresentable & CaseIterable>(
            _ type: Value.Type, from text: String, field: String
        ) throws(APIError) -> Value where Value.RawValue == String {
            guard let value = Value(rawValue: text) else {
                throw .invalid(field, ValidationError.unknownValueMessage(text, allowed: Value.allCases.map(\.rawValue)))
            }
            return value
        }

        /// `components[<id>] = <status>`.
        static func componentStatuses(_ fields: FieldReader) throws -> [String: ComponentStatus] {
            var statuses: [String: ComponentStatus] = [:]
            for (id, text) in try fields.stringMap("components") ?? [] {
                statuses[id] = try decode(ComponentStatus.self, from: text,
                                                          field: "\(fields.name("components"))[\(id)]")
            }
            return statuses
        }

        /// `next_update_at` (ISO 8601) or `next_update_in` (minutes from now): the promise.
        static func nextUpdate(_ fields: FieldReader, now: Date) throws -> Date? {
            if let minutes = try fields.int("next_update_in") {
                guard (1...10_080).contains(minutes) else {
                    throw APIError.invalid(fields.name("next_update_in"),
                        "\(fields.name("next_update_in")) must be between 1 and 10080 minutes.")
                }
                return now.addingTimeInterval(Double(minutes) * 60)
            }
            guard let date = try fields.date("next_update_at") ?? nil else { return nil }
            guard date > now else {
                throw APIError.invalid(fields.name("next_update_at"), "\(fields.name("next_update_at")) must be in the future.")
            }
            return date
        }

        /// `translations[<lang>][name]` and `translations[<lang>][body]` (a template's
        /// `nameKey` is `title`).
        static func translations(_ fields: FieldReader, nameKey: String = "name") throws
            -> (names: [String: String], bodies: [String: String]) {
            guard let translations = try fields.nested("translations") else { return ([:], [:]) }
            var names: [String: String] = [:], bodies: [String: String] = [:]
            for language in translations.fieldNames {
                guard let entry = try translations.nested(language) else { continue }
                if let name = try entry.string(nameKey) { names[language] = name }
                if let body = try entry.string("body") { bodies[language] = body }
            }
            return (names, bodies)
        }

        /// `translations[<lang>][name]` and `translations[<lang>][description]` of a component or
        /// group. Each is nil when no language gives it, so a patch leaves it as it is; given,
        /// it replaces the stored ones (an empty text removes that language's).
        static func nameTranslations(_ fields: FieldReader) throws
            -> (names: [String: String]?, descriptions: [String: String]?) {
            guard let translations = try fields.nested("translations") else { return (nil, nil) }
            var names: [String: String]?, descriptions: [String: String]?
            for language in translations.fieldNames {
                guard let entry = try translations.nested(language) else { continue }
                if let name = try entry.string("name") { names = (names ?? [:]).merging([language: name]) { $1 } }
                if let description = try entry.string("description") {
                    descriptions = (descriptions ?? [:]).merging([language: description]) { $1 }
                }
            }
            return (names, descriptions)
        }

        /// `metadata` as JSON text: a JSON object as sent, or a form's bracketed strings.
        static func metadata(_ fields: FieldReader) throws -> String? {
            guard let value = fields.value("metadata") else { return nil }
            guard case .object = value else {
                throw APIError.invalid(fields.name("metadata"), "\(fields.name("metadata")) must be an object.")
            }
            return value.jsonText
        }

        static func headerLinks(_ fields: FieldReader) throws -> [Page.HeaderLink] {
            guard case .array(let elements)? = fields.value("header_links") else {
                throw APIError.invalid(fields.name("header_links"), "\(fields.name("header_links")) must be a list of {label, url}.")
            }
            return try elements.map { element in
                guard case .object(let members) = element else {
                    throw APIError.invalid(fields.name("header_links"), "\(fields.name("header_links")) must be a list of {label, url}.")
                }
                let link = FieldReader(members: members, path: fields.name("header_links"))
                guard let label = try link.string("label"), let url = try link.string("url") else {
                    throw APIError.invalid(fields.name("header_links"), "Each header link needs a label and a url.")
                }
                return Page.HeaderLink(label: label, url: url)
            }
        }

        static func paging(_ request: HTTPRequest, sizeName: String) throws -> (size: Int, page: Int) {
            func number(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
                guard let text = request.queryValue(name) else { return value }
                guard let number = Int(text), range.contains(number) else {
                    throw APIError.invalid(name, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
                }
                return number
            }
            return (try number(sizeName, default: 100, range: 1...100), try number("page", default: 1, range: 1...100_000))
        }

        /// The `page`-th run of `per_page` items (v1's paging of short lists, read whole).
        static func perPage<Items: Collection>(_ items: Items, _ request: HTTPRequest) throws -> Items.SubSequence {
            let (size, page) = try paging(request, sizeName: "per_page")
            return items.dropFirst((page - 1) * size).prefix(size)
        }

        static func patch(_ value: String??) -> Patch<String> {
            switch value {
            case nil: return .unchanged
            case .some(nil): return .clear
            case .some(.some(let text)): return .set(text)
            }
        }
    }
}
