import Foundation
import SQLite
import TestSupport
import Testing

/// Webhook subscribers against a real receiver (Tests/lib/webhook-receiver.py) that fails at
/// first: registration, signed Statuspage-style payloads, retries with growing waits, a
/// restart in the middle, and a staff request that never waits for any of it.
@Suite(.serialized)
struct WebhookTests {
    typealias Fixture = ManagementAPITests.Fixture

    /// The receiver process and what it recorded.
    final class Receiver {
        let process = Process()
        let folder: TemporaryFolder
        let port: Int
        /// What arrived, one JSON line per request.
        let log: URL
        /// The secret the receiver checks signatures with, written once it is known.
        let secretFile: URL
        /// Created to let a held first request be answered.
        let releaseFile: URL
        var endpoint: String { "http://127.0.0.1:\(port)/hooks/warta" }

        init(failFirst: Int = 0, holdFirst: Bool = false) throws {
            folder = try TemporaryFolder("e2e")
            log = folder.url.appendingPathComponent("deliveries.jsonl")
            secretFile = folder.url.appendingPathComponent("secret")
            releaseFile = folder.url.appendingPathComponent("release")
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("lib/webhook-receiver.py")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, log.path, "--fail-first", String(failFirst),
                                 "--secret-file", secretFile.path]
                + (holdFirst ? ["--hold-first-until", releaseFile.path] : [])
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            var line = ""
            while !line.contains("\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line += String(decoding: chunk, as: UTF8.self)
            }
            port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            folder.remove()
        }

        struct Delivery {
            let time: Double
            let status: Int
            let headers: [String: String]
            let body: String
            let signatureOK: Bool
            var payload: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
            func header(_ name: String) -> String? {
                headers.first { $0.key.lowercased() == name.lowercased() }?.value
            }
        }

        var deliveries: [Delivery] {
            guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
                return Delivery(time: object["time"] as? Double ?? 0, status: object["status"] as? Int ?? 0,
                                headers: object["headers"] as? [String: String] ?? [:], body: object["body"] as? String ?? "",
                                signatureOK: object["signature_ok"] as? Bool ?? false)
            }
        }

        /// Waits (at most `seconds`) until `count` requests have arrived.
        func waitFor(_ count: Int, seconds: Double = 30) -> [Delivery] {
            let deadline = Date().addingTimeInterval(seconds)
            while deliveries.count < count, Date() < deadline { usleep(50_000) }
            return deliveries
        }
    }

    /// Registers `receiver` and hands it the secret, as a subscriber would store it.
    static func subscribe(_ fixture: Fixture, _ receiver: Receiver) throws -> [String: Any] {
        let created = try fixture.request("POST", "/v1/pages/{page}/subscribers",
                                          json: #"{"subscriber": {"endpoint": "\#(receiver.endpoint)"}}"#)
        #expect(created.status == 201, "\(created.body)")
        let secret = try #require(created.object["secret"] as? String)
        #expect(secret.count == 64 && secret.allSatisfy(\.isHexDigit))
        try secret.write(to: receiver.secretFile, atomically: true, encoding: .utf8)
        return created.object
    }

    /// Receivers on 127.0.0.1 need the allowance; a server started without it refuses them.
    static let allowPrivate = ["--webhook-allow-private"]

    /// The retry schedule itself is tested with a manual clock (OutboundTests); here, one
    /// real retry of the built server.
    @Test func failingReceiverGetsTheSameSignedPayloadAgain() throws {
        let receiver = try Receiver(failFirst: 1)
        let fixture = try Fixture(Self.allowPrivate + ["--webhook-retry", "0.2"])
        let subscriber = try Self.subscribe(fixture, receiver)

        let created = try fixture.request("POST", "/v1/pages/{page}/incidents",
                                          form: ["incident[name]=Autogates offline", "incident[status]=investigating"])
        #expect(created.status == 201)
        let incidentID = try #require(created.object["id"] as? String)

        let deliveries = receiver.waitFor(2)
        try #require(deliveries.count == 2, "\(deliveries.map(\.status))")
        #expect(deliveries.map(\.status) == [500, 204])
        // One delivery, retried: the same id, the same bytes, a valid signature each time.
        #expect(Set(deliveries.compactMap { $0.header("X-Warta-Delivery") }).count == 1)
        #expect(Set(deliveries.map(\.body)).count == 1)
        #expect(deliveries.allSatisfy { $0.signatureOK })
        #expect(deliveries.allSatisfy { $0.header("X-Warta-Event") == "incident" })
        #expect(deliveries.allSatisfy { $0.header("Content-Type") == "application/json" })
        #expect(deliveries[1].time - deliveries[0].time >= 0.15)

        let payload = deliveries[0].payload
        let meta = try #require(payload["meta"] as? [String: Any])
        #expect(meta["event_id"] is String && meta.keys.contains("unsubscribe") && meta["generated_at"] is String)
        let page = try #require(payload["page"] as? [String: Any])
        #expect(page["id"] as? String == fixture.pageID)
        #expect(page["status_indicator"] is String && page["status_description"] is String)
        let incident = try #require(payload["incident"] as? [String: Any])
        #expect(incident["id"] as? String == incidentID)
        #expect(incident["name"] as? String == "Autogates offline")
        #expect((incident["incident_updates"] as? [Any])?.count == 1)

        // Delivered: nothing pending; the subscriber list never shows the secret again.
        let listed = try fixture.request("GET", "/v1/pages/{page}/subscribers")
        let entry = try #require((listed.json as? [[String: Any]])?.first)
        #expect(entry["id"] as? String == subscriber["id"] as? String)
        #expect(entry["pending_deliveries"] as? Int == 0)
        #expect(entry["secret"] == nil && !listed.body.contains(subscriber["secret"] as? String ?? "-"))
    }

    @Test func staffRequestDoesNotWaitForAReceiverThatHangs() throws {
        let receiver = try Receiver(holdFirst: true)
        let fixture = try Fixture(Self.allowPrivate)
        _ = try Self.subscribe(fixture, receiver)
        let component = try fixture.request("POST", "/v1/pages/{page}/components", form: ["component[name]=Autogates"])
        let componentID = try #require(component.object["id"] as? String)

        // The receiver holds the first delivery until released; the write is answered anyway.
        let changed = try fixture.request("PATCH", "/v1/pages/{page}/components/\(componentID)",
                                          form: ["component[status]=major_outage"])
        #expect(changed.status == 200)
        #expect(receiver.deliveries.isEmpty)
        let second = try fixture.request("PATCH", "/v1/pages/{page}/components/\(componentID)",
                                         form: ["component[status]=operational"])
        #expect(second.status == 200)
        try Data().write(to: receiver.releaseFile)

        // Both changes arrive, in the order they were made.
        let deliveries = receiver.waitFor(2)
        try #require(deliveries.count == 2)
        let updates = deliveries.map { $0.payload["component_update"] as? [String: Any] ?? [:] }
        #expect(updates.map { $0["old_status"] as? String } == ["operational", "major_outage"])
        #expect(updates.map { $0["new_status"] as? String } == ["major_outage", "operational"])
        #expect(updates.allSatisfy { $0["component_id"] as? String == componentID })
        #expect(deliveries.allSatisfy { $0.header("X-Warta-Event") == "component_update" && $0.signatureOK })
        #expect((deliveries[0].payload["component"] as? [String: Any])?["status"] as? String == "major_outage")
    }

    @Test func pendingDeliverySurvivesARestart() throws {
        let receiver = try Receiver(failFirst: 1)
        let fixture = try Fixture(Self.allowPrivate + ["--webhook-retry", "2"])
        _ = try Self.subscribe(fixture, receiver)
        let created = try fixture.request("POST", "/v1/pages/{page}/incidents",
                                          json: #"{"incident": {"name": "Passport app down", "status": "identified"}}"#)
        #expect(created.status == 201)
        #expect(receiver.waitFor(1).map(\.status) == [500])

        // Killed before the retry is due: the outbox is in the database.
        fixture.warta.signal(SIGKILL)
        fixture.warta.waitForExit()
        let restarted = try WartaProcess(Self.allowPrivate + ["--webhook-retry", "2"], folder: fixture.warta.folder)
        defer { restarted.stop() }
        let deliveries = receiver.waitFor(2)
        #expect(deliveries.map(\.status) == [500, 204])
        #expect(Set(deliveries.map(\.body)).count == 1)
        #expect(deliveries.last?.signatureOK == true)
    }

    @Test func deletedSubscriberGetsNothingMore() throws {
        let receiver = try Receiver()
        let fixture = try Fixture(Self.allowPrivate)
        let subscriber = try Self.subscribe(fixture, receiver)
        let id = try #require(subscriber["id"] as? String)
        let shown = try fixture.request("GET", "/v1/pages/{page}/subscribers/\(id)")
        #expect(shown.status == 200 && shown.object["endpoint"] as? String == receiver.endpoint)

        let deleted = try fixture.request("DELETE", "/v1/pages/{page}/subscribers/\(id)")
        #expect(deleted.status == 200 && deleted.object["id"] as? String == id)
        #expect(try fixture.request("GET", "/v1/pages/{page}/subscribers/\(id)").status == 404)
        #expect(try fixture.request("DELETE", "/v1/pages/{page}/subscribers/\(id)").status == 404)

        _ = try fixture.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=After unsubscribing"])
        let database = try Database(path: fixture.databasePath, readOnly: true)
        defer { database.close() }
        #expect(try database.queryOne("SELECT count(*) FROM webhook_deliveries")?.int(0) == 0)
        #expect(receiver.deliveries.isEmpty)
    }

    @Test(arguments: [
        (#"{"subscriber": {"endpoint": "ftp://example.org/hook"}}"#, "subscriber[endpoint]"),
        (#"{"subscriber": {"endpoint": "https://user:pw@example.org/hook"}}"#, "subscriber[endpoint]"),
        (#"{"subscriber": {"endpoint": "/relative"}}"#, "subscriber[endpoint]"),
        (#"{"subscriber": {"endpoint": 42}}"#, "subscriber[endpoint]"),
        (#"{"subscriber": {}}"#, "subscriber[endpoint]"),
        (#"{"subscriber": {"endpoint": "https://example.org/\#(String(repeating: "a", count: 2100))"}}"#, "subscriber[endpoint]"),
    ])
    func invalidSubscriberIsRefusedAndNothingChanges(body: String, field: String) throws {
        let fixture = try Fixture()
        let before = try fixture.dump()
        let response = try fixture.request("POST", "/v1/pages/{page}/subscribers", json: body)
        #expect((400..<500).contains(response.status), "\(response.status) \(response.body)")
        #expect(response.headers["content-type"] == "application/problem+json")
        #expect(response.body.contains(field), "\(response.body)")
        #expect(try fixture.dump() == before)
        #expect(try fixture.request("GET", "/v1/pages/{page}/subscribers", token: .some(nil)).status == 401)
    }

    /// Endpoints inside the network are refused at registration by default: nothing is
    /// stored, and the reason names the field and the address.
    @Test(arguments: [
        ("http://127.0.0.1:8080/hooks", "127.0.0.1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]:22/", "::1 is a loopback address"),
        ("http://localhost:6379/", "localhost is a loopback address"),
        ("http://10.1.2.3/hooks", "10.1.2.3 is a private address"),
        ("http://[fd00::1]/hooks", "fd00::1 is a unique-local address"),
    ])
    func insideEndpointIsRefusedAtRegistration(endpoint: String, reason: String) throws {
        let fixture = try Fixture()
        let before = try fixture.dump()
        let response = try fixture.request("POST", "/v1/pages/{page}/subscribers", form: ["subscriber[endpoint]=\(endpoint)"])
        #expect(response.status == 422)
        #expect(response.headers["content-type"] == "application/problem+json")
        #expect(response.object["field"] as? String == "subscriber[endpoint]")
        #expect(response.object["detail"] as? String == "An endpoint must not lead inside the server's network: \(reason). "
            + "To deliver to receivers on an intranet, start the server with --webhook-allow-private.")
        #expect(try fixture.dump() == before)
    }

    @Test func insideEndpointIsAcceptedWithTheAllowance() throws {
        let fixture = try Fixture(Self.allowPrivate)
        let response = try fixture.request("POST", "/v1/pages/{page}/subscribers", form: ["subscriber[endpoint]=http://localhost:6379/"])
        #expect(response.status == 201)
        #expect(response.object["endpoint"] as? String == "http://localhost:6379/")
    }

    /// Registered while allowed; the server restarted without the allowance refuses to
    /// connect, and the subscriber's `last_error` says so in Warta's words only.
    @Test func insideEndpointIsRefusedAtDeliveryWithoutTheAllowance() throws {
        let receiver = try Receiver()
        let fixture = try Fixture(Self.allowPrivate)
        let subscriber = try Self.subscribe(fixture, receiver)
        let id = try #require(subscriber["id"] as? String)
        fixture.warta.signal(SIGTERM)
        #expect(fixture.warta.waitForExit() == 0)

        let restarted = try WartaProcess(["--auth-failures", "0"], folder: fixture.warta.folder)
        defer { restarted.stop() }
        let base = restarted.baseURL
        let created = try Fixture.request(base: base, token: fixture.token, "POST", "/v1/pages/\(fixture.pageID)/incidents",
                                          form: ["incident[name]=Autogates offline"])
        #expect(created.status == 201)

        // The attempt follows the write at once; wait (bounded) until it is recorded.
        var shown: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(10)
        repeat {
            shown = try Fixture.request(base: base, token: fixture.token, "GET", "/v1/pages/\(fixture.pageID)/subscribers/\(id)").object
            if shown["last_error"] is String { break }
            usleep(50_000)
        } while Date() < deadline
        #expect(shown["last_error"] as? String == "destination refused: loopback address")
        #expect(shown["pending_deliveries"] as? Int == 1)
        #expect(receiver.deliveries.isEmpty)
    }
}
