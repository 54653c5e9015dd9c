import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The database on a real, small, full filesystem: a write is refused with 507 and leaves
/// nothing behind, `/metrics` counts it, `/healthz` reports it, and all is well once space is
/// freed. Needs a size-limited tmpfs, which only root can mount.
@Suite(.serialized)
struct DiskFullTests {
    typealias Fixture = ManagementAPITests.Fixture

    /// A tmpfs of a few megabytes mounted on a fresh folder; nil where mounting is not allowed.
    final class SmallFilesystem {
        let folder: TemporaryFolder
        private(set) var mounted = false

        init?(megabytes: Int) {
            guard geteuid() == 0, let folder = try? TemporaryFolder("e2e") else { return nil }
            self.folder = folder
            guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", folder.path]) == 0 else {
                folder.remove()
                return nil
            }
            mounted = true
        }

        deinit {
            if mounted { _ = Self.run("/bin/umount", [folder.path]) }
            folder.remove()
        }

        static let isAvailable: Bool = SmallFilesystem(megabytes: 1) != nil

        /// Writes a file until the filesystem refuses more (ENOSPC).
        func fill() throws -> URL {
            let filler = folder.url.appendingPathComponent("filler")
            let descriptor = open(filler.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { throw POSIXError(.EIO) }
            defer { close(descriptor) }
            let chunk = [UInt8](repeating: 0x2e, count: 4096)
            while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
            #expect(errno == ENOSPC)
            return filler
        }

        @discardableResult
        static func run(_ executable: String, _ arguments: [String]) -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return -1 }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    @Test(.enabled(if: SmallFilesystem.isAvailable, "mounting a size-limited tmpfs needs root; StatusWebTests covers the 507 mapping"))
    func writeOnAFullDiskIs507AndNothingIsWritten() throws {
        let disk = try #require(SmallFilesystem(megabytes: 8))
        let database = disk.folder.file("warta.db")
        let token = try Fixture.cli(["token", "create", "tester", "--db", database]).trimmingCharacters(in: .whitespacesAndNewlines)
        let warta = try WartaProcess(["--auth-failures", "0"], folder: disk.folder)
        defer {
            warta.signal(SIGTERM)
            warta.waitForExit()
        }
        func request(_ method: String, _ path: String, form: [String]? = nil) throws -> Fixture.Response {
            try Fixture.request(base: warta.baseURL, token: token, method, path, form: form)
        }
        let pageID = try #require((try request("GET", "/v1/pages").json as? [[String: Any]])?.first?["id"] as? String)
        let healthy = try request("GET", "/healthz")
        #expect(healthy.status == 200)
        let version = try #require(healthy.object["version"] as? String)

        let filler = try disk.fill()
        var created = 0
        var refused: Fixture.Response?
        for number in 1...50 where refused == nil {
            let response = try request("POST", "/v1/pages/\(pageID)/incidents",
                                       form: ["incident[name]=Outage \(number)", "incident[body]=" + String(repeating: "x", count: 4000)])
            if response.status == 201 { created += 1 } else { refused = response }
        }
        let response = try #require(refused)
        #expect(response.status == 507)
        #expect(response.headers["content-type"] == "application/problem+json")
        #expect(response.object["title"] as? String == "Insufficient Storage")
        #expect(response.object["detail"] as? String
            == "The server's disk is full; nothing was written. Try again once space is freed.")

        let health = try request("GET", "/healthz")
        #expect(health.status == 503)
        #expect(health.body == #"{"status":"error","version":"\#(version)","database":"disk full"}"#)
        let metrics = OperationsTests.samples(try request("GET", "/metrics").body)
        #expect(metrics["warta_disk_full_writes_total"] == 1)
        #expect(metrics[#"warta_http_requests_total{route="/v1/pages/{page_id}/incidents",status="507"}"#] == 1)

        // Space freed: the refused write left nothing, the next one succeeds, health recovers.
        try FileManager.default.removeItem(at: filler)
        let listed = try request("GET", "/v1/pages/\(pageID)/incidents?limit=100")
        #expect((listed.json as? [Any])?.count == created)
        #expect(try request("POST", "/v1/pages/\(pageID)/incidents", form: ["incident[name]=Recovered"]).status == 201)
        #expect(try request("GET", "/healthz").status == 200)

        warta.signal(SIGTERM)
        #expect(warta.waitForExit() == 0)
        let check = try PublicPagesEndToEndTests.runUntilExit(["check", "--db", database])
        #expect(check.status == 0)
        #expect(check.standardOutput.hasSuffix("\nok\n"), "\(check.standardOutput)")
    }
}
