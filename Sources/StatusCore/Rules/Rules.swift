import Foundation

/// The input rules shared by the store's writes. Each throws `ValidationError.invalid` naming
/// the field.
///
/// Lengths count Unicode scalars, which is what SQLite's `length()` counts in the schema's
/// CHECK constraints: counting grapheme clusters instead would let an emoji-heavy name pass
/// here and then fail the constraint as an unexplained SQLite error.
enum Rules {
    static let maximumNameLength = 255
    static let maximumBodyLength = 25_000
    static let maximumTokenNameLength = 100
    static let maximumHeaderLinks = 10
    /// The languages the page speaks.
    static let languages = ["id", "en"]

    /// Required, not blank, at most 255 characters.
    static func name(_ text: String, field: ValidationError.Field) throws {
        guard !text.allSatisfy(\.isWhitespace) else {
            throw ValidationError.invalid(field, "The name is empty; give 1 to \(maximumNameLength) characters.")
        }
        let length = text.unicodeScalars.count
        guard length <= maximumNameLength else {
            throw ValidationError.invalid(
                field, "The name is \(length) characters long; at most \(maximumNameLength) are allowed.")
        }
        // A name is one line of text. NUL in particular would also cut SQLite's length() short.
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ValidationError.invalid(field, "The name contains a control character (a line break, a tab or NUL); use plain text on one line.")
        }
    }

    /// At most 25,000 characters; may be empty.
    static func body(_ text: String, field: ValidationError.Field) throws {
        let length = text.unicodeScalars.count
        guard length <= maximumBodyLength else {
            throw ValidationError.invalid(
                field, "The text is \(length) characters long; at most \(maximumBodyLength) are allowed.")
        }
        // Line breaks and tabs are text; other control characters (NUL first) are not.
        guard !text.unicodeScalars.contains(where: { ($0.value < 0x20 && !"\n\r\t".unicodeScalars.contains($0)) || $0.value == 0x7F }) else {
            throw ValidationError.invalid(field, "The text contains a control character other than a line break or tab.")
        }
    }

    /// Translations into the page's other language. The default language's text is the primary
    /// `name`/`body`, so a translation into it would be a second, conflicting primary text.
    /// Empty values are dropped (an empty translation means "none").
    static func translations(_ map: [String: String], field: ValidationError.Field, defaultLanguage: String,
                             check: (String, ValidationError.Field) throws -> Void) throws -> [String: String] {
        let others = languages.filter { $0 != defaultLanguage }
        var kept: [String: String] = [:]
        for (language, text) in map.sorted(by: { $0.key < $1.key }) {
            guard others.contains(language) else {
                let reason = language == defaultLanguage
                    ? "'\(language)' is the page's default language, whose text is the primary one"
                    : "'\(language)' is not a language of the page"
                throw ValidationError.invalid(
                    field, "\(reason); translations may only be given in: \(others.joined(separator: ", ")).")
            }
            guard !text.isEmpty else { continue }
            try check(text, field.keyed(language))
            kept[language] = text
        }
        return kept
    }

    /// The incident statuses allowed for an incident or a maintenance, for messages.
    static func allowedStatuses(maintenance: Bool) -> [IncidentStatus] {
        maintenance ? IncidentStatus.maintenanceStatuses : IncidentStatus.incidentStatuses
    }

    /// An incident takes incident statuses, a maintenance maintenance statuses.
    static func status(_ status: IncidentStatus, maintenance: Bool, field: ValidationError.Field) throws {
        guard status.isMaintenanceStatus == maintenance else {
            let kind = maintenance ? "A scheduled maintenance" : "An incident"
            let allowed = allowedStatuses(maintenance: maintenance).map(\.rawValue).joined(separator: ", ")
            throw ValidationError.invalid(
                field, "\(kind) cannot have status '\(status.rawValue)'; use one of: \(allowed).")
        }
    }

    /// A maintenance window: both ends, the end after the start.
    static func window(from start: Date?, until end: Date?, of subject: ValidationError.Field.Subject) throws {
        guard let start else {
            throw ValidationError.invalid(
                ValidationError.Field(subject, .scheduledFor), "A scheduled maintenance needs scheduled_for, the start of its window.")
        }
        guard let end else {
            throw ValidationError.invalid(
                ValidationError.Field(subject, .scheduledUntil), "A scheduled maintenance needs scheduled_until, the end of its window.")
        }
        // Compared as stored (to the millisecond), as the schema's CHECK compares them.
        guard Timestamp.format(end) > Timestamp.format(start) else {
            throw ValidationError.invalid(
                ValidationError.Field(subject, .scheduledUntil),
                "scheduled_until (\(Timestamp.format(end))) must be after scheduled_for (\(Timestamp.format(start))).")
        }
    }

    /// `http://` or `https://` with a host; with `allowingPath`, also a path on this server.
    static func url(_ text: String, field: ValidationError.Field, allowingPath: Bool) throws {
        if allowingPath, text.hasPrefix("/"), !text.hasPrefix("//") { return }
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
              let url = URL(string: text), let host = url.host, !host.isEmpty,
              !text.contains(where: { $0.isWhitespace })
        else {
            let also = allowingPath ? " or a path starting with /" : ""
            throw ValidationError.invalid(field, "'\(text)' is not a URL; give an http:// or https:// URL\(also).")
        }
    }

    /// `#rrggbb`.
    static func color(_ text: String, field: ValidationError.Field) throws {
        let bytes = Array(text.utf8)
        let hex = bytes.dropFirst().allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#"), hex else {
            throw ValidationError.invalid(field, "'\(text)' is not a color; give it as #rrggbb, e.g. #0a7d45.")
        }
    }

    /// `YYYY-MM-DD`, a real day.
    static func calendarDay(_ text: String, field: ValidationError.Field) throws {
        guard Timestamp.isCalendarDay(text) else {
            throw ValidationError.invalid(field, "'\(text)' is not a date; give it as YYYY-MM-DD, e.g. 2026-01-31.")
        }
    }

    static func timeZone(_ text: String, field: ValidationError.Field) throws {
        guard TimeZone(identifier: text) != nil else {
            throw ValidationError.invalid(
                field, "'\(text)' is not a known IANA time zone; give one like Asia/Jakarta or Etc/UTC.")
        }
    }

    static func language(_ text: String, field: ValidationError.Field) throws {
        guard languages.contains(text) else {
            throw ValidationError.unknownValue(text, field: field, allowed: languages)
        }
    }

    static func metadata(_ text: String, field: ValidationError.Field) throws {
        guard StoredJSON.isObject(text) else {
            throw ValidationError.invalid(field, "The metadata is not a JSON object; give an object such as {}.")
        }
    }

    /// Every listed id must be a component; duplicates are dropped, the first occurrence kept.
    static func componentIDs(_ ids: [String], known: [String: Component], field: ValidationError.Field) throws -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for id in ids {
            guard known[id] != nil else {
                throw ValidationError.invalid(field, "There is no component with id '\(id)'.")
            }
            if seen.insert(id).inserted { result.append(id) }
        }
        return result
    }
}
