import Foundation

/// One mail Warta sends to one subscriber: a plain-text and an HTML rendering of the same
/// content, turned into the bytes of an RFC 5322 message with a MIME body (RFC 2045, 2046).
///
/// The bytes are 7-bit ASCII with CRLF line endings throughout, so any relay takes them:
/// non-ASCII header text becomes RFC 2047 encoded-words and both parts are quoted-printable.
/// The fields are checked when the message is rendered, not when it is built, so a value
/// changed afterwards cannot slip past the check: see `rendered(timeZone:)`.
public struct MailMessage: Sendable, Equatable {
    /// The sender's display name, any Unicode ("Status Imigrasi").
    public var fromName: String
    /// The sender's address ("status@imigrasi.example"), ASCII.
    public var fromAddress: String
    /// The one recipient's address, ASCII (an internationalised domain in its `xn--` form).
    public var to: String
    /// Any Unicode, any length; line breaks and other control characters become spaces.
    public var subject: String
    public var date: Date
    /// Without angle brackets: "incident.abc.def@imigrasi.example" (RFC 5322 §3.6.4).
    public var messageID: String
    /// The message this one follows, without angle brackets: mail clients thread on it.
    public var inReplyTo: String?
    /// The thread so far, oldest first, without angle brackets.
    public var references: [String]
    /// An https URL that unsubscribes with one POST (RFC 8058): it becomes
    /// `List-Unsubscribe: <url>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
    public var listUnsubscribe: String?
    /// The text/plain part.
    public var text: String
    /// The text/html part.
    public var html: String
    /// `Content-Language` (RFC 3282): "id", "en".
    public var language: String?

    public init(fromName: String, fromAddress: String, to: String, subject: String, date: Date,
                messageID: String, inReplyTo: String? = nil, references: [String] = [],
                listUnsubscribe: String? = nil, text: String, html: String, language: String? = nil) {
        self.fromName = fromName
        self.fromAddress = fromAddress
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.listUnsubscribe = listUnsubscribe
        self.text = text
        self.html = html
        self.language = language
    }

    /// A field that cannot go into a header as it is: a line break in an address would let
    /// whoever chose it add header fields of their own (header injection).
    public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The property at fault: "to", "fromAddress", "messageID", "references", ...
        public let field: String
        /// What is wrong with it, in words that never repeat the value.
        public let problem: String

        public var description: String { "mail field \(field): \(problem)" }
    }

    /// The whole message, ready for SMTP `DATA`: header fields, an empty line, and a
    /// multipart/alternative body (RFC 2046 §5.1.4) with the text part first, as the
    /// richer part comes last.
    ///
    /// Throws, naming the field, when an address, a message id or the unsubscribe URL holds
    /// a control character (CR or LF above all), a space, or anything else that does not
    /// belong there. `date` is written in `timeZone` (RFC 5322 §3.3), UTC unless asked.
    public func rendered(timeZone: TimeZone = TimeZone(secondsFromGMT: 0)!) throws(FieldError) -> [UInt8] {
        try Self.checkAddress(fromAddress, field: "fromAddress")
        try Self.checkAddress(to, field: "to")
        try Self.checkMessageID(messageID, field: "messageID")
        if let inReplyTo { try Self.checkMessageID(inReplyTo, field: "inReplyTo") }
        for reference in references { try Self.checkMessageID(reference, field: "references") }
        if let listUnsubscribe { try Self.checkUnsubscribeURL(listUnsubscribe) }
        if let language { try Self.checkLanguage(language) }

        var header = HeaderLines()
        header.add("From", mailbox: fromAddress, displayName: fromName)
        header.add("To", to)
        header.add("Subject", unstructured: subject)
        header.add("Date", Self.dateTime(date, in: timeZone))
        header.add("Message-ID", "<\(messageID)>")
        if let inReplyTo { header.add("In-Reply-To", "<\(inReplyTo)>") }
        if !references.isEmpty { header.add("References", words: references.map { "<\($0)>" }) }
        header.add("MIME-Version", "1.0")
        if let language { header.add("Content-Language", language) }
        // RFC 3834 §5: vacation responders and other automatons do not answer it.
        header.add("Auto-Submitted", "auto-generated")
        if let listUnsubscribe {
            header.add("List-Unsubscribe", "<\(listUnsubscribe)>")
            header.add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        }

        let parts = [("text/plain", QuotedPrintable.encode(text)), ("text/html", QuotedPrintable.encode(html))]
        let boundary = Self.boundary(for: parts.map(\.1))
        header.add("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")

        var message = header.bytes
        message += Array("\r\n".utf8)
        for (type, body) in parts {
            message += Array("--\(boundary)\r\n".utf8)
            message += Array("Content-Type: \(type); charset=utf-8\r\n".utf8)
            message += Array("Content-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            message += body
            // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
            message += Array("\r\n".utf8)
        }
        message += Array("--\(boundary)--\r\n".utf8)
        return message
    }
}

// MARK: - Checks

extension MailMessage {
    /// An address as SMTP and a header both take it: printable ASCII, one `@` between a
    /// non-empty local part and domain, none of the characters that end or nest an address
    /// in a header (RFC 5322 §3.4), at most 254 characters (RFC 5321 §4.5.3.1).
    static func checkAddress(_ address: String, field: String) throws(FieldError) {
        try checkToken(address, field: field, limit: 254)
        let excluded = Set("<>()[]\\,;:\"")
        guard !address.contains(where: excluded.contains) else {
            throw FieldError(field: field, problem: "has a character an address cannot hold")
        }
        let halves = address.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty else {
            throw FieldError(field: field, problem: "is not one local part, @ and a domain")
        }
    }

    /// A message id without its angle brackets (RFC 5322 §3.6.4): `left@right`, no brackets.
    static func checkMessageID(_ id: String, field: String) throws(FieldError) {
        try checkToken(id, field: field, limit: 250)
        guard !id.contains(where: { $0 == "<" || $0 == ">" }) else {
            throw FieldError(field: field, problem: "must not hold angle brackets")
        }
        guard let at = id.firstIndex(of: "@"), at != id.startIndex, id.index(after: at) != id.endIndex else {
            throw FieldError(field: field, problem: "is not of the form left@right")
        }
    }

    /// RFC 8058 §3.1: the one-click URL is https.
    static func checkUnsubscribeURL(_ url: String) throws(FieldError) {
        try checkToken(url, field: "listUnsubscribe", limit: 900)
        guard !url.contains(where: { $0 == "<" || $0 == ">" }),
              let components = URLComponents(string: url), components.scheme?.lowercased() == "https",
              let host = components.host, !host.isEmpty
        else { throw FieldError(field: "listUnsubscribe", problem: "is not an https URL") }
    }

    /// A language tag (RFC 5646): letters, digits and hyphens.
    static func checkLanguage(_ language: String) throws(FieldError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".unicodeScalars)
        guard !language.isEmpty, language.count <= 35, language.unicodeScalars.allSatisfy(allowed.contains)
        else { throw FieldError(field: "language", problem: "is not a language tag") }
    }

    /// Non-empty printable ASCII without spaces, at most `limit` characters: what fits whole
    /// on one header line and cannot start another.
    private static func checkToken(_ value: String, field: String, limit: Int) throws(FieldError) {
        guard !value.isEmpty else { throw FieldError(field: field, problem: "is empty") }
        for scalar in value.unicodeScalars {
            if scalar == "\r" || scalar == "\n" { throw FieldError(field: field, problem: "has a line break") }
            if scalar.value < 0x20 || scalar.value == 0x7F { throw FieldError(field: field, problem: "has a control character") }
            if scalar == " " { throw FieldError(field: field, problem: "has a space") }
            if !scalar.isASCII { throw FieldError(field: field, problem: "is not ASCII") }
        }
        guard value.utf8.count <= limit else { throw FieldError(field: field, problem: "is longer than \(limit) characters") }
    }
}

// MARK: - Date and boundary

extension MailMessage {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 5322 §3.3 date-time, in English whatever the locale: `Sun, 29 Nov 2026 05:31:03 +0000`.
    static func dateTime(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date) / 60
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        let zone = (offset < 0 ? "-" : "+") + two(abs(offset) / 60) + two(abs(offset) % 60)
        return "\(weekdays[parts.weekday! - 1]), \(two(parts.day!)) \(months[parts.month! - 1]) \(parts.year!) "
            + "\(two(parts.hour!)):\(two(parts.minute!)):\(two(parts.second!)) \(zone)"
    }

    /// A boundary derived from the parts, so the same message always has the same bytes.
    /// It starts with `=_`, which quoted-printable never writes (`=` is always `=3D` or a
    /// soft break): it cannot occur in the parts; the check below makes sure all the same.
    static func boundary(for parts: [[UInt8]]) -> String {
        var salt = 0
        while true {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits
            for byte in parts.joined() + Array(String(salt).utf8) {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            let hex = String(hash, radix: 16)
            let boundary = "=_warta_" + String(repeating: "0", count: 16 - hex.count) + hex
            let delimiter = Array(("--" + boundary).utf8)
            if !parts.contains(where: { $0.firstRange(of: delimiter) != nil }) { return boundary }
            salt += 1
        }
    }
}
