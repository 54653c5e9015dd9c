/// Identifiers of pages, components, groups, incidents and updates: 12 random characters of
/// `[a-z0-9]`, the form Statuspage uses (`kctbh9vrtdwd`), so clients that validate ids accept
/// ours.
///
/// 36¹² ≈ 4.7 × 10¹⁸ values: a collision among the few thousand rows a page holds is
/// negligible, and the primary key would refuse one rather than overwrite.
public enum Identifier {
    /// The characters an identifier is made of.
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// The length of every identifier.
    public static let length = 12

    /// A new random identifier. `SystemRandomNumberGenerator` is the operating system's
    /// cryptographic source (getrandom(2) on Linux); ids appear in public URLs, so they
    /// should not be guessable from earlier ones. `randomElement(using:)` draws without
    /// modulo bias.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        for _ in 0..<length {
            bytes.append(alphabet.randomElement(using: &generator)!)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `text` has the form of an identifier. A cheap check before a lookup.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { alphabet.contains($0) }
    }
}
