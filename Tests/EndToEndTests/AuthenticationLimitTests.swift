import Foundation
import Testing

/// Failed authentication is limited per client address, and no token reaches a log line.
@Suite struct AuthenticationLimitTests {
    typealias Fixture = ManagementAPITests.Fixture

    @Test func failuresPastTheLimitGet429ForThatAddressOnly() throws {
        let fixture = try Fixture(["--auth-failures", "3"])
        let guess = "guess-7f3a9c1e-not-a-token"
        for attempt in 1...3 {
            let refused = try fixture.request("GET", "/v1/pages/{page}/incidents", token: guess)
            #expect(refused.status == 401, "attempt \(attempt)")
        }
        let limited = try fixture.request("GET", "/v1/pages/{page}/incidents", token: guess)
        #expect(limited.status == 429)
        #expect(limited.headers["content-type"] == "application/problem+json")
        #expect(limited.body.contains("Too many failed authentications"))
        let retryAfter = try #require(limited.headers["retry-after"].flatMap { Int($0) })
        #expect((1...60).contains(retryAfter))
        // The right token from the same address waits too: the token is not even checked.
        #expect(try fixture.request("GET", "/v1/pages/{page}/incidents").status == 429)
        // Another address is not affected (loopback answers on all of 127.0.0.0/8).
        let elsewhere = parseCurlResponse(try curl(["-i", "--interface", "127.0.0.2", "-H", "Authorization: Bearer \(fixture.token)",
                                                    fixture.base + "/v1/pages"]))
        #expect(elsewhere.status == 200)
        // The public pages are never limited.
        #expect(parseCurlResponse(try curl(["-i", fixture.base + "/api/v2/status.json"])).status == 200)

        fixture.warta.signal(SIGTERM)
        #expect(fixture.warta.waitForExit() == 0)
        let log = fixture.warta.standardError()
        #expect(log.contains("status=429"))
        #expect(!log.contains(guess))
        #expect(!log.contains(fixture.token))
        #expect(!log.lowercased().contains("authorization"))
    }
}
