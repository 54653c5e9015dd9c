/// One schema migration: the name and text of a file in `migrations/`.
///
/// The name is the file name, `NNNN_name.sql`: four digits that set the order, an underscore,
/// a name of lowercase letters, digits, `_` or `-`, and `.sql`. `Migrator` checks it.
public struct Migration: Sendable, Equatable {
    /// The file name, e.g. `0001_init.sql`; recorded in `schema_migrations` once applied.
    public let name: String
    /// The SQL script: any number of statements, run as one transaction. It must not contain
    /// BEGIN, COMMIT, ROLLBACK, SAVEPOINT or RELEASE.
    public let sql: String

    /// A migration; its name is checked when it is given to a `Migrator`.
    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    /// Hex of the 64-bit FNV-1a hash of the script's UTF-8 bytes
    /// (<http://www.isthe.com/chongo/tech/comp/fnv/>). It detects a file edited after it was
    /// applied; it is not meant to resist deliberate tampering.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The four-digit number that orders migrations, or nil if the name is malformed.
    var number: Substring? {
        let utf8 = Array(name.utf8)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let isNameCharacter = { (byte: UInt8) in
            isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard utf8.count > 9,
            utf8[0..<4].allSatisfy(isDigit),
            utf8[4] == UInt8(ascii: "_"),
            name.hasSuffix(".sql"),
            utf8[5..<(utf8.count - 4)].allSatisfy(isNameCharacter)
        else { return nil }
        return name.prefix(4)
    }
}
