import Foundation
import TestSupport
import Testing

/// `warta token create --scope --expires` and `warta token list` as an operator runs them,
/// against the database of a running server.
@Suite(.serialized)
struct TokenCommandTests {
    typealias Fixture = ManagementAPITests.Fixture
    static func run(_ arguments: [String]) throws -> PublicPagesEndToEndTests.Run {
        try PublicPagesEndToEndTests.runUntilExit(arguments)
    }

    @Test func aScopedExpiringTokenIsListedAndHeldToItsScope() throws {
        let fixture = try Fixture()
        let made = try Self.run(["token", "create", "duty-officer", "--scope", "incidents", "--scope", "page",
                                 "--expires", "12h", "--db", fixture.databasePath])
        #expect(made.status == 0, "\(made.standardError)")
        let token = made.standardOutput.trimmingCharacters(in: .newlines)
        #expect(token.hasPrefix("warta_") && token.count == 49)

        let listed = try Self.run(["token", "list", "--db", fixture.databasePath])
        #expect(listed.status == 0)
        let lines = listed.standardOutput.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines.count == 2)
        // The fixture's own token: made without --scope, it holds every scope and never expires.
        #expect(lines.first?[1] == "scopes all")
        #expect(lines.first?[3] == "never expires")
        #expect(lines.first?.last == "active")
        let duty = try #require(lines.last)
        #expect(duty.count == 6)
        #expect(duty[0] == "duty-officer")
        #expect(duty[1] == "scopes incidents,page")
        #expect(duty[4] == "last used never")
        #expect(duty[5] == "active")
        let created = try Date(String(duty[2].dropFirst("created ".count)), strategy: .iso8601)
        let expires = try Date(String(duty[3].dropFirst("expires ".count)), strategy: .iso8601)
        #expect(duty[3].hasPrefix("expires "))
        #expect(expires.timeIntervalSince(created) == 12 * 3_600)

        // The running server holds the new token to its scopes on its next request.
        #expect(try fixture.request("POST", "/v1/pages/{page}/incidents", form: ["incident[name]=Autogates down"],
                                    token: .some(token)).status == 201)
        let refused = try fixture.request("POST", "/v1/pages/{page}/components", form: ["component[name]=Autogate T3"],
                                          token: .some(token))
        #expect(refused.status == 403)
        #expect(refused.headers["content-type"] == "application/problem+json")
        #expect(refused.object["detail"] as? String
                    == "This request needs a token with the scope components; this token holds only: incidents, page.")
        let used = try Self.run(["token", "list", "--db", fixture.databasePath])
        #expect(used.standardOutput.split(separator: "\n").last?.split(separator: "\t")[4].hasPrefix("last used 20") == true)
    }

    @Test(arguments: [
        (["--expires", "3x"], "Error: '3x' is not a lifetime: write a whole number and a unit, m (minutes), h (hours), "
            + "d (days) or w (weeks), such as 30m, 12h, 7d or 2w."),
        (["--expires", "0d"], "Error: A token must last at least 1 day: write a whole number and a unit, m (minutes), "
            + "h (hours), d (days) or w (weeks), such as 30m, 12h, 7d or 2w."),
        (["--expires", "200w"], "Error: '200w' is longer than a token may last (730 days, 104w); "
            + "leave out --expires for a token that never expires."),
        (["--scope", "incident"], "Error: 'incident' is not an allowed value; use one of: incidents, components, "
            + "subscribers, checks, page."),
    ])
    func badValuesAreRefusedAndCreateNothing(options: [String], message: String) throws {
        let folder = try TemporaryFolder("e2e")
        defer { folder.remove() }
        let database = folder.file("warta.db")
        let refused = try Self.run(["token", "create", "ops"] + options + ["--db", database])
        #expect(refused.status == 64)
        #expect(refused.standardOutput == "")
        #expect(refused.standardError.hasPrefix(message + "\n"), "\(refused.standardError)")
        let listed = try Self.run(["token", "list", "--db", database])
        #expect(listed.status == 0)
        #expect(listed.standardOutput == "")
    }
}
