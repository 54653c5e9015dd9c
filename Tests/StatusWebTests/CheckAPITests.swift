import Foundation
import HTTPServer
import SQLite
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// The checks' management API over real sockets and a real database, with the clock moved by
/// hand: what a staff member's curl line does, what a remote prober posts, what a heartbeat's
/// job calls, and every bad input answered 4xx with nothing changed.
@Suite struct CheckAPITests {
    typealias PageServer = PublicPagesTests.PageServer

    final class Site {
        let server: PageServer
        let token: String
        let pageID: String
        let component: Component

        init(options: PageOptions = .standard) throws {
            server = try PageServer.make(options: options)
            token = try server.store.createToken(name: "ops", by: PublicPagesTests.actor, now: server.clock.now())
            pageID = try server.store.page().id
            component = try server.write { store, now in
                try store.createComponent(ComponentDraft(name: "M-Paspor API"), by: PublicPagesTests.actor, now: now)
            }
        }

        deinit { server.close() }

        func send(_ method: String, _ path: String, form: String = "", json: String? = nil,
                  token: String? = nil) throws -> TestResponse {
            var headers = ["Authorization": "OAuth \(token ?? self.token)"]
            if json != nil { headers["Content-Type"] = "application/json" }
            let target = path.replacingOccurrences(of: "{page}", with: pageID)
            if method == "GET" { return try server.get(target, headers) }
            return try server.send(method, target, headers, body: json ?? form)
        }

        func object(_ response: TestResponse) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        }

        /// Every row of every table: equal before and after exactly when nothing was written.
        func dump() throws -> [String] {
            try server.store.withDatabase { database in
                var lines: [String] = []
                for table in try database.query(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                ).map({ try $0.string("name") }) where table != "api_tokens" {
                    for row in try database.query("SELECT * FROM \"\(table)\" ORDER BY rowid") {
                        lines.append("\(table): \(row.values)")
                    }
                }
                return lines
            }
        }
    }

    @Test func staffAddAnHTTPCheckWithAFormLine() throws {
        let site = try Site()
        let created = try site.send("POST", "/v1/pages/{page}/checks", form:
            "check[name]=M-Paspor+API&check[component_id]=\(site.component.id)&check[type]=http"
            + "&check[url]=http%3A%2F%2F10.20.0.5%2Fhealth&check[interval]=30&check[expected_statuses][]=200"
            + "&check[expected_statuses][]=204")
        #expect(created.status == 201, "\(created.text)")
        let check = try site.object(created)
        #expect(check["name"] as? String == "M-Paspor API")
        #expect(check["type"] as? String == "http")
        #expect(check["url"] as? String == "http://10.20.0.5/health")
        #expect(check["interval"] as? Int == 30)
        #expect(check["timeout"] as? Int == 10)
        #expect(check["expected_statuses"] as? [Int] == [200, 204])
        #expect(check["state"] as? String == "unknown")
        #expect(check["heartbeat_url"] == nil)
        let id = try #require(check["id"] as? String)

        let listed = try site.send("GET", "/v1/pages/{page}/checks")
        #expect(listed.status == 200)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(listed.body)) as? [[String: Any]])
        #expect(list.map { $0["id"] as? String } == [id])

        let patched = try site.send("PATCH", "/v1/pages/{page}/checks/\(id)", json: #"{"check": {"interval": 10}}"#)
        #expect(patched.status == 200, "\(patched.text)")
        #expect(try site.object(patched)["interval"] as? Int == 10)

        let deleted = try site.send("DELETE", "/v1/pages/{page}/checks/\(id)")
        #expect(deleted.status == 200)
        #expect(try site.object(deleted)["id"] as? String == id)
        #expect(try site.send("GET", "/v1/pages/{page}/checks/\(id)").status == 404)
    }

    @Test func badChecksAreRefusedNamingTheFieldAndChangeNothing() throws {
        let site = try Site()
        let before = try site.dump()
        let component = site.component.id
        let cases: [(String, String)] = [
            (#"{"check": {"name": "X", "component_id": "\#(component)", "type": "ping", "url": "http://10.0.0.1/"}}"#,
             "check[type]"),
            (#"{"check": {"name": "X", "component_id": "\#(component)", "type": "http", "url": "http://10.0.0.1/", "interval": 0}}"#,
             "check[interval]"),
            (#"{"check": {"name": "X", "component_id": "\#(component)", "type": "tcp", "url": "tcp://10.0.0.1"}}"#,
             "check[url]"),
            (#"{"check": {"name": "X", "component_id": "nosuchcompnt", "type": "http", "url": "http://10.0.0.1/"}}"#,
             "check[component_id]"),
            (#"{"check": {"name": "X", "component_id": "\#(component)", "type": "http"}}"#, "check[url]"),
            (#"{"check": {"component_id": "\#(component)", "type": "http", "url": "http://10.0.0.1/"}}"#, "check[name]"),
            (#"{"check": {"name": "X", "component_id": "\#(component)", "type": "http", "url": "http://10.0.0.1/", "expected_statuses": "200"}}"#,
             "check[expected_statuses]"),
        ]
        for (body, field) in cases {
            let response = try site.send("POST", "/v1/pages/{page}/checks", json: body)
            #expect(response.status == 422, "\(body): \(response.text)")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(try site.object(response)["field"] as? String == field, "\(body): \(response.text)")
        }
        #expect(try site.dump() == before)
    }

    @Test func aHeartbeatURLIsShownOnceAndAWrongSecretIsNotFound() throws {
        let site = try Site()
        let created = try site.send("POST", "/v1/pages/{page}/checks", json:
            #"{"check": {"name": "Passport sync", "component_id": "\#(site.component.id)", "type": "heartbeat", "interval": 300}}"#)
        #expect(created.status == 201, "\(created.text)")
        let check = try site.object(created)
        let url = try #require(check["heartbeat_url"] as? String)
        let path = try #require(URLComponents(string: url)?.path)
        #expect(path.hasPrefix("/heartbeat/"))
        #expect(check["url"] is NSNull)
        let id = try #require(check["id"] as? String)
        #expect(try site.object(try site.send("GET", "/v1/pages/{page}/checks/\(id)"))["heartbeat_url"] == nil)

        let before = try site.dump()
        let wrong = try site.server.get("/heartbeat/" + String(repeating: "a", count: 48))
        #expect(wrong.status == 404)
        #expect(wrong.header("Content-Type") == "application/problem+json")
        #expect(try site.dump() == before)

        site.server.clock.advance(by: 60)
        let beat = try site.server.send("POST", path, [:], body: "")
        #expect(beat.status == 200, "\(beat.text)")
        #expect(beat.header("Cache-Control") == "no-store")
        #expect(try site.object(beat)["state"] as? String == "up")
        #expect(try site.object(beat)["check_id"] as? String == id)
        #expect(try site.server.get(path).status == 200)
    }

    @Test func remoteResultsAreCountedPerLocation() throws {
        let site = try Site()
        let created = try site.send("POST", "/v1/pages/{page}/checks", json:
            #"{"check": {"name": "API", "component_id": "\#(site.component.id)", "type": "tcp", "url": "tcp://10.0.0.9:443", "failure_threshold": 1}}"#)
        let id = try #require(try site.object(created)["id"] as? String)
        let reported = try site.send("POST", "/v1/pages/{page}/checks/\(id)/results", json:
            #"{"result": {"location": "singapore", "outcome": "failure", "latency_ms": 1000, "detail": "connection refused"}}"#)
        #expect(reported.status == 200, "\(reported.text)")
        let check = try site.object(reported)
        #expect(check["state"] as? String == "failing")
        let locations = try #require(check["locations"] as? [[String: Any]])
        #expect(locations.count == 1)
        #expect(locations.first?["name"] as? String == "singapore")
        #expect(locations.first?["detail"] as? String == "connection refused")
        #expect(locations.first?["silent"] as? Bool == false)

        let before = try site.dump()
        for (body, field) in [
            (#"{"result": {"location": "local", "outcome": "failure"}}"#, "result[location]"),
            (#"{"result": {"location": "Jakarta 2", "outcome": "failure"}}"#, "result[location]"),
            (#"{"result": {"location": "jakarta-2", "outcome": "down"}}"#, "result[outcome]"),
            (#"{"result": {"location": "jakarta-2", "outcome": "success", "latency_ms": -1}}"#, "result[latency_ms]"),
        ] {
            let response = try site.send("POST", "/v1/pages/{page}/checks/\(id)/results", json: body)
            #expect(response.status == 422, "\(body): \(response.text)")
            #expect(try site.object(response)["field"] as? String == field)
        }
        let missing = try site.send("POST", "/v1/pages/{page}/checks/nosuchcheck0/results", json:
            #"{"result": {"location": "jakarta-2", "outcome": "success"}}"#)
        #expect(missing.status == 404)
        #expect(try site.send("POST", "/v1/pages/{page}/checks/\(id)/results", json:
            #"{"result": {"location": "jakarta-2", "outcome": "success"}}"#, token: "wrong").status == 401)
        #expect(try site.dump() == before)
    }

    @Test func thePageSettingsForChecksAndSilence() throws {
        let site = try Site()
        let page = try site.send("PATCH", "/v1/pages/{page}", json:
            #"{"page": {"checks_public": false, "max_silence": 30, "statement_grace": 5}}"#)
        #expect(page.status == 200, "\(page.text)")
        let object = try site.object(page)
        #expect(object["checks_public"] as? Bool == false)
        #expect(object["max_silence"] as? Int == 30)
        #expect(object["statement_grace"] as? Int == 5)
        let refused = try site.send("PATCH", "/v1/pages/{page}", json: #"{"page": {"max_silence": 20000}}"#)
        #expect(refused.status == 422)
        #expect(try site.object(refused)["field"] as? String == "page[max_silence]")
        #expect(try site.server.store.page().maxSilence == 30)
    }
}
