import Foundation
import SQLite
@testable import StatusCore
import TestSupport
import Testing

/// Scopes and expiry of API tokens in the store: what is kept, what a presented token is
/// worth at a given instant, and how `--scope` and `--expires` are read.
@Suite struct TokenScopeTests {
    @Test func scopesAndExpiryAreKeptAndReadBack() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let expiry = Fixture.at(minutes: 12 * 60)
        let token = try store.createToken(name: "duty", scopes: [.page, .incidents], expiresAt: expiry,
                                          by: Fixture.ops, now: Fixture.t0)
        _ = try store.createToken(name: "full", by: Fixture.ops, now: Fixture.t0)

        #expect(try store.tokens() == [
            TokenInfo(name: "duty", createdAt: Fixture.t0, scopes: [.incidents, .page], expiresAt: expiry),
            TokenInfo(name: "full", createdAt: Fixture.t0),
        ])
        // Stored in declaration order whatever order they were given in.
        let stored = try store.withDatabase { try $0.queryOne("SELECT scopes FROM api_tokens WHERE name = 'duty'")?.string(0) }
        #expect(stored == "incidents page")
        #expect(try store.verifyToken(token, now: Fixture.at(minutes: 1)) == .valid(
            TokenInfo(name: "duty", createdAt: Fixture.t0, lastUsedAt: Fixture.at(minutes: 1),
                      scopes: [.incidents, .page], expiresAt: expiry)))
    }

    @Test func anExpiredTokenIsToldApartAndItsUseIsNotRecorded() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let expiry = Fixture.at(minutes: 30)
        let token = try store.createToken(name: "shift", expiresAt: expiry, by: Fixture.ops, now: Fixture.t0)

        #expect(try store.authenticate(token, now: Fixture.at(minutes: 29))?.name == "shift")
        let expired = TokenInfo(name: "shift", createdAt: Fixture.t0, lastUsedAt: Fixture.at(minutes: 29), expiresAt: expiry)
        // The expiry instant itself is past the token's life.
        #expect(try store.verifyToken(token, now: expiry) == .expired(expired))
        #expect(try store.verifyToken(token, now: Fixture.at(minutes: 45)) == .expired(expired))
        #expect(try store.authenticate(token, now: Fixture.at(minutes: 45)) == nil)
        #expect(try store.tokens().first?.lastUsedAt == Fixture.at(minutes: 29))

        // Revoked wins over expired: a revoked token is simply refused, as an unknown one is.
        try store.revokeToken(name: "shift", by: Fixture.ops, now: Fixture.at(minutes: 50))
        #expect(try store.verifyToken(token, now: Fixture.at(minutes: 51)) == .refused)
        #expect(try store.verifyToken("warta_" + String(repeating: "A", count: 43), now: Fixture.t0) == .refused)
    }

    @Test func whatATokenHolds() {
        let all = TokenInfo(name: "all", createdAt: Fixture.t0)
        let some = TokenInfo(name: "some", createdAt: Fixture.t0, scopes: [.incidents])
        #expect(TokenScope.allCases.allSatisfy(all.holds))
        #expect(TokenScope.allCases.filter(some.holds) == [.incidents])
        #expect(!all.hasExpired(at: Fixture.at(days: 10_000)))
    }

    @Test func refusedCreationsWriteNothing() throws {
        let fixture = try TemporaryStore()
        let before = try fixture.dump()
        #expect(throws: ValidationError.invalid(.token(.scopes), "A token needs at least one scope; leave them out for all.")) {
            try fixture.store.createToken(name: "none", scopes: [], by: Fixture.ops, now: Fixture.t0)
        }
        #expect(throws: ValidationError.invalid(.token(.expiresAt), "A token's expiry must be in the future.")) {
            try fixture.store.createToken(name: "past", expiresAt: Fixture.t0, by: Fixture.ops, now: Fixture.t0)
        }
        #expect(try fixture.dump() == before)
    }

    @Test func tokensMadeBeforeScopesKeepFullAccess() throws {
        let folder = try TemporaryFolder("scopes")
        defer { folder.remove() }
        let path = folder.file("warta.db")
        let token = "warta_" + String(repeating: "b", count: 43)
        do {
            let database = try Database(path: path)
            defer { database.close() }
            _ = try Migrator(migrations: Schema.migrations.filter { $0.name < "0008" }).migrate(database)
            try database.execute("INSERT INTO api_tokens (name, token_sha256, created_at) VALUES ('old', ?, ?)",
                                 [Store.sha256Hex(token), Timestamp.format(Fixture.t0)])
        }
        let store = try Store(path: path)
        defer { store.close() }
        let info = try #require(try store.authenticate(token, now: Fixture.at(minutes: 1)))
        #expect(info.scopes == nil)
        #expect(info.expiresAt == nil)
        #expect(TokenScope.allCases.allSatisfy(info.holds))
    }

    @Test(arguments: [("30m", 1_800.0), ("12h", 43_200), ("7d", 604_800), ("2w", 1_209_600), ("104w", 62_899_200)])
    func lifetimes(text: String, seconds: TimeInterval) throws {
        #expect(try TokenLifetime.parse(text) == seconds)
    }

    static let usage = "write a whole number and a unit, m (minutes), h (hours), d (days) or w (weeks), "
        + "such as 30m, 12h, 7d or 2w."

    @Test(arguments: [
        ("7", "'7' is not a lifetime: " + usage),
        ("7s", "'7s' is not a lifetime: " + usage),
        ("d", "'d' is not a lifetime: " + usage),
        ("-1d", "'-1d' is not a lifetime: " + usage),
        ("1.5h", "'1.5h' is not a lifetime: " + usage),
        ("", "'' is not a lifetime: " + usage),
        ("٣d", "'٣d' is not a lifetime: " + usage),
        ("0h", "A token must last at least 1 hour: " + usage),
        ("105w", "'105w' is longer than a token may last (730 days, 104w); leave out --expires for a token that never expires."),
        ("99999999999999999999m", "'99999999999999999999m' is not a lifetime: " + usage),
    ])
    func refusedLifetimes(text: String, message: String) {
        #expect(throws: ValidationError.invalid(.token(.expiresAt), message)) { try TokenLifetime.parse(text) }
    }

    @Test func scopeLists() throws {
        #expect(try TokenScope.parseList("incidents") == [.incidents])
        #expect(try TokenScope.parseList("incidents,components page") == [.incidents, .components, .page])
        #expect(throws: ValidationError.invalid(
            .token(.scopes), "'incident' is not an allowed value; use one of: incidents, components, subscribers, checks, page.")) {
            try TokenScope.parseList("incident")
        }
        #expect(throws: ValidationError.invalid(
            .token(.scopes), "A scope list must name at least one scope: incidents, components, subscribers, checks, page.")) {
            try TokenScope.parseList(" , ")
        }
    }
}
