/// Where a database stands against the migrations a binary knows, for `warta check` and for
/// the refusal `Migrator.migrate(_:)` makes before applying anything.
public struct MigrationStatus: Sendable, Equatable {
    /// Migrations recorded in the database and known here, in order.
    public let applied: [String]
    /// Known migrations not yet recorded, in the order they would be applied.
    public let pending: [String]
    /// Reasons `migrate(_:)` would refuse to run: unknown or changed recorded migrations, or a
    /// pending one that sorts before an applied one. Empty when migrating is safe.
    public let problems: [MigrationError]

    /// A status; made by `Migrator.status(_:)`, public so callers can build one in tests.
    public init(applied: [String], pending: [String], problems: [MigrationError]) {
        self.applied = applied
        self.pending = pending
        self.problems = problems
    }

    /// True when nothing is pending and nothing is wrong.
    public var isUpToDate: Bool { pending.isEmpty && problems.isEmpty }
}
