import Foundation
import Testing
import HTTPServer
import StatusCore
@testable import StatusWeb

/// Prepared responses, validators and the cache policy (RFC 9110 §8.8, §13; RFC 9111 §5.2;
/// RFC 5861).
@Suite struct SnapshotTests {
    static func request(_ path: String, method: HTTPMethod = .get, _ headers: HTTPHeaders = [:]) -> HTTPRequest {
        var all = headers
        all.add(.host, "status.example.id")
        return HTTPRequest(method: method, target: path, path: path, headers: all)
    }

    static func build(nextChange: Date? = nil, maxAge: Int = 10, state: StatusState = .make()) -> Snapshot {
        Snapshot.build(from: state, now: fixtureNow, nextChange: nextChange, maxAge: maxAge)
    }

    @Test func answersEveryPathExactly() {
        let snapshot = Self.build()
        #expect(snapshot.paths == [
            "/api/v2/checks.json", "/api/v2/components.json", "/api/v2/incidents.json", "/api/v2/incidents/unresolved.json",
            "/api/v2/scheduled-maintenances.json", "/api/v2/scheduled-maintenances/active.json",
            "/api/v2/scheduled-maintenances/upcoming.json", "/api/v2/status.json", "/api/v2/summary.json",
            "/api/v2/uptime.json",
        ])
        #expect(snapshot.response(for: "/api/v2/summary", request: Self.request("/api/v2/summary"), now: fixtureNow) == nil)
        #expect(snapshot.response(for: "/api/v2/nothing.json", request: Self.request("/api/v2/nothing.json"), now: fixtureNow) == nil)
    }

    @Test func responseHeadersAndBody() throws {
        let snapshot = Self.build()
        let path = V2Endpoint.summary.path
        let response = try #require(snapshot.response(for: path, request: Self.request(path), now: fixtureNow))
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        #expect(response.headers[.cacheControl] == "public, max-age=10, stale-while-revalidate=30, stale-if-error=86400")
        #expect(response.headers[.vary] == "Accept-Encoding")
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        // The newest change: not the open incident's last update (05:01:03 UTC) but the
        // moment its promised next update fell overdue, 05:26:03, which changed the document.
        #expect(response.headers[.lastModified] == "Sun, 29 Nov 2026 05:26:03 GMT")
        let etag = try #require(response.headers[.etag])
        #expect(etag.wholeMatch(of: try Regex(#"^"[0-9a-f]+-[0-9a-f]{16}"$"#)) != nil)
        #expect(response.body == V2Representation(state: .make(), now: fixtureNow).body(for: .summary))
        #expect(snapshot.entry(for: path)?.etag == etag)
    }

    @Test func etagFollowsTheBytes() throws {
        let first = Self.build(), second = Self.build()
        var changedState = StatusState.make()
        changedState.components[0].status = .majorOutage
        let changed = Self.build(state: changedState)
        let path = V2Endpoint.components.path
        #expect(first.entry(for: path)?.etag == second.entry(for: path)?.etag)
        #expect(first.entry(for: path)?.etag != changed.entry(for: path)?.etag)
        // Distinct documents have distinct tags.
        let tags = Set(first.paths.compactMap { first.entry(for: $0)?.etag })
        #expect(tags.count == first.paths.count)
    }

    @Test func notModifiedWhenTheTagMatches() throws {
        let snapshot = Self.build()
        let path = V2Endpoint.incidents.path
        let etag = try #require(snapshot.entry(for: path)?.etag)
        let notModified = try #require(snapshot.response(for: path, request: Self.request(path, [.ifNoneMatch: etag]),
                                                         now: fixtureNow))
        #expect(notModified.status == .notModified)
        #expect(notModified.body.isEmpty)
        #expect(notModified.headers[.etag] == etag)
        #expect(notModified.headers[.cacheControl] == "public, max-age=10, stale-while-revalidate=30, stale-if-error=86400")
        #expect(notModified.headers[.contentType] == nil)

        let head = try #require(snapshot.response(for: path, request: Self.request(path, method: .head,
                                                                                   [.ifNoneMatch: #""x", "# + etag]),
                                                  now: fixtureNow))
        #expect(head.status == .notModified)

        let stale = try #require(snapshot.response(for: path, request: Self.request(path, [.ifNoneMatch: #""0-0""#]),
                                                   now: fixtureNow))
        #expect(stale.status == .ok)
        #expect(!stale.body.isEmpty)

        let since = try #require(snapshot.response(
            for: path, request: Self.request(path, [.ifModifiedSince: "Sun, 29 Nov 2026 05:26:03 GMT"]), now: fixtureNow))
        #expect(since.status == .notModified)
        // A copy from before the promise fell overdue is not current.
        let beforeOverdue = try #require(snapshot.response(
            for: path, request: Self.request(path, [.ifModifiedSince: "Sun, 29 Nov 2026 05:26:02 GMT"]), now: fixtureNow))
        #expect(beforeOverdue.status == .ok)
    }

    @Test func maxAgeIsCappedByTheNextChange() throws {
        let path = V2Endpoint.status.path
        func cacheControl(_ snapshot: Snapshot, at now: Date = fixtureNow) -> String? {
            snapshot.response(for: path, request: Self.request(path), now: now)?.headers[.cacheControl]
        }
        let policy = { (age: Int) in "public, max-age=\(age), stale-while-revalidate=30, stale-if-error=86400" }
        #expect(cacheControl(Self.build(nextChange: fixtureNow + 4.9)) == policy(4))
        #expect(cacheControl(Self.build(nextChange: fixtureNow + 60)) == policy(10))
        #expect(cacheControl(Self.build(nextChange: fixtureNow - 1)) == policy(0))
        #expect(cacheControl(Self.build(nextChange: fixtureNow + 60, maxAge: 30)) == policy(30))
        #expect(Self.build(nextChange: fixtureNow + 4.9).entry(for: path)?.maxAge == 4)

        // Served later, the time left shrinks with the clock, so no cache keeps the
        // document past the change.
        let snapshot = Self.build(nextChange: fixtureNow + 15)
        #expect(cacheControl(snapshot, at: fixtureNow) == policy(10))
        #expect(cacheControl(snapshot, at: fixtureNow + 8) == policy(7))
        #expect(cacheControl(snapshot, at: fixtureNow + 20) == policy(0))
        let etag = try #require(snapshot.entry(for: path)?.etag)
        let notModified = snapshot.response(for: path, request: Self.request(path, [.ifNoneMatch: etag]),
                                            now: fixtureNow + 12)
        #expect(notModified?.status == .notModified)
        #expect(notModified?.headers[.cacheControl] == policy(3))
    }

    @Test func holderSwapsAtomically() {
        let first = Self.build(), second = Self.build()
        let holder = SnapshotHolder(first)
        #expect(holder.current === first)
        holder.replace(second)
        #expect(holder.current === second)
    }

    @Test func holderIsSafeUnderConcurrentReadersAndWriters() async {
        let snapshots = (0..<4).map { _ in Self.build() }
        let holder = SnapshotHolder(snapshots[0])
        await withTaskGroup(of: Bool.self) { group in
            for index in 0..<4 {
                group.addTask {
                    for round in 0..<500 {
                        if round % 50 == 0 { holder.replace(snapshots[index]) }
                        let current = holder.current
                        if !snapshots.contains(where: { $0 === current }) { return false }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
