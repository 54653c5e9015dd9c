import Foundation
import SQLite
import TestSupport
import Testing

/// The management API of the built binary over real HTTP: what a staff member's curl line
/// or a Statuspage client does, and every way a request can fail without changing anything.
@Suite(.serialized)
struct ManagementAPITests {
    /// A running server with a token.
    final class Fixture {
        let warta: WartaProcess
        let token: String
        let pageID: String
        var base: String { warta.baseURL }
        var databasePath: String { warta.folder.file("warta.db") }

        init(_ arguments: [String] = []) throws {
            let folder = try TemporaryFolder("e2e")
            token = try Self.cli(["token", "create", "tester", "--db", folder.file("warta.db")])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            // These tests send dozens of bad tokens on purpose; the limit has tests of its own.
            let limit = arguments.contains("--auth-failures") ? [] : ["--auth-failures", "0"]
            warta = try WartaProcess(arguments + limit, folder: folder)
            let listed = try Self.request(base: warta.baseURL, token: token, "GET", "/v1/pages")
            let pages = try? JSONSerialization.jsonObject(with: Data(listed.body.utf8))
            pageID = try #require(((pages as? [[String: Any]])?.first?["id"]) as? String,
                                  "GET /v1/pages with a token of \(token.count) characters: \(listed.status) \(listed.body)")
        }

        deinit { warta.stop() }

        static func cli(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = WartaProcess.executable
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }

        struct Response {
            let status: Int
            let headers: [String: String]
            let body: String

            var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
            var object: [String: Any] { json as? [String: Any] ?? [:] }
        }

        static func request(base: String, token: String?, _ method: String, _ path: String,
                            form: [String]? = nil, json: String? = nil, contentType: String? = nil) throws -> Response {
            var arguments = ["-i", "-X", method, base + path]
            if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
            if let contentType { arguments += ["-H", "Content-Type: \(contentType)"] }
            if let json {
                if contentType == nil { arguments += ["-H", "Content-Type: application/json"] }
                arguments += ["--data-binary", json]
            }
            for field in form ?? [] { arguments += ["--data-urlencode", field] }
            let parsed = parseCurlResponse(try curl(arguments))
            return Response(status: parsed.status, headers: parsed.headers, body: parsed.body)
        }

        func request(_ method: String, _ path: String, form: [String]? = nil, json: String? = nil,
                     contentType: String? = nil, token: String?? = .none) throws -> Response {
            try Self.request(base: base, token: token ?? self.token, method, path.replacingOccurrences(of: "{page}", with: pageID),
                             form: form, json: json, contentType: contentType)
        }

        /// Every row of every table, as text: "nothing changed" means this is equal before
        /// and after. Token use times are left out (reading a token may note its use).
        func dump() throws -> [String] {
            let database = try Database(path: databasePath, readOnly: true)
            defer { database.close() }
            var lines: [String] = []
            let tables = try database.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map { try $0.string(0) }
            for table in tables {
                let columns = table == "api_tokens" ? "id, name, token_sha256, created_at, revoked_at" : "*"
                // Sorted as text: tables declared WITHOUT ROWID have no rowid to order by.
                lines += try database.query("SELECT \(columns) FROM \"\(table)\"")
                    .map { table + ": " + $0.values.map { "\($0)" }.joined(separator: " | ") }.sorted()
            }
            return lines
        }
    }

    @Test func incidentLifecycleWithFormBodies() throws {
        let f = try Fixture()
        let component = try f.request("POST", "/v1/pages/{page}/components", form: ["component[name]=Autogate T3"])
        #expect(component.status == 201)
        let componentID = try #require(component.object["id"] as? String)

        let created = try f.request("POST", "/v1/pages/{page}/incidents", form: [
            "incident[name]=Autogates down",
            "incident[status]=investigating",
            "incident[body]=We are looking into it.",
            "incident[components][\(componentID)]=major_outage",
            "incident[next_update_in]=30",
            "incident[translations][en][name]=Autogates down (en)",
        ])
        #expect(created.status == 201)
        let incidentID = try #require(created.object["id"] as? String)
        #expect(created.object["impact"] as? String == "critical")
        #expect(created.object["next_update_at"] is String)

        let summary = try f.request("GET", "/api/v2/summary.json", token: .some(nil))
        let incidents = try #require(summary.object["incidents"] as? [[String: Any]])
        #expect(incidents.map { $0["id"] as? String } == [incidentID])
        #expect((summary.object["status"] as? [String: Any])?["indicator"] as? String == "critical")

        let identified = try f.request("PATCH", "/v1/pages/{page}/incidents/\(incidentID)", form: [
            "incident[status]=identified", "incident[body]=Cause found.",
            "incident[components][\(componentID)]=partial_outage",
        ])
        #expect(identified.status == 200)
        #expect((identified.object["incident_updates"] as? [Any])?.count == 2)
        // Impact keeps the worst the incident reached (see Rollup), so history reads right.
        #expect(identified.object["impact"] as? String == "critical")
        #expect(identified.object["next_update_at"] is NSNull)

        let resolved = try f.request("PATCH", "/v1/pages/{page}/incidents/\(incidentID).json", form: [
            "incident[status]=resolved", "incident[body]=Fixed.",
            "incident[components][\(componentID)]=operational",
        ])
        #expect(resolved.status == 200)
        #expect(resolved.object["status"] as? String == "resolved")
        #expect(resolved.object["resolved_at"] is String)
        let updates = try #require(resolved.object["incident_updates"] as? [[String: Any]])
        #expect(updates.map { $0["status"] as? String } == ["resolved", "identified", "investigating"])

        // The very next read sees the write.
        let after = try f.request("GET", "/api/v2/incidents/unresolved.json", token: .some(nil))
        #expect((after.object["incidents"] as? [Any])?.isEmpty == true)
        let status = try f.request("GET", "/api/v2/status.json", token: .some(nil))
        #expect((status.object["status"] as? [String: Any])?["indicator"] as? String == "none")

        let audit = try f.request("GET", "/v1/pages/{page}/audit-log")
        let actions = (audit.json as? [[String: Any]] ?? []).map { $0["action"] as? String ?? "" }
        #expect(actions.filter { $0.hasPrefix("incident.") }.count == 3)
        #expect((audit.json as? [[String: Any]])?.first?["actor"] as? String == "tester")
    }

    @Test func incidentLifecycleWithJSONBodies() throws {
        let f = try Fixture()
        let component = try f.request("POST", "/v1/pages/{page}/components",
                                      json: #"{"component": {"name": "M-Paspor", "status": "degraded_performance"}}"#)
        #expect(component.status == 201)
        let componentID = try #require(component.object["id"] as? String)
        let created = try f.request("POST", "/v1/pages/{page}/incidents", json: """
            {"incident": {"name": "Slow app", "body": "Slow.", "component_ids": ["\(componentID)"],
             "impact_override": "minor", "next_update_at": "2099-01-01T00:00:00Z"}}
            """)
        #expect(created.status == 201)
        let incidentID = try #require(created.object["id"] as? String)
        #expect(created.object["impact"] as? String == "minor")
        #expect(created.object["impact_override"] as? String == "minor")

        let resolved = try f.request("PATCH", "/v1/pages/{page}/incidents/\(incidentID)",
                                     json: #"{"incident": {"status": "resolved", "body": "Done."}}"#)
        #expect(resolved.status == 200)
        #expect(resolved.object["status"] as? String == "resolved")
        let fetched = try f.request("GET", "/v1/pages/{page}/incidents/\(incidentID)")
        #expect(fetched.object["status"] as? String == "resolved")
        let list = try f.request("GET", "/v1/pages/{page}/incidents?q=Slow&limit=1")
        #expect((list.json as? [[String: Any]])?.map { $0["id"] as? String } == [incidentID])
    }

    @Test func everyFailureAnswersAProblemAndChangesNothing() throws {
        let f = try Fixture()
        let component = try f.request("POST", "/v1/pages/{page}/components", form: ["component[name]=Existing"])
        let componentID = try #require(component.object["id"] as? String)
        let before = try f.dump()

        let cases: [(name: String, expected: Int, field: String?, response: Fixture.Response)] = [
            ("malformed JSON", 400, nil,
             try f.request("POST", "/v1/pages/{page}/incidents", json: #"{"incident": {"name": "x",}}"#)),
            ("missing token", 401, nil,
             try f.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=x"], token: .some(nil))),
            ("wrong token", 401, nil,
             try f.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=x"], token: "warta_wrong")),
            ("unknown page", 404, "page_id",
             try f.request("POST", "/v1/pages/zzzzzzzzzzzz/incidents", form: ["incident[name]=x"])),
            ("unknown incident", 404, nil,
             try f.request("PATCH", "/v1/pages/{page}/incidents/zzzzzzzzzzzz", form: ["incident[status]=resolved"])),
            ("wrong content type", 415, nil,
             try f.request("POST", "/v1/pages/{page}/incidents", json: "name=x", contentType: "text/plain")),
            ("unknown status", 422, "incident[status]",
             try f.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=x", "incident[status]=exploded"])),
            ("name too long", 422, "incident[name]",
             try f.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=" + String(repeating: "n", count: 256)])),
            ("body too long", 422, "incident[body]",
             try f.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=x", "incident[body]=" + String(repeating: "b", count: 25_001)])),
            ("unknown component", 422, nil,
             try f.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=x", "incident[components][zzzzzzzzzzzz]=major_outage"])),
            ("unknown component status", 422, "incident[components][\(componentID)]",
             try f.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=x", "incident[components][\(componentID)]=broken"])),
            ("maintenance ends before it starts", 422, nil,
             try f.request("POST", "/v1/pages/{page}/incidents", form: [
                "incident[name]=m", "incident[status]=scheduled",
                "incident[scheduled_for]=2099-01-02T00:00:00Z", "incident[scheduled_until]=2099-01-01T00:00:00Z"])),
            ("component without name", 422, "component[name]",
             try f.request("POST", "/v1/pages/{page}/components", form: ["component[description]=x"])),
        ]
        for (name, expected, field, response) in cases {
            #expect(response.status == expected, "\(name): \(response.body)")
            #expect(response.headers["content-type"] == "application/problem+json", "\(name)")
            #expect(response.object["status"] as? Int == expected, "\(name)")
            #expect((response.object["detail"] as? String)?.isEmpty == false, "\(name)")
            if let field { #expect(response.object["field"] as? String == field, "\(name): \(response.body)") }
            if expected == 401 { #expect(response.headers["www-authenticate"]?.contains("Bearer") == true, "\(name)") }
        }
        #expect(try f.dump() == before)
    }

    @Test func revokedAndWrongTokensAreRefusedOnEveryRoute() throws {
        let f = try Fixture()
        let revoked = try Fixture.cli(["token", "create", "leaver", "--db", f.databasePath]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try f.request("GET", "/v1/pages", token: revoked).status == 200)
        _ = try Fixture.cli(["token", "revoke", "leaver", "--db", f.databasePath])

        let id = "abcdefghijkl"
        let routes: [(String, String)] = [
            ("GET", "/v1/pages"), ("GET", "/v1/pages/{page}"), ("PATCH", "/v1/pages/{page}"),
            ("GET", "/v1/pages/{page}/incidents"), ("POST", "/v1/pages/{page}/incidents"),
            ("GET", "/v1/pages/{page}/incidents/unresolved"), ("GET", "/v1/pages/{page}/incidents/upcoming"),
            ("GET", "/v1/pages/{page}/incidents/active_maintenance"), ("GET", "/v1/pages/{page}/incidents/scheduled"),
            ("GET", "/v1/pages/{page}/incidents/\(id)"), ("PATCH", "/v1/pages/{page}/incidents/\(id)"),
            ("PUT", "/v1/pages/{page}/incidents/\(id)"), ("DELETE", "/v1/pages/{page}/incidents/\(id)"),
            ("PATCH", "/v1/pages/{page}/incidents/\(id)/incident_updates/\(id)"),
            ("GET", "/v1/pages/{page}/components"), ("POST", "/v1/pages/{page}/components"),
            ("GET", "/v1/pages/{page}/components/\(id)"), ("PATCH", "/v1/pages/{page}/components/\(id)"),
            ("DELETE", "/v1/pages/{page}/components/\(id)"),
            ("GET", "/v1/pages/{page}/component-groups"), ("POST", "/v1/pages/{page}/component-groups"),
            ("GET", "/v1/pages/{page}/component-groups/\(id)"), ("DELETE", "/v1/pages/{page}/component-groups/\(id)"),
            ("GET", "/v1/pages/{page}/audit-log"),
        ]
        for (method, path) in routes {
            for token in [revoked, "warta_" + String(repeating: "x", count: 43), ""] {
                let response = try f.request(method, path, token: token.isEmpty ? .some(nil) : token)
                #expect(response.status == 401, "\(method) \(path) with \(token.isEmpty ? "no" : "a bad") token")
            }
        }
    }

    @Test func groupsAndComponentsThroughTheAPI() throws {
        let f = try Fixture()
        let a = try #require(try f.request("POST", "/v1/pages/{page}/components", form: ["component[name]=A"]).object["id"] as? String)
        let b = try #require(try f.request("POST", "/v1/pages/{page}/components", form: ["component[name]=B"]).object["id"] as? String)
        let group = try f.request("POST", "/v1/pages/{page}/component-groups",
                                  json: "{\"component_group\": {\"name\": \"Airports\", \"components\": [\"\(a)\", \"\(b)\"]}, \"description\": \"All of them\"}")
        #expect(group.status == 201)
        #expect(group.object["components"] as? [String] == [a, b])
        #expect(group.object["description"] as? String == "All of them")
        let groupID = try #require(group.object["id"] as? String)

        let degraded = try f.request("PATCH", "/v1/pages/{page}/components/\(b)", json: #"{"component": {"status": "partial_outage"}}"#)
        #expect(degraded.object["status"] as? String == "partial_outage")
        #expect(degraded.object["group_id"] as? String == groupID)

        let components = try f.request("GET", "/api/v2/components.json", token: .some(nil))
        let rows = try #require(components.object["components"] as? [[String: Any]])
        let groupRow = try #require(rows.first { $0["id"] as? String == groupID })
        #expect(groupRow["group"] as? Bool == true)
        #expect(groupRow["status"] as? String == "partial_outage")

        #expect(try f.request("DELETE", "/v1/pages/{page}/component-groups/\(groupID)").status == 204)
        #expect(try f.request("GET", "/v1/pages/{page}/components/\(a)").object["group_id"] is NSNull)
        #expect(try f.request("DELETE", "/v1/pages/{page}/components/\(a)").status == 204)
        #expect(try f.request("GET", "/v1/pages/{page}/components/\(a)").status == 404)
    }
}
