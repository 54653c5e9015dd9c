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

    static func unknownValue(_ text: String, field: Field, allowed: [String]) -> ValidationError {
        .invalid(field, unknownValueMessage(text, allowed: allowed))
    }
}
