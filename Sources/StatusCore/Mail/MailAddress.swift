/// The rules an email address must meet to be stored: the common subset of RFC 5321's
/// `Mailbox` that every relay accepts, so what is stored can always be sent.
public enum MailAddress {
    /// RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its angle brackets.
    public static let maximumLength = 254
    /// RFC 5321 §4.5.3.1.1.
    public static let maximumLocalPartLength = 64

    /// Characters of an unquoted local part (RFC 5322 `atext` and the dot).
    private static let localCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.".utf8)

    /// Why `address` cannot be stored, in words for the person who typed it; nil when it can.
    ///
    /// Refused: anything over 254 octets or with a local part over 64; a control character
    /// anywhere (CR or LF would let an address write mail headers), a space, angle brackets;
    /// a quoted or empty local part, dots at its ends or doubled; a domain that is not
    /// dot-separated labels of letters, digits and hyphens (a host in punycode), or without
    /// a dot, or an address literal.
    public static func problem(with address: String) -> String? {
        let bytes = Array(address.utf8)
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            return "An email address cannot contain a line break or another control character."
        }
        guard bytes.count <= maximumLength else {
            return "An email address is at most \(maximumLength) characters; this one has \(bytes.count)."
        }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else {
            return "An email address has the form name@example.org."
        }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard local.count <= maximumLocalPartLength else {
            return "The part before @ is at most \(maximumLocalPartLength) characters."
        }
        guard local.allSatisfy(localCharacters.contains), local.first != UInt8(ascii: "."),
              local.last != UInt8(ascii: "."), !zip(local, local.dropFirst()).contains(where: { $0 == 46 && $1 == 46 })
        else {
            return "The part before @ may hold letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ and single dots."
        }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let labelCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".utf8)
        guard labels.count >= 2, labels.allSatisfy({ label in
            (1...63).contains(label.count) && label.allSatisfy(labelCharacters.contains)
                && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
        }) else {
            return "The part after @ must be a domain such as example.org (a name in another script in its xn-- form)."
        }
        return nil
    }
}
