extension Database {
    /// How a transaction begins (<https://www.sqlite.org/lang_transaction.html#deferred_immediate_and_exclusive_transactions>).
    public enum TransactionKind: String, Sendable {
        /// `BEGIN DEFERRED`: no lock until the first statement; the first read takes the
        /// transaction's snapshot and keeps it to the end. In WAL mode it never waits for,
        /// nor delays, a writer on another connection: the kind for a consistent set of reads.
        case deferred = "DEFERRED"
        /// `BEGIN IMMEDIATE`: the write lock is taken at once. A deferred transaction that
        /// reads first and writes later can fail with `SQLITE_BUSY` at the write, which the
        /// busy timeout cannot help once another connection has written; taking the lock at
        /// the start makes the busy timeout the only wait. The kind for every write.
        case immediate = "IMMEDIATE"
    }

    /// Runs `body` in one transaction of `kind`: committed if it returns, rolled back if it
    /// (or the commit) throws, and the original error is rethrown.
    ///
    /// Transactions do not nest: calling this inside an open transaction throws a misuse
    /// error before running `body`. Savepoints would make an inner rollback look like a
    /// failure the outer code might not see; Warta's writes are one transaction each, so
    /// nesting is a bug to report, not a feature to support.
    ///
    /// The rollback also runs when a COMMIT fails (for example on a deferred constraint), and
    /// is skipped when SQLite already rolled back by itself after an I/O or disk-full error
    /// (<https://www.sqlite.org/lang_transaction.html#response_to_errors_within_a_transaction>).
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: (Database) throws -> T) throws -> T {
        guard !isInTransaction else {
            throw SQLiteError(
                extendedCode: SQLiteError.misuse,
                message: "transaction() was called inside an open transaction; transactions do not nest")
        }
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction {
                // A failed ROLLBACK leaves nothing better to report than the original error.
                try? execute("ROLLBACK")
            }
            throw error
        }
    }
}
