import Foundation

/// Typed reads of one object of a request body (`incident`, `component`, ...), with errors
/// that name the field the way the client wrote it: `incident[status]`.
///
/// Form bodies carry only strings, so booleans accept `true`/`false`/`1`/`0` and numbers
/// their decimal text; JSON bodies must use the JSON types.
public struct FieldReader {
    public let object: [(String, BodyValue)]
    /// The path of this object, e.g. `incident`.
    public let path: String

    /// The object named `root` in `body`; nil when the body has none.
    public init?(_ body: BodyValue, root: String) throws(APIError) {
        guard let value = body[root] else { return nil }
        guard case .object(let members) = value else {
            throw .invalid(root, "\(root) must be an object, not \(value.kindName).")
        }
        self.init(members: members, path: root)
    }

    init(members: [(String, BodyValue)], path: String) {
        self.object = members
        self.path = path
    }

    /// The field as the client wrote it: `incident[status]`, or `subscribers` at the top
    /// level of the body (an empty path).
    public func name(_ field: String) -> String { path.isEmpty ? field : "\(path)[\(field)]" }

    public func has(_ field: String) -> Bool { object.contains { $0.0 == field } }

    public func value(_ field: String) -> BodyValue? { object.first { $0.0 == field }?.1 }

    /// Every member name, for refusing unknown fields where that matters.
    public var fieldNames: [String] { object.map(\.0) }

    /// A string, nil when absent. `null` is refused: this field cannot be cleared.
    public func string(_ field: String) throws(APIError) -> String? {
        switch value(field) {
        case nil: return nil
        case .string(let text)?: return text
        case let other?: throw .invalid(name(field), "\(name(field)) must be a string, not \(other.kindName).")
        }
    }

    /// A string that may be cleared: absent → nil; `null` or an empty string (all a form can
    /// send) → .some(nil).
    public func nullableString(_ field: String) throws(APIError) -> String?? {
        switch value(field) {
        case nil: return nil
        case .null?: return .some(nil)
        case .string(let text)? where text.isEmpty: return .some(nil)
        case .string(let text)?: return .some(text)
        case let other?: throw .invalid(name(field), "\(name(field)) must be a string or null, not \(other.kindName).")
        }
    }

    public func bool(_ field: String) throws(APIError) -> Bool? {
        switch value(field) {
        case nil: return nil
        case .bool(let flag)?: return flag
        case .string(let text)?:
            switch text.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: throw .invalid(name(field), "\(name(field)) must be true or false, not \"\(text)\".")
            }
        case let other?: throw .invalid(name(field), "\(name(field)) must be a boolean, not \(other.kindName).")
        }
    }

    public func int(_ field: String) throws(APIError) -> Int? {
        let text: String
        switch value(field) {
        case nil: return nil
        case .number(let number)?: text = number
        case .string(let string)?: text = string
        case let other?: throw .invalid(name(field), "\(name(field)) must be a whole number, not \(other.kindName).")
        }
        guard let number = Int(text) else {
            throw .invalid(name(field), "\(name(field)) must be a whole number, not \"\(text)\".")
        }
        return number
    }

    /// An instant in ISO 8601 (`2026-11-29T14:59:00Z`, `2026-11-29T21:59:00.000+07:00`).
    /// Absent → nil; `null` → .some(nil).
    public func date(_ field: String) throws(APIError) -> Date?? {
        switch value(field) {
        case nil: return nil
        case .null?: return .some(nil)
        case .string(let text)? where text.isEmpty: return .some(nil)
        case .string(let text)?:
            guard let date = ISO8601.parse(text) else {
                throw .invalid(name(field), "\(name(field)) must be an ISO 8601 date and time with a zone, like 2026-11-29T14:59:00Z; got \"\(text)\".")
            }
            guard ISO8601.supportedRange.contains(date) else {
                throw .invalid(name(field), "\(name(field)) must be between the years 2000 and 9000; got \"\(text)\".")
            }
            return .some(date)
        case let other?: throw .invalid(name(field), "\(name(field)) must be a date string, not \(other.kindName).")
        }
    }

    /// A list of strings (`[]` form fields or a JSON array).
    public func stringArray(_ field: String) throws(APIError) -> [String]? {
        switch value(field) {
        case nil: return nil
        case .array(let elements)?:
            var strings: [String] = []
            for element in elements {
                guard case .string(let text) = element else {
                    throw .invalid(name(field), "\(name(field)) must be a list of strings.")
                }
                strings.append(text)
            }
            return strings
        case let other?: throw .invalid(name(field), "\(name(field)) must be a list, not \(other.kindName).")
        }
    }

    /// A map of strings (`[key]` form fields or a JSON object of strings), in the order sent.
    public func stringMap(_ field: String) throws(APIError) -> [(String, String)]? {
        switch value(field) {
        case nil: return nil
        case .object(let members)?:
            var pairs: [(String, String)] = []
            for (key, element) in members {
                guard case .string(let text) = element else {
                    throw .invalid("\(name(field))[\(key)]", "\(name(field))[\(key)] must be a string.")
                }
                pairs.append((key, text))
            }
            return pairs
        case let other?: throw .invalid(name(field), "\(name(field)) must be an object, not \(other.kindName).")
        }
    }

    /// A nested object, e.g. `incident[translations]`.
    public func nested(_ field: String) throws(APIError) -> FieldReader? {
        switch value(field) {
        case nil: return nil
        case .object(let members)?: return FieldReader(members: members, path: name(field))
        case let other?: throw .invalid(name(field), "\(name(field)) must be an object, not \(other.kindName).")
        }
    }
}

/// ISO 8601 instants as clients send them: with a zone (`Z` or `±hh:mm`), seconds optional
/// fraction.
public enum ISO8601 {
    /// Instants a status page can mean. Outside it, calendars disagree (Julian dates before
    /// 1582, zone offsets in seconds before 1970) and formatting runs past four-digit years.
    public static let supportedRange = Date(timeIntervalSince1970: 946_684_800)...Date(timeIntervalSince1970: 221_845_392_000)

    public static func parse(_ text: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let plain = Date.ISO8601FormatStyle()
        return (try? withFraction.parse(text)) ?? (try? plain.parse(text))
    }
}
