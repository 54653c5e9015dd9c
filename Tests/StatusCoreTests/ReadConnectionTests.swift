import Foundation
import SQLite
@testable import StatusCore
import TestSupport
import Testing

/// Reads that need only what is committed go to read-only connections, so they neither wait
/// for the writer's open transaction nor see what it has not committed.
@Suite struct ReadConnectionTests {
    /// A window around `Fixture.t0` wide enough for every incident these tests create.
    static let historyStart = Fixture.at(days: -1)
    static let historyEnd = Fixture.at(days: 1)

    static func historyNames(_ store: Store) throws -> [String] {
        try store.incidents(shownFrom: historyStart, to: historyEnd).map(\.name)
    }

    @Test func historyReadDuringAnOpenWriteSeesTheLastCommitOnly() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let incident = try store.createIncident(IncidentDraft(name: "Database slow"), by: Fixture.ops,
                                                now: Fixture.at(minutes: 1))

        let whileOpen = try OpenWrite.during(store, write: { database in
            try database.execute("UPDATE incidents SET name = 'Database down' WHERE id = ?", [incident.id])
        }, read: {
            (history: try Self.historyNames(store), incident: try store.incident(id: incident.id).name,
             listed: try store.incidents().map(\.name))
        })

        let seen = try #require(whileOpen, "the read waited for the writer's open transaction")
        #expect(seen.history == ["Database slow"])
        #expect(seen.incident == "Database slow")
        #expect(seen.listed == ["Database slow"])
        // The write has committed since: the next read sees it.
        #expect(try Self.historyNames(store) == ["Database down"])
        #expect(try store.incident(id: incident.id).name == "Database down")
    }

    @Test func aPooledReaderSeesEveryLaterCommit() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let incident = try store.createIncident(IncidentDraft(name: "Database slow"), by: Fixture.ops,
                                                now: Fixture.at(minutes: 1))
        #expect(try Self.historyNames(store) == ["Database slow"])
        #expect(store.openReaderCount == 1)

        _ = try store.updateIncident(id: incident.id, IncidentPatch(name: "Database down"), by: Fixture.ops,
                                     now: Fixture.at(minutes: 2))

        // The same connection, lent again, starts a new read transaction at the newest commit.
        #expect(try Self.historyNames(store) == ["Database down"])
        #expect(try store.incident(id: incident.id).updatedAt == Fixture.at(minutes: 2))
        #expect(store.openReaderCount == 1)
    }

    @Test func aTokenUsedWithinTheMinuteAuthenticatesDuringAnOpenWrite() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let token = try store.createToken(name: "ci", by: Fixture.ops, now: Fixture.t0)
        _ = try store.authenticate(token, now: Fixture.at(minutes: 1))

        let whileOpen = try OpenWrite.during(store, write: { database in
            try database.execute("UPDATE page SET name = 'Renamed'")
        }, read: {
            try store.authenticate(token, now: Fixture.at(minutes: 1.5))
        })

        let info = try #require(whileOpen, "authentication waited for the writer's open transaction")
        #expect(info == TokenInfo(name: "ci", createdAt: Fixture.t0, lastUsedAt: Fixture.at(minutes: 1)))
        // Once the minute has passed, the use is recorded again, on the writer.
        #expect(try store.authenticate(token, now: Fixture.at(minutes: 2))?.lastUsedAt == Fixture.at(minutes: 2))
        #expect(try store.tokens().first?.lastUsedAt == Fixture.at(minutes: 2))
    }

    @Test func aReaderCannotWrite() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let before = try fixture.dump()
        do {
            try store.withReader { database in
                try database.execute("UPDATE page SET name = 'Renamed'")
            }
            Issue.record("a write through a read-only connection succeeded")
        } catch let error as SQLiteError {
            #expect(error.primaryCode == SQLiteError.readOnly, "\(error)")
        }
        #expect(try fixture.dump() == before)
    }

    @Test func readersAreReusedUpToTheirCount() throws {
        let fixture = try TemporaryFolder("core")
        defer { fixture.remove() }
        let store = try Store(path: fixture.file("warta.db"), readerCount: 2)
        defer { store.close() }
        #expect(store.openReaderCount == 0)
        for _ in 0..<5 {
            #expect(try store.components().isEmpty)
        }
        // One caller at a time never needs a second connection.
        #expect(store.openReaderCount == 1)
    }

    @Test func closeClosesIdleReadersAndLentOnesWhenTheyComeBack() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        _ = try store.components()
        #expect(store.openReaderCount == 1)

        try store.withReader { database in
            store.close()
            // Lent out: this read finishes on its connection, which closes when it comes back.
            #expect(store.openReaderCount == 1)
            let components = try database.queryOne("SELECT count(*) AS n FROM components")?.int("n")
            #expect(components == 0)
        }
        #expect(store.openReaderCount == 0)

        #expect(throws: StoreError.self) { try store.withReader { _ in } }
        #expect(throws: StoreError.self) { try store.components() }
        #expect(throws: StoreError.self) { try store.incidents() }
        #expect(store.openReaderCount == 0)
    }
}

/// Holds a write transaction open on the store's writer, on another thread, while `read`
/// runs on a third; the write commits after the read has returned or given up.
private enum OpenWrite {
    /// How long a read may take before it is taken to be waiting for the writer. Only a guard
    /// against a hang when the read does wait: a read that does not wait returns in
    /// milliseconds, and the test asserts what it returned, not how fast.
    static let patience: DispatchTimeInterval = .seconds(30)

    /// The read's result, or nil if it did not return while the write was open.
    static func during<T: Sendable>(_ store: Store, write: @escaping @Sendable (Database) throws -> Void,
                                    read: @escaping @Sendable () throws -> T) throws -> T? {
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let written = DispatchSemaphore(value: 0)
        let readDone = DispatchSemaphore(value: 0)
        let writeOutcome = Outcome<Void>()
        let readOutcome = Outcome<T>()

        Thread {
            writeOutcome.set(Result {
                try store.write { database in
                    try write(database)
                    inside.signal()
                    release.wait()
                }
            })
            inside.signal()  // In case the write failed before it got inside.
            written.signal()
        }.start()
        inside.wait()

        Thread {
            readOutcome.set(Result { try read() })
            readDone.signal()
        }.start()
        let returnedWhileOpen = readDone.wait(timeout: .now() + patience) == .success

        release.signal()
        written.wait()
        if !returnedWhileOpen { readDone.wait() }
        try writeOutcome.get()
        let result = try readOutcome.get()
        return returnedWhileOpen ? result : nil
    }
}

/// A result handed from one thread to another.
private final class Outcome<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ result: Result<T, any Error>) {
        lock.withLock { self.result = result }
    }

    func get() throws -> T {
        try lock.withLock { result! }.get()
    }
}

extension ReadConnectionTests {
    /// A history range returns every incident in it, not the newest thousand: a bad quarter
    /// with more than that would otherwise lose its oldest from the history page.
    @Test func aBusyRangeReturnsEveryIncident() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let first = try store.createIncident(IncidentDraft(name: "Antrean lambat"), by: Fixture.ops,
                                             now: Fixture.at(minutes: 1))
        // 1,200 more, copied in one transaction: through the store's API each would be its
        // own durable commit.
        try store.withDatabase { database in
            try database.transaction(.immediate) { database in
                for number in 1...1_200 {
                    try database.execute("CREATE TEMP TABLE copied AS SELECT * FROM incidents WHERE id = ?", [first.id])
                    try database.execute("UPDATE copied SET id = ?, started_at = ?",
                                         [String(format: "copy%08d", number),
                                          Timestamp.format(Fixture.at(minutes: Double(1 + number % 600)))])
                    try database.execute("INSERT INTO incidents SELECT * FROM copied")
                    try database.execute("DROP TABLE copied")
                }
            }
        }

        let shown = try store.incidents(shownFrom: Self.historyStart, to: Self.historyEnd)
        #expect(shown.count == 1_201)
        #expect(Set(shown.map(\.id)).count == 1_201)
        #expect(shown.contains { $0.id == first.id })
        // Newest first.
        #expect(zip(shown, shown.dropFirst()).allSatisfy { $0.startedAt >= $1.startedAt })
    }
}
