import Foundation
import SQLite
import Synchronization
import TestSupport
import Testing

/// An acknowledged update is never lost: a writer appends incident updates while the server
/// is killed with SIGKILL, over and over; after each restart every update that got a 2xx is
/// in the database and `PRAGMA integrity_check` is ok.
///
/// Odd cycles kill at a random moment, most often in the middle of a write; even cycles kill
/// right after a random 2xx arrives, which catches any answer sent before its change is
/// durable, however short the gap.
@Suite(.serialized) struct DurabilityTests {
    typealias Fixture = ManagementAPITests.Fixture

    /// Cycles in `make test`; `Benchmarks/` runs a longer version by hand.
    static let cycles = Int(ProcessInfo.processInfo.environment["WARTA_DURABILITY_CYCLES"] ?? "") ?? 5

    final class Acknowledged: Sendable {
        let bodies = Mutex<[String]>([])
        let attempts = Atomic<Int>(0)
    }

    @Test func everyAcknowledgedUpdateSurvivesSIGKILL() throws {
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let databasePath = folder.file("warta.db")
        let token = try Fixture.cli(["token", "create", "durability", "--db", databasePath])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var warta = try WartaProcess([], folder: folder)
        let pages = try JSONSerialization.jsonObject(with: Data(Fixture.request(base: warta.baseURL, token: token, "GET", "/v1/pages").body.utf8))
        let pageID = try #require((pages as? [[String: Any]])?.first?["id"] as? String)
        let created = try Fixture.request(base: warta.baseURL, token: token, "POST", "/v1/pages/\(pageID)/incidents",
                                          form: ["incident[name]=Data centre failure", "incident[body]=Investigating."])
        #expect(created.status == 201)
        let incidentID = try #require(created.object["id"] as? String)

        let acknowledged = Acknowledged()
        var lost: Set<String> = []
        var generator = SystemRandomNumberGenerator()
        for cycle in 1...Self.cycles {
            let base = warta.baseURL
            let pid = warta.process.processIdentifier
            let killAfter = cycle.isMultiple(of: 2) ? Int.random(in: 1...8, using: &generator) : nil
            // The writer: one update after another until the server dies under it.
            let writer = Thread { [acknowledged] in
                var number = 0
                while true {
                    number += 1
                    let body = "cycle \(cycle) update \(number)"
                    acknowledged.attempts.add(1, ordering: .relaxed)
                    guard let response = try? Fixture.request(base: base, token: token, "PATCH",
                                                              "/v1/pages/\(pageID)/incidents/\(incidentID)",
                                                              form: ["incident[body]=\(body)"]) else { break }
                    if (200..<300).contains(response.status) {
                        acknowledged.bodies.withLock { $0.append(body) }
                        if number == killAfter { kill(pid, SIGKILL) }
                    } else if response.status == 0 {
                        break
                    }
                }
            }
            writer.start()
            if killAfter == nil {
                usleep(UInt32.random(in: 150_000...600_000, using: &generator))
                warta.signal(SIGKILL)
            }
            warta.waitForExit()
            while !writer.isFinished { usleep(5_000) }

            // Every acknowledged body is there, and the file is sound.
            let database = try Database(path: databasePath, readOnly: true)
            let stored = Set(try database.query("SELECT body FROM incident_updates WHERE incident_id = ?", [incidentID])
                .map { try $0.string("body") })
            let integrity = try database.queryOne("PRAGMA integrity_check")?.string("integrity_check")
            database.close()
            let missing = acknowledged.bodies.withLock { $0 }.filter { !stored.contains($0) && !lost.contains($0) }
            #expect(missing.isEmpty, "cycle \(cycle): acknowledged but lost: \(missing.prefix(5))")
            lost.formUnion(missing)
            #expect(integrity == "ok", "cycle \(cycle): integrity_check says \(integrity ?? "nothing")")

            warta = try WartaProcess([], folder: folder)
        }
        warta.signal(SIGTERM)
        #expect(warta.waitForExit() == 0)
        let total = acknowledged.bodies.withLock { $0.count }
        // Each cycle that killed after a 2xx had at least one; the others usually several.
        #expect(total >= Self.cycles / 2, "only \(total) updates were acknowledged in \(Self.cycles) cycles")
        print("durability: \(Self.cycles) SIGKILL cycles, \(acknowledged.attempts.load(ordering: .relaxed)) updates sent, "
              + "\(total) acknowledged, \(lost.isEmpty ? "all present" : "\(lost.count) lost")")
    }
}
