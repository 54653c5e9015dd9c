/// A write or lookup the store refused because of what it was asked, never because of a fault:
/// the one error type of the domain that a client can correct.
///
/// The web layer maps `kind` to HTTP at its boundary: `.invalid` is 422 Unprocessable Content,
/// `.notFound` is 404. `field` names the offending input in the domain's terms
/// (`.incident(.name)`, `.incident(.componentStatus, key: id)`, `.incident(.identity)` for a
/// missing target); the web layer spells it the way its clients name it, so a problem+json
/// response can point at it. `message` is a full sentence that names the problem and, for
/// enums, the allowed values.
///
/// A store call that throws this has changed nothing: every write validates before it writes,
/// inside one transaction.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: Sendable, Equatable {
        /// The input breaks a rule (422).
        case invalid
        /// The target of the call does not exist (404).
        case notFound
    }

    /// What went wrong, broadly.
    public var kind: Kind
    /// The offending input.
    public var field: Field
    /// A sentence naming the problem and what would be accepted.
    public var message: String

    /// An error of any kind.
    public init(kind: Kind, field: Field, message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    /// Input that breaks a rule.
    public static func invalid(_ field: Field, _ message: String) -> ValidationError {
        ValidationError(kind: .invalid, field: field, message: message)
    }

    /// A target that does not exist.
    public static func notFound(_ field: Field, _ message: String) -> ValidationError {
        ValidationError(kind: .notFound, field: field, message: message)
    }

    /// `incident.status: ...`
    public var description: String { "\(field): \(message)" }

    /// "'down' is not an allowed value; use one of: operational, ...": the sentence for a
    /// Statuspage enum string (`ComponentStatus`, `IncidentStatus`, `Impact`) or a language
    /// that is not one of `allowed`, wherever it is read.
    public static func unknownValueMessage(_ text: String, allowed: [String]) -> String {
        "'\(text)' is not an allowed value; use one of: \(allowed.joined(separator: ", "))."
    }
}

extension ValidationError {
    /// An input, in the domain's terms: what it describes, which of its attributes, and, for
    /// an attribute that holds several values, which one (`key`: a language, a component id,
    /// a position from 0). StatusCore knows no wire format; the web layer spells a field the
    /// way its clients write it.
    public struct Field: Hashable, Sendable, CustomStringConvertible {
        /// What the input describes.
        public enum Subject: String, Hashable, Sendable {
            case page, component, componentGroup, incident, incidentUpdate, subscriber, token
        }

        /// Which of the subject's attributes.
        public enum Attribute: String, CaseIterable, Hashable, Sendable {
            /// The subject itself, named by its id (a token by its name): a target not found.
            case identity
            case name, nameTranslations, status, body, bodyTranslations
            /// The components an incident affects, or a group's members.
            case componentIDs
            /// The status an incident sets on one component (`key`: the component's id).
            case componentStatus
            case metadata, scheduledFor, scheduledUntil, nextUpdateAt, postmortemBody
            /// The group a component belongs to.
            case group
            case startDate
            case url, timeZone, defaultLanguage, logoURL, accentColor, stylesheetURL
            /// The page's header links as a whole.
            case headerLinks
            /// One header link's label or URL (`key`: its position).
            case headerLinkLabel, headerLinkURL
            /// Where a webhook subscriber is called.
            case endpoint
        }

        public var subject: Subject
        public var attribute: Attribute
        public var key: String?

        public init(_ subject: Subject, _ attribute: Attribute, key: String? = nil) {
            self.subject = subject
            self.attribute = attribute
            self.key = key
        }

        public static func page(_ attribute: Attribute, key: String? = nil) -> Field { Field(.page, attribute, key: key) }
        public static func component(_ attribute: Attribute) -> Field { Field(.component, attribute) }
        public static func componentGroup(_ attribute: Attribute) -> Field { Field(.componentGroup, attribute) }
        public static func incident(_ attribute: Attribute, key: String? = nil) -> Field {
            Field(.incident, attribute, key: key)
        }
        public static func incidentUpdate(_ attribute: Attribute) -> Field { Field(.incidentUpdate, attribute) }
        public static func subscriber(_ attribute: Attribute) -> Field { Field(.subscriber, attribute) }
        public static func token(_ attribute: Attribute) -> Field { Field(.token, attribute) }

        /// The same attribute, one of its values.
        public func keyed(_ key: String) -> Field { Field(subject, attribute, key: key) }

        /// `incident.componentStatus[k3x9abcdefgh]`, for logs and test failures.
        public var description: String {
            "\(subject.rawValue).\(attribute.rawValue)" + (key.map { "[\($0)]" } ?? "")
        }
    }

    static func unknownValue(_ text: String, field: Field, allowed: [String]) -> ValidationError {
        .invalid(field, unknownValueMessage(text, allowed: allowed))
    }
}
