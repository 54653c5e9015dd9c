import Foundation
@testable import StatusCore
import Testing

@Suite struct TokenTests {
    @Test func createAuthenticateRevoke() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let token = try store.createToken(name: "ci", by: Fixture.ops, now: Fixture.t0)
        #expect(token.hasPrefix("warta_"))
        #expect(token.count == 49)
        #expect(token.dropFirst(6).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })

        let first = try #require(try store.authenticate(token, now: Fixture.at(minutes: 1)))
        #expect(first == TokenInfo(name: "ci", createdAt: Fixture.t0, lastUsedAt: Fixture.at(minutes: 1)))

        // Within the minute: no write, the recorded use stays.
        let second = try #require(try store.authenticate(token, now: Fixture.at(minutes: 1.5)))
        #expect(second.lastUsedAt == Fixture.at(minutes: 1))
        #expect(try store.tokens().first?.lastUsedAt == Fixture.at(minutes: 1))
        let third = try #require(try store.authenticate(token, now: Fixture.at(minutes: 2)))
        #expect(third.lastUsedAt == Fixture.at(minutes: 2))

        // Wrong tokens: one character off, the bare hash, garbage.
        var wrong = Array(token)
        wrong[wrong.count - 1] = wrong.last == "A" ? "B" : "A"
        #expect(try store.authenticate(String(wrong), now: Fixture.at(minutes: 3)) == nil)
        #expect(try store.authenticate(Store.sha256Hex(token), now: Fixture.at(minutes: 3)) == nil)
        #expect(try store.authenticate("", now: Fixture.at(minutes: 3)) == nil)
        #expect(try store.authenticate("warta_" + String(repeating: "A", count: 43), now: Fixture.at(minutes: 3)) == nil)

        try store.revokeToken(name: "ci", by: Fixture.ops, now: Fixture.at(minutes: 4))
        #expect(try store.authenticate(token, now: Fixture.at(minutes: 5)) == nil)
        #expect(try store.tokens() == [
            TokenInfo(name: "ci", createdAt: Fixture.t0, lastUsedAt: Fixture.at(minutes: 2),
                      revokedAt: Fixture.at(minutes: 4)),
        ])
        // Revoking again changes nothing.
        let before = try fixture.dump()
        try store.revokeToken(name: "ci", by: Fixture.ops, now: Fixture.at(minutes: 6))
        #expect(try fixture.dump() == before)

        #expect(try store.auditLog().map(\.action) == ["token.revoke", "token.create"])
        #expect(try store.auditLog().map(\.targetID) == ["ci", "ci"])
    }

    @Test func onlyTheHashIsStored() throws {
        let fixture = try TemporaryStore()
        let token = try fixture.store.createToken(name: "deploy", by: Fixture.ops, now: Fixture.t0)
        let other = try fixture.store.createToken(name: "chatops", by: Fixture.ops, now: Fixture.t0)
        #expect(token != other)
        fixture.store.close()

        // Every file SQLite wrote (the database, and any WAL or shared-memory file left).
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path)
        #expect(files.contains("warta.db"))
        var bytes: [UInt8] = []
        for file in files {
            bytes += try Array(Data(contentsOf: fixture.folder.url.appendingPathComponent(file)))
        }
        func contains(_ text: String) -> Bool {
            let needle = Array(text.utf8)
            guard needle.count <= bytes.count else { return false }
            return (0...(bytes.count - needle.count)).contains { start in
                bytes[start] == needle[0] && Array(bytes[start..<start + needle.count]) == needle
            }
        }
        #expect(!contains(token))
        #expect(!contains(String(token.dropFirst(6))))
        #expect(!contains(other))
        // The search itself works: the hash is there.
        #expect(contains(Store.sha256Hex(token)))
        #expect(contains("deploy"))
    }

    @Test func anotherProcessesTokensWorkOnTheNextCall() throws {
        let fixture = try TemporaryStore()
        // The CLI opens its own store on the same file.
        let cli = try Store(path: fixture.path)
        defer { cli.close() }
        let cliActor = Actor(tokenName: "cli", clientAddress: "")
        let token = try cli.createToken(name: "ops", by: cliActor, now: Fixture.t0)
        #expect(try fixture.store.authenticate(token, now: Fixture.at(minutes: 1))?.name == "ops")
        try cli.revokeToken(name: "ops", by: cliActor, now: Fixture.at(minutes: 2))
        #expect(try fixture.store.authenticate(token, now: Fixture.at(minutes: 3)) == nil)
    }

    @Test func constantTimeComparison() {
        #expect(Store.constantTimeEqual("abc", "abc"))
        #expect(!Store.constantTimeEqual("abc", "abd"))
        #expect(!Store.constantTimeEqual("abc", "ab"))
        #expect(Store.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Store.base64URL([0xfb, 0xff, 0xfe]) == "-__-")
    }
}
