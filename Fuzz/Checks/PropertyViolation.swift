/// A property a fuzz target checks, broken by one input: what was expected and what was seen.
public struct PropertyViolation: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Throws a `PropertyViolation` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw PropertyViolation(message()) }
}
