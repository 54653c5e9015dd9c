import Foundation

/// A ready-written incident that staff post in one step (`incident[template_id]`), as
/// Statuspage's v1 incident templates: the incident's title, its first update's text and
/// status, in the page's languages, and the components it affects. Its texts may hold the
/// placeholders `{component}`, `{next_update}` and `{started}`, filled in when it is used.
public struct IncidentTemplate: Sendable, Equatable, Identifiable {
    public var id: String
    /// The template's own name, as staff pick it from a list ("Autogates down").
    public var name: String
    /// The incident's name, in the page's default language.
    public var title: String
    /// The incident's name in the page's other language, by language code.
    public var titleTranslations: [String: String]
    /// The first update's text, in the page's default language.
    public var body: String
    /// The text in the page's other language, by language code.
    public var bodyTranslations: [String: String]
    /// Statuspage's template group, kept as given; Warta does not group templates itself.
    public var groupID: String?
    /// The status the incident is posted or moved to.
    public var updateStatus: IncidentStatus
    /// Whether subscribers are told of the update the template posts.
    public var sendsNotifications: Bool
    /// The components the incident affects, in order.
    public var componentIDs: [String]
    public var createdAt: Date
    public var updatedAt: Date

    /// A template as stored.
    public init(id: String, name: String, title: String, titleTranslations: [String: String] = [:], body: String,
                bodyTranslations: [String: String] = [:], groupID: String? = nil, updateStatus: IncidentStatus,
                sendsNotifications: Bool = true, componentIDs: [String] = [], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.title = title
        self.titleTranslations = titleTranslations
        self.body = body
        self.bodyTranslations = bodyTranslations
        self.groupID = groupID
        self.updateStatus = updateStatus
        self.sendsNotifications = sendsNotifications
        self.componentIDs = componentIDs
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// What a create or an update gives; nil leaves a field as it is (on create: its default,
    /// or a refusal for `name`, `title` and `body`, which a template cannot do without).
    public struct Changes: Sendable, Equatable {
        public var name: String?
        public var title: String?
        /// Replaces the title's translations.
        public var titleTranslations: [String: String]?
        public var body: String?
        /// Replaces the body's translations.
        public var bodyTranslations: [String: String]?
        public var groupID: Patch<String> = .unchanged
        /// `investigating` on create when nil.
        public var updateStatus: IncidentStatus?
        /// True on create when nil.
        public var sendsNotifications: Bool?
        /// Replaces the components.
        public var componentIDs: [String]?

        public init() {}
    }

    // MARK: Placeholders

    /// What a template's texts may leave to the moment of use: the names of the affected
    /// components, the promised time of the next update, the time the incident started.
    public enum Placeholder: String, CaseIterable, Sendable {
        case component
        case nextUpdate = "next_update"
        case started
    }

    /// The names between braces in `text` (`{component}` gives `component`), in order of
    /// appearance, repeats included. A name is letters, digits and underscores; braces around
    /// anything else (`{ }`, `{"a": 1}`) are text, not placeholders.
    public static func placeholderNames(in text: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in text {
            if character == "{" {
                current = ""
            } else if character == "}", let name = current {
                if !name.isEmpty { names.append(name) }
                current = nil
            } else if current != nil {
                if character.isASCII && (character.isLetter || character.isNumber || character == "_") {
                    current?.append(character)
                } else {
                    current = nil
                }
            }
        }
        return names
    }

    /// The placeholders `text` uses.
    /// - Throws: `ValidationError` on `field` naming the first unknown placeholder and listing
    ///   the known ones, so a misspelt one is caught when the template is saved, not when it
    ///   is posted in a hurry.
    public static func placeholders(in text: String, field: ValidationError.Field) throws(ValidationError) -> Set<Placeholder> {
        var found: Set<Placeholder> = []
        for name in placeholderNames(in: text) {
            guard let placeholder = Placeholder(rawValue: name) else {
                throw .invalid(field, "{\(name)} is not a placeholder Warta fills in; use "
                               + Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ") + ".")
            }
            found.insert(placeholder)
        }
        return found
    }

    /// `text` with every known placeholder replaced by its value, in one pass, so a value
    /// that itself contains braces is never read as a placeholder; a placeholder without a
    /// value stays as written.
    public static func fill(_ text: String, _ values: [Placeholder: String]) -> String {
        guard text.contains("{") else { return text }
        var filled = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "{", let close = text[index...].firstIndex(of: "}"),
               let placeholder = Placeholder(rawValue: String(text[text.index(after: index)..<close])),
               let value = values[placeholder] {
                filled += value
                index = text.index(after: close)
            } else {
                filled.append(text[index])
                index = text.index(after: index)
            }
        }
        return filled
    }

    /// Every placeholder any of the template's texts uses.
    public var placeholders: Set<Placeholder> {
        let texts = [title, body] + Array(titleTranslations.values) + Array(bodyTranslations.values)
        return Set(texts.flatMap(Self.placeholderNames).compactMap(Placeholder.init(rawValue:)))
    }
}
