import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// The management API reads the publisher's clock, as the rest of the server does: a test
/// moves it, and the API's promises and its limit on failed authentication follow, over real
/// sockets and a real database.
@Suite struct ManagementClockTests {
    typealias PageServer = PublicPagesTests.PageServer

    @Test func nextUpdateInCountsFromTheInjectedClock() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let token = try site.store.createToken(name: "ops", by: PublicPagesTests.actor, now: site.clock.now())
        let pageID = try site.store.page().id
        site.clock.advance(by: 7 * .minute)  // 12:07 WIB

        let created = try site.send("POST", "/v1/pages/\(pageID)/incidents", ["Authorization": "Bearer \(token)"],
                                    body: "incident[name]=Autogates+down&incident[next_update_in]=30")
        #expect(created.status == 201, "\(created.text)")
        let incident = try #require(try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])
        #expect(incident["created_at"] as? String == "2031-03-10T12:07:00.000+07:00")
        #expect(incident["next_update_at"] as? String == "2031-03-10T12:37:00.000+07:00")
        #expect(incident["update_overdue"] as? Bool == false)
    }

    @Test func failedAuthenticationIsLimitedUntilTheClockMovesOn() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let wrong = ["Authorization": "Bearer not-a-token"]
        for _ in 0..<20 {
            #expect(try site.get("/v1/pages", wrong).status == 401)
        }
        site.clock.advance(by: 20)
        let limited = try site.get("/v1/pages", wrong)
        #expect(limited.status == 429)
        #expect(limited.header("Retry-After") == "40")
        #expect(limited.header("Content-Type") == "application/problem+json")

        site.clock.advance(by: 40)
        #expect(try site.get("/v1/pages", wrong).status == 401)
    }
}
