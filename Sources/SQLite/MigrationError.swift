/// Why a set of migrations was refused, or why applying one failed.
///
/// The descriptions are written for the operator who reads them in a log when the server
/// refuses to start; each names the migration file concerned.
public enum MigrationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A name that is not `NNNN_name.sql`.
    case invalidName(String)
    /// Two migrations with the same number (or the same name twice).
    case duplicateNumber(String, String)
    /// The database records a migration this binary does not have: it was probably created by
    /// a newer version, and running older code on it could corrupt it.
    case unknownMigration(String)
    /// An applied migration whose file has changed since: the schema may not match the file.
    case changedMigration(name: String, recordedChecksum: String, currentChecksum: String)
    /// A new migration that sorts before one already applied, e.g. after merging branches.
    case outOfOrder(pending: String, lastApplied: String)
    /// Applying a migration failed; its transaction was rolled back.
    case failed(String, SQLiteError)

    /// One sentence for the operator, naming the file and what to do.
    public var description: String {
        switch self {
        case .invalidName(let name):
            "migration file name \(name) is not of the form NNNN_name.sql (four digits, then lowercase letters, digits, '_' or '-')"
        case .duplicateNumber(let first, let second) where first == second:
            "migration \(first) is listed twice"
        case .duplicateNumber(let first, let second):
            "migrations \(first) and \(second) have the same number; renumber one of them"
        case .unknownMigration(let name):
            "database has migration \(name) that this version of Warta does not know; refusing to start (was it created by a newer version?)"
        case .changedMigration(let name, let recorded, let current):
            "migration \(name) was changed after it was applied (checksum \(recorded) when applied, \(current) now); restore the applied version and put changes in a new migration"
        case .outOfOrder(let pending, let lastApplied):
            "migration \(pending) is new but sorts before \(lastApplied), which is already applied; refusing to apply migrations out of order (renumber it after \(lastApplied))"
        case .failed(let name, let error):
            "migration \(name) failed and was rolled back: \(error)"
        }
    }
}
