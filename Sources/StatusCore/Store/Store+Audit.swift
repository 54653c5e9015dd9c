import Foundation
import SQLite

extension Store {
    /// The audit log, newest first (by insertion order, which a driven or skewed clock cannot
    /// reorder).
    ///
    /// - Parameters:
    ///   - limit: Entries per page, 1 to 100 (clamped).
    ///   - page: 1-based.
    public func auditLog(limit: Int = 100, page: Int = 1) throws -> [AuditEntry] {
        let (limit, offset) = Self.pagination(limit: limit, page: page)
        return try withReader { database in
            try RowReader.readers(database.query(
                "SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", [limit, offset]
            )).map { row in
                AuditEntry(
                    id: try row.int64("id"), at: try row.date("at"), tokenName: try row.string("token_name"),
                    action: try row.string("action"), targetType: try row.string("target_type"),
                    targetID: try row.string("target_id"), clientAddress: try row.string("client_address"),
                    detailJSON: try row.string("detail"))
            }
        }
    }

    /// What an audit row says about a change, stored as its `detail` JSON. Absent fields are
    /// left out of the JSON.
    struct AuditDetail: Encodable {
        /// The fields the write changed (v1 names), sorted.
        var fields: [String]?
        /// The target's name, for creates and deletes (the row itself may be gone).
        var name: String?
        /// The incident's status after the write.
        var status: String?
        /// The incident update the write appended.
        var updateID: String?
        /// True for changes made by time (`applyTimeDrivenChanges`).
        var automatic: Bool?

        enum CodingKeys: String, CodingKey {
            case fields, name, status, automatic
            case updateID = "update_id"
        }
    }

    /// Records a successful write; called inside the write's transaction so the row and the
    /// change commit or vanish together.
    static func audit(_ database: Database, by actor: Actor, action: String, targetType: String, targetID: String,
                      detail: AuditDetail, now: Date) throws {
        try database.execute("""
            INSERT INTO audit_log (at, token_name, action, target_type, target_id, client_address, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [Timestamp.format(now), actor.tokenName, action, targetType, targetID, actor.clientAddress,
             StoredJSON.encode(detail)])
    }

    /// LIMIT and OFFSET for v1's `limit` (default and maximum 100) and 1-based `page`; values
    /// out of range are clamped rather than refused, as Statuspage does.
    static func pagination(limit: Int, page: Int) -> (limit: Int, offset: Int) {
        let limit = min(max(limit, 1), 100)
        let page = min(max(page, 1), Int.max / 100)
        return (limit, (page - 1) * limit)
    }
}
