import Foundation
import HTTPServer
import SQLite
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// Scoped and expiring tokens against the management API over real sockets, a real database
/// and a clock moved by hand: each route asks for its scope, a token without it is refused
/// 403 naming the scope, an expired token 401 saying so, and neither changes anything.
@Suite struct TokenScopeAPITests {
    typealias Site = CheckAPITests.Site

    static func token(_ site: Site, _ name: String, scopes: Set<TokenScope>?, lifetime: TimeInterval? = nil) throws -> String {
        let now = site.server.clock.now()
        return try site.server.store.createToken(name: name, scopes: scopes, expiresAt: lifetime.map(now.addingTimeInterval),
                                                 by: PublicPagesTests.actor, now: now)
    }

    @Test func aTokenScopedToIncidentsPostsIncidentsButCannotTouchComponents() throws {
        let site = try Site()
        let duty = try Self.token(site, "duty-officer", scopes: [.incidents])

        let created = try site.send("POST", "/v1/pages/{page}/incidents", form: "incident[name]=Autogates+down", token: duty)
        #expect(created.status == 201, "\(created.text)")
        let incidentID = try #require(try site.object(created)["id"] as? String)
        // The audit row names the token that made the change.
        let entry = try #require(try site.server.store.auditLog().first)
        #expect(entry.tokenName == "duty-officer")
        #expect(entry.action == "incident.create")
        #expect(entry.targetID == incidentID)

        // The page's id is open to every token: a client reads it before anything else.
        #expect(try site.send("GET", "/v1/pages", token: duty).status == 200)
        #expect(try site.send("GET", "/v1/pages/{page}", token: duty).status == 200)

        let before = try site.dump()
        let refused = try site.send("PATCH", "/v1/pages/{page}/components/\(site.component.id)",
                                    form: "component[status]=major_outage", token: duty)
        #expect(refused.status == 403)
        #expect(refused.header("Content-Type") == "application/problem+json")
        #expect(refused.header("Cache-Control") == "no-store")
        #expect(refused.header("WWW-Authenticate") == nil)
        #expect(refused.text == #"{"type":"about:blank","title":"Forbidden","status":403,"#
            + #""detail":"This request needs a token with the scope components; this token holds only: incidents."}"#)
        #expect(try site.dump() == before)
        #expect(try site.server.store.component(id: site.component.id).status == .operational)
    }

    /// Each route family and the scope it needs: a token holding every other scope is
    /// refused, one holding only that scope gets through to the handler.
    static let routes: [(method: String, path: String, scope: TokenScope, passed: Int)] = [
        ("GET", "/v1/pages/{page}/incidents", .incidents, 200),
        ("GET", "/v1/pages/{page}/incidents/unresolved", .incidents, 200),
        ("DELETE", "/v1/pages/{page}/incidents/nosuchincide", .incidents, 404),
        ("PATCH", "/v1/pages/{page}/incidents/nosuchincide/incident_updates/nosuchupdate", .incidents, 404),
        ("GET", "/v1/pages/{page}/components", .components, 200),
        ("POST", "/v1/pages/{page}/component-groups", .components, 422),
        ("GET", "/v1/pages/{page}/subscribers", .subscribers, 200),
        ("GET", "/v1/pages/{page}/subscribers/count", .subscribers, 200),
        ("GET", "/v1/pages/{page}/checks", .checks, 200),
        ("POST", "/v1/pages/{page}/checks/nosuchcheck0/results", .checks, 422),
        ("PATCH", "/v1/pages/{page}", .page, 200),
        ("GET", "/v1/pages/{page}/audit-log", .page, 200),
    ]

    @Test func everyRouteAsksForItsScope() throws {
        let site = try Site()
        var others: [TokenScope: String] = [:], only: [TokenScope: String] = [:]
        for scope in TokenScope.allCases {
            others[scope] = try Self.token(site, "all-but-\(scope.rawValue)", scopes: Set(TokenScope.allCases).subtracting([scope]))
            only[scope] = try Self.token(site, "only-\(scope.rawValue)", scopes: [scope])
        }
        for route in Self.routes {
            let refused = try site.send(route.method, route.path, token: others[route.scope])
            #expect(refused.status == 403, "\(route.method) \(route.path): \(refused.text)")
            #expect(refused.text.contains("needs a token with the scope \(route.scope.rawValue);"), "\(refused.text)")
            let passed = try site.send(route.method, route.path, token: only[route.scope])
            #expect(passed.status == route.passed, "\(route.method) \(route.path): \(passed.text)")
        }
    }

    @Test func anExpiredTokenIsRefused401SayingItExpired() throws {
        let site = try Site()
        let shift = try Self.token(site, "night-shift", scopes: nil, lifetime: 30 * 60)

        site.server.clock.advance(by: 29 * 60)
        #expect(try site.send("GET", "/v1/pages/{page}/incidents", token: shift).status == 200)

        site.server.clock.advance(by: 60)  // 05:30Z, the expiry itself
        let before = try site.dump()
        let expired = try site.send("POST", "/v1/pages/{page}/incidents", form: "incident[name]=Too+late", token: shift)
        #expect(expired.status == 401)
        #expect(expired.header("Content-Type") == "application/problem+json")
        #expect(expired.header("WWW-Authenticate") == #"Bearer realm="warta", error="invalid_token", "#
            + #"error_description="The token has expired", OAuth realm="warta""#)
        #expect(expired.text == #"{"type":"about:blank","title":"Unauthorized","status":401,"#
            + #""detail":"The API token expired at 2031-03-10T05:30:00.000Z; ask for a new one (warta token create)."}"#)
        #expect(try site.dump() == before)
        // Its last use stays the last time it worked.
        let info = try #require(try site.server.store.tokens().first { $0.name == "night-shift" })
        #expect(info.lastUsedAt == instant("2031-03-10T05:29:00.000Z"))

        // An unknown token still reads as before: expiry is told only to a genuine token.
        let unknown = try site.send("GET", "/v1/pages/{page}/incidents", token: "warta_" + String(repeating: "x", count: 43))
        #expect(unknown.status == 401)
        #expect(unknown.header("WWW-Authenticate") == #"Bearer realm="warta", OAuth realm="warta""#)
        #expect(unknown.text.contains("not valid or has been revoked"))
    }
}
