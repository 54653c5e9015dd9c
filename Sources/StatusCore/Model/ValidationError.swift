/// A write or lookup the store refused because of what it was asked, never because of a fault:
/// the one error type of the domain that a client can correct.
///
/// The web layer maps `kind` to HTTP at its boundary: `.invalid` is 422 Unprocessable Content,
/// `.notFound` is 404. `field` names the offending input the way v1 clients name it in form
/// bodies (`incident[status]`, `component[name]`, `incident[components][k3x9abcdefgh]`), or the
/// path parameter (`incident_id`) for a missing target, so a problem+json response can point at
/// it. `message` is a full sentence that names the problem and, for enums, the allowed values.
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
    /// The offending field, in v1 form-field notation.
    public var field: String
    /// A sentence naming the problem and what would be accepted.
    public var message: String

    /// An error of any kind.
    public init(kind: Kind, field: String, message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    /// Input that breaks a rule.
    public static func invalid(_ field: String, _ message: String) -> ValidationError {
        ValidationError(kind: .invalid, field: field, message: message)
    }

    /// A target that does not exist.
    public static func notFound(_ field: String, _ message: String) -> ValidationError {
        ValidationError(kind: .notFound, field: field, message: message)
    }

    /// `incident[status]: ...`
    public var description: String { "\(field): \(message)" }

    /// Reads a Statuspage enum string (`ComponentStatus`, `IncidentStatus`, `Impact`), for the
    /// web layer: an unknown value throws `.invalid` listing every allowed value.
    ///
    /// ```swift
    /// let status = try ValidationError.decode(ComponentStatus.self, from: "major_outage", field: "component[status]")
    /// ```
    public static func decode<Value: RawRepresentable & CaseIterable>(
        _ type: Value.Type, from text: String, field: String
    ) throws -> Value where Value.RawValue == String {
        if let value = Value(rawValue: text) { return value }
        throw unknownValue(text, field: field, allowed: Value.allCases.map(\.rawValue))
    }

    /// "'down' is not a valid status; use one of: operational, ...".
    static func unknownValue(_ text: String, field: String, allowed: [String]) -> ValidationError {
        .invalid(field, "'\(text)' is not an allowed value; use one of: \(allowed.joined(separator: ", ")).")
    }
}
