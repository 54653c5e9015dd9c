import Foundation

/// How long a new token lasts, as `warta token create --expires` takes it: a whole number
/// and a unit, `30m`, `12h`, `7d` or `2w`.
public enum TokenLifetime {
    /// The longest lifetime accepted: a token that must outlive two years should be one that
    /// never expires, chosen as such, not an accident of a typo (`700w`).
    public static let longest: TimeInterval = 730 * 86_400

    /// The seconds `text` stands for.
    /// - Throws: `ValidationError` (`.token(.expiresAt)`) saying what is accepted: another
    ///   unit, a missing or zero number, or more than `longest`.
    public static func parse(_ text: String) throws(ValidationError) -> TimeInterval {
        let units: [Character: (seconds: TimeInterval, word: String)] = [
            "m": (60, "minutes"), "h": (3_600, "hours"), "d": (86_400, "days"), "w": (604_800, "weeks"),
        ]
        let usage = "write a whole number and a unit, m (minutes), h (hours), d (days) or w (weeks), "
            + "such as 30m, 12h, 7d or 2w."
        guard let unit = text.last.flatMap({ units[$0] }),
              text.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }),
              let count = Int(text.dropLast())
        else {
            throw .invalid(.token(.expiresAt), "'\(text)' is not a lifetime: " + usage)
        }
        let seconds = TimeInterval(count) * unit.seconds
        guard count > 0 else {
            throw .invalid(.token(.expiresAt), "A token must last at least 1 \(unit.word.dropLast()): " + usage)
        }
        guard seconds <= longest else {
            throw .invalid(.token(.expiresAt), "'\(text)' is longer than a token may last (730 days, 104w); "
                           + "leave out --expires for a token that never expires.")
        }
        return seconds
    }
}
