import Foundation
import HTTPServer
import StatusCore

// Automatic checks, a Warta extension of v1: `POST /v1/pages/{page_id}/checks` with
// `{"check": {"name", "component_id", "type": "http", "url": "https://..."}}` (or
// `check[name]=...` form fields) creates one; GET lists or shows them with their verdict and
// what each location saw last; PATCH/PUT changes one, DELETE removes it. Remote probers
// (`warta probe`) report to `POST .../checks/{check_id}/results`. A heartbeat check's URL,
// `/heartbeat/{secret}`, is the one route without a token: its secret is the credential.

extension ManagementAPI {
    static func registerChecks(on router: inout Router, _ api: Handlers, page: String) {
        let check = page + "/checks/{check_id}"
        addResource(to: &router, api, access: .scope(.checks), collection: page + "/checks", member: check,
                    list: { try $0.listChecks($1) }, create: { try $0.createCheck($1) },
                    get: { try $0.getCheck($1) }, update: { try $0.updateCheck($1) },
                    delete: { try $0.deleteCheck($1) })
        router.add(.post, check + "/results") { request, p in api.run(request, p, access: .scope(.checks)) { try api.recordResult($0) } }
        for method in [HTTPMethod.get, .post] {
            router.add(method, "/heartbeat/{secret}") { request, p in api.beat(request, secret: p["secret"] ?? "") }
        }
    }
}

extension ManagementAPI.Handlers {
    func listChecks(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let statuses = try Self.perPage(store.checkStatuses(now: call.now), call.request)
        let reports = try store.checkLocationReports()
        let v1 = try checkRepresentation(now: call.now)
        return v1.list(statuses) { v1.writeCheck($0, reports: reports[$0.check.id] ?? [], &$1) }
    }

    func getCheck(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        try respondCheck(call, id: call.parameter("check_id"))
    }

    func createCheck(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let fields = try Self.fields(call.request, root: "check")
        guard let name = try fields.string("name") else { throw APIError.invalid("check[name]", "check[name] is required.") }
        guard let componentID = try fields.string("component_id") else {
            throw APIError.invalid("check[component_id]", "check[component_id], the component the check watches, is required.")
        }
        guard let kind = try Self.decode(Check.Kind.self, fields, "type") else {
            throw APIError.invalid("check[type]", "check[type] is required: http, tcp or heartbeat.")
        }
        var draft = CheckDraft(name: name, componentID: componentID, kind: kind, url: try fields.string("url"))
        draft.method = try Self.decode(Check.Method.self, fields, "method") ?? .GET
        draft.expectedStatuses = try Self.statusCodes(fields) ?? []
        draft.bodyContains = try fields.nullableString("body_contains") ?? nil
        draft.followRedirects = try fields.bool("follow_redirects") ?? false
        draft.interval = try fields.int("interval")
        draft.timeout = try fields.int("timeout")
        draft.grace = try Self.nullableInt(fields, "grace") ?? nil
        draft.failureThreshold = try fields.int("failure_threshold")
        draft.successThreshold = try fields.int("success_threshold")
        let (check, secret) = try publisher.write { store, now in try store.createCheck(draft, by: call.actor, now: now) }
        let status = try store.checkStatus(id: check.id, now: call.now)
        let base = StatusRoutes.baseURL(try store.page(), call.request)
        let heartbeatURL = secret.map { base + "/heartbeat/" + $0 }
        let v1 = try checkRepresentation(now: call.now)
        return v1.response(.created) { v1.writeCheck(status, reports: [], heartbeatURL: heartbeatURL, &$0) }
    }

    func updateCheck(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let fields = try Self.fields(call.request, root: "check")
        if fields.has("type") {
            let id = call.parameter("check_id")
            let current = try store.check(id: id)
            if try Self.decode(Check.Kind.self, fields, "type") != current.kind {
                throw APIError.invalid("check[type]", "A check's type cannot change; create a new check instead.")
            }
        }
        var patch = CheckPatch()
        patch.name = try fields.string("name")
        patch.componentID = try fields.string("component_id")
        patch.url = try fields.string("url")
        patch.method = try Self.decode(Check.Method.self, fields, "method")
        patch.expectedStatuses = try Self.statusCodes(fields)
        patch.bodyContains = Self.patch(try fields.nullableString("body_contains"))
        patch.followRedirects = try fields.bool("follow_redirects")
        patch.interval = try fields.int("interval")
        patch.timeout = try fields.int("timeout")
        switch try Self.nullableInt(fields, "grace") {
        case nil: break
        case .some(nil): patch.grace = .clear
        case .some(.some(let seconds)): patch.grace = .set(seconds)
        }
        patch.failureThreshold = try fields.int("failure_threshold")
        patch.successThreshold = try fields.int("success_threshold")
        let id = call.parameter("check_id")
        _ = try publisher.write { store, now in try store.updateCheck(id: id, patch, by: call.actor, now: now) }
        return try respondCheck(call, id: id)
    }

    /// Answers the check as it was, as deleting an incident or a subscriber does.
    func deleteCheck(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let id = call.parameter("check_id")
        let status = try store.checkStatus(id: id, now: call.now)
        let reports = try store.checkLocations(id: id)
        try publisher.write { store, now in _ = try store.deleteCheck(id: id, by: call.actor, now: now) }
        let v1 = try checkRepresentation(now: call.now)
        return v1.response { v1.writeCheck(status, reports: reports, &$0) }
    }

    /// A remote location's result: `{"result": {"location", "outcome", "latency_ms",
    /// "detail"}}`. It is dated by this server's clock, not the prober's: a location's
    /// silence is measured against the same clock as its reports.
    func recordResult(_ call: ManagementAPI.Call) throws -> HTTPResponse {
        let fields = try Self.fields(call.request, root: "result")
        guard let location = try fields.string("location") else {
            throw APIError.invalid("result[location]", "result[location], the prober's name, is required.")
        }
        try Self.validateLocation(location)
        guard let outcome = try fields.string("outcome") else {
            throw APIError.invalid("result[outcome]", "result[outcome] is required: success, failure or inconclusive.")
        }
        let probeOutcome: ProbeOutcome
        switch outcome {
        case "success": probeOutcome = .success
        case "failure": probeOutcome = .failure
        case "inconclusive": probeOutcome = .inconclusive
        default:
            throw APIError.invalid("result[outcome]", ValidationError.unknownValueMessage(
                outcome, allowed: ["success", "failure", "inconclusive"]))
        }
        let latency = try fields.int("latency_ms")
        if let latency, !(0...3_600_000).contains(latency) {
            throw APIError.invalid("result[latency_ms]", "result[latency_ms] must be from 0 to 3600000, not \(latency).")
        }
        let detail = try fields.nullableString("detail") ?? nil
        if let detail, detail.count > 500 {
            throw APIError.invalid("result[detail]", "result[detail] must be at most 500 characters.")
        }
        let id = call.parameter("check_id")
        _ = try store.check(id: id)
        let report = ProbeReport(outcome: probeOutcome, at: call.now, latencyMilliseconds: latency, detail: detail)
        try publisher.recordCheckResults([CheckResult(checkID: id, location: location, report: report)])
        return try respondCheck(call, id: id)
    }

    /// `GET` or `POST /heartbeat/{secret}`: records a beat. The answer never says more than
    /// the check's id and state, and a wrong secret is a plain 404.
    func beat(_ request: HTTPRequest, secret: String) -> HTTPReply {
        .blocking {
            do {
                let beat = try publisher.recordBeat(secret: secret)
                var writer = JSONWriter(capacity: 64)
                writer.beginObject()
                writer.field("check_id", beat.checkID)
                writer.field("state", beat.state.rawValue)
                writer.endObject()
                return HTTPResponse(status: .ok, headers: [
                    .contentType: "application/json; charset=utf-8",
                    .cacheControl: "no-store",
                ], body: writer.bytes)
            } catch let error as ValidationError where error.kind == .notFound {
                return APIError(.notFound, "No heartbeat check has this URL.").response
            } catch where DiskFullState.isDiskFull(error) {
                diskFull.recordRefusedWrite()
                return APIError.diskFull.response
            } catch {
                ManagementAPI.log.error("heartbeat failed", metadata: ["request_id": "\(request.id)", "error": "\(error)"])
                return APIError(.internalServerError, "The beat could not be recorded.").response
            }
        }
    }

    private func respondCheck(_ call: ManagementAPI.Call, id: String) throws -> HTTPResponse {
        let status = try store.checkStatus(id: id, now: call.now)
        let reports = try store.checkLocations(id: id)
        let v1 = try checkRepresentation(now: call.now)
        return v1.response { v1.writeCheck(status, reports: reports, &$0) }
    }

    /// The v1 writer for checks: it needs the page, not the components an incident expands
    /// (reading them all made every posted result cost more than the result itself).
    func checkRepresentation(now: Date) throws -> V1Representation {
        V1Representation(page: try store.page(), components: [], now: now)
    }

    /// Location names appear in public JSON and on the page: short, plain and distinct from
    /// the server's own.
    static func validateLocation(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard (1...64).contains(name.count), name.allSatisfy(allowed.contains) else {
            throw APIError.invalid("result[location]",
                "result[location] must be 1 to 64 characters of a-z, 0-9, '-', '_' and '.', not \"\(name)\".")
        }
        guard name != Store.localLocation else {
            throw APIError.invalid("result[location]", "The location name 'local' is the server's own prober's.")
        }
    }

    /// `expected_statuses`: a list of status codes, as numbers or strings.
    static func statusCodes(_ fields: FieldReader) throws -> [Int]? {
        guard let value = fields.value("expected_statuses") else { return nil }
        let name = fields.name("expected_statuses")
        guard case .array(let elements) = value else {
            throw APIError.invalid(name, "\(name) must be a list of HTTP status codes.")
        }
        return try elements.map { element in
            switch element {
            case .number(let text), .string(let text):
                guard let code = Int(text) else { throw APIError.invalid(name, "\(name) must hold whole numbers, not \"\(text)\".") }
                return code
            default:
                throw APIError.invalid(name, "\(name) must be a list of HTTP status codes.")
            }
        }
    }

    /// A whole number that may be `null` (to clear it) or absent.
    static func nullableInt(_ fields: FieldReader, _ field: String) throws -> Int?? {
        if case .null? = fields.value(field) { return .some(nil) }
        if case .string("")? = fields.value(field) { return .some(nil) }
        return try fields.int(field).map { .some($0) }
    }
}

extension V1Representation {
    /// A check with its verdict and each location's last report (`detail` is staff-only
    /// text, which is why it appears here and nowhere public); `heartbeat_url` only in the
    /// answer to a heartbeat's creation.
    func writeCheck(_ status: CheckStatus, reports: [CheckLocationReport], heartbeatURL: String? = nil,
                    _ writer: inout JSONWriter) {
        let check = status.check
        writer.beginObject()
        writer.field("id", check.id)
        writer.field("page_id", page.id)
        writer.field("component_id", check.componentID)
        writer.field("name", check.name)
        writer.field("type", check.kind.rawValue)
        writer.field("url", check.url)
        writer.field("method", check.method.rawValue)
        writer.key("expected_statuses")
        writer.beginArray()
        for code in check.expectedStatuses { writer.int(code) }
        writer.endArray()
        writer.field("body_contains", check.bodyContains)
        writer.field("follow_redirects", check.followRedirects)
        writer.field("interval", check.interval)
        writer.field("timeout", check.timeout)
        if let grace = check.grace { writer.field("grace", grace) } else { writer.nullField("grace") }
        writer.field("failure_threshold", check.thresholds.failures)
        writer.field("success_threshold", check.thresholds.successes)
        writer.field("state", status.state.rawValue)
        writer.field("since", timestamp: status.since)
        writer.field("last_checked_at", timestamp: status.lastCheckedAt)
        writer.field("last_beat_at", timestamp: check.lastBeatAt)
        writer.key("locations")
        writer.beginArray()
        let silent = Dictionary(status.locations.map { ($0.name, $0.silent) }, uniquingKeysWith: { first, _ in first })
        for report in reports {
            writer.beginObject()
            writer.field("name", report.location)
            writer.field("state", report.state.rawValue)
            writer.field("since", timestamp: report.since)
            writer.field("last_report_at", timestamp: report.lastReportAt)
            if let latency = report.latencyMilliseconds { writer.field("latency_ms", latency) } else { writer.nullField("latency_ms") }
            writer.field("detail", report.detail)
            writer.field("silent", silent[report.location] ?? true)
            writer.endObject()
        }
        writer.endArray()
        writer.field("created_at", timestamp: check.createdAt)
        writer.field("updated_at", timestamp: check.updatedAt)
        if let heartbeatURL { writer.field("heartbeat_url", heartbeatURL) }
        writer.endObject()
    }
}
