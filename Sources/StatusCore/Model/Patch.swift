/// A change to a field that may be null: leave it, clear it, or set it.
///
/// v1 clients tell "absent" (`{}`: keep the description) from "null" (`{"description": null}`:
/// remove it). An `Optional` cannot say both, and `String??` reads badly and is easy to get
/// wrong (`nil` and `.some(nil)` look alike), so nullable fields of a patch use this type.
/// Fields that cannot be null (a name, a status) are plain optionals: `nil` leaves them.
///
/// ```swift
/// var patch = ComponentPatch()
/// patch.description = .clear          // "description": null
/// patch.groupID = .set("k3x9abcdefgh") // "group_id": "k3x9abcdefgh"
/// ```
public enum Patch<Value> {
    /// The field was absent: keep the stored value.
    case unchanged
    /// The field was null: store NULL.
    case clear
    /// The field was given: store it.
    case set(Value)

    /// `.set` for a value, `.clear` for nil: how a decoded JSON field that is present maps.
    public init(_ value: Value?) {
        self = value.map { .set($0) } ?? .clear
    }

    /// Whether the field was given at all (set or cleared).
    public var isPresent: Bool {
        if case .unchanged = self { return false }
        return true
    }

    /// The value after applying the patch to `current`.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .unchanged: current
        case .clear: nil
        case .set(let value): value
        }
    }
}

extension Patch: Sendable where Value: Sendable {}
extension Patch: Equatable where Value: Equatable {}
