import Foundation
import SQLite
@testable import StatusCore
import TestSupport
import Testing

/// A store on a fresh SQLite file in its own temporary folder, removed when the fixture goes.
final class TemporaryStore {
    let folder: TemporaryFolder
    let path: String
    let store: Store

    init() throws {
        folder = try TemporaryFolder("core")
        path = folder.file("warta.db")
        store = try Store(path: path)
    }

    deinit {
        store.close()
        folder.remove()
    }

    /// Every row of every table, in one order, so two dumps are equal exactly when nothing
    /// was written in between. Rows are sorted by their text: tables declared `WITHOUT ROWID`
    /// have no rowid to order by.
    func dump() throws -> [String: [[SQLiteValue]]] {
        try store.withDatabase { database in
            let tables = try database.query(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).map { try $0.string("name") }
            var dump: [String: [[SQLiteValue]]] = [:]
            for table in tables {
                // Table names come from sqlite_schema, not from input; they cannot be bound.
                let statement = try database.cachedStatement("SELECT * FROM \"\(table)\"")
                dump[table] = try statement.query().map(\.values).sorted { "\($0)" < "\($1)" }
            }
            return dump
        }
    }

    /// Runs SQL directly, for fixtures too large to build through the API quickly.
    func sql<T>(_ body: (Database) throws -> T) throws -> T {
        try store.withDatabase { database in try database.transaction(.immediate, body) }
    }
}

enum Fixture {
    static let ops = Actor(tokenName: "ops", clientAddress: "203.0.113.7")

    /// 2026-11-29T05:00:00.000Z: a fixed instant tests move from.
    static let t0 = Timestamp.parse("2026-11-29T05:00:00.000Z")!

    static func at(minutes: Double) -> Date {
        t0.addingTimeInterval(minutes * 60)
    }

    static func at(days: Double) -> Date {
        t0.addingTimeInterval(days * 86_400)
    }

    /// `Website` at the top level, then group `Backend` holding `API` and `Database`.
    struct Page: Sendable {
        let website: Component
        let backend: ComponentGroup
        let api: Component
        let database: Component
    }

    static func makePage(_ store: Store, now: Date = t0) throws -> Page {
        let website = try store.createComponent(ComponentDraft(name: "Website"), by: ops, now: now)
        let backend = try store.createComponentGroup(ComponentGroupDraft(name: "Backend"), by: ops, now: now)
        let api = try store.createComponent(ComponentDraft(name: "API", groupID: backend.id), by: ops, now: now)
        let database = try store.createComponent(ComponentDraft(name: "Database", groupID: backend.id), by: ops, now: now)
        return Page(website: website, backend: try store.componentGroup(id: backend.id), api: api, database: database)
    }

    /// Expects `body` to throw exactly this `ValidationError` kind and field.
    static func expectValidation(_ kind: ValidationError.Kind, _ field: ValidationError.Field,
                                 sourceLocation: SourceLocation = #_sourceLocation,
                                 _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a ValidationError on \(field), but the call succeeded", sourceLocation: sourceLocation)
        } catch let error as ValidationError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a ValidationError on \(field), got \(error)", sourceLocation: sourceLocation)
        }
    }
}
