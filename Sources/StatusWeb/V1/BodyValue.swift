import HTTPServer

/// A decoded request body: JSON and form bodies both become this tree, so the management
/// API reads `incident[name]` the same way whichever a client sent.
public indirect enum BodyValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's text as sent, so nothing is lost to floating point.
    case number(String)
    case string(String)
    case array([BodyValue])
    /// Members in the order sent. Duplicate names are refused when parsing.
    case object([(String, BodyValue)])

    public static func == (lhs: BodyValue, rhs: BodyValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member `name` of an object.
    public subscript(name: String) -> BodyValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }

    /// The value written back as compact JSON (numbers as sent).
    public var jsonText: String {
        var writer = JSONWriter(capacity: 256)
        write(into: &writer)
        return writer.text
    }

    private func write(into writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let flag): writer.bool(flag)
        case .number(let text): writer.raw(Array(text.utf8))
        case .string(let text): writer.string(text)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(into: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for (name, member) in members {
                writer.key(string: name)
                member.write(into: &writer)
            }
            writer.endObject()
        }
    }

    /// A short name of the kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Why a body could not be decoded at all (HTTP 400).
public struct BodySyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
