import HTTPServer

/// Decodes an `application/x-www-form-urlencoded` body with the bracket convention Rails and
/// Statuspage use, so a plain curl line works:
///
///     incident[name]=DB down&incident[components][abc123def456]=major_outage&incident[component_ids][]=abc123def456
///
/// becomes `{"incident": {"name": "DB down", "components": {"abc123def456": "major_outage"},
/// "component_ids": ["abc123def456"]}}`. Every leaf is a string; the field readers interpret
/// booleans and numbers. A name given twice, or used both as a value and as a container, is
/// an error rather than a guess.
public enum FormParser {
    public static func parse(_ bytes: [UInt8]) throws(BodySyntaxError) -> BodyValue {
        let root = Node(kind: .object)
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = Substring(decoding: parts[0], as: UTF8.self)
            let rawValue = parts.count > 1 ? Substring(decoding: parts[1], as: UTF8.self) : ""
            guard let name = FormDecoding.decode(rawName), let value = FormDecoding.decode(rawValue) else {
                throw BodySyntaxError("Invalid form body: \"\(rawName)\" has an invalid percent escape or is not UTF-8.")
            }
            try insert(value, at: try path(of: name), into: root, fullName: name)
        }
        return root.value
    }

    /// `a[b][]` → ["a", "b", ""] (the empty segment appends to an array).
    static func path(of name: String) throws(BodySyntaxError) -> [String] {
        guard let open = name.firstIndex(of: "[") else {
            guard !name.isEmpty else { throw BodySyntaxError("Invalid form body: a field has no name.") }
            return [name]
        }
        var segments = [String(name[..<open])]
        guard !segments[0].isEmpty else { throw BodySyntaxError("Invalid form body: \"\(name)\" has no name before \"[\".") }
        var rest = name[open...]
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                throw BodySyntaxError("Invalid form body: \"\(name)\" has unbalanced brackets.")
            }
            segments.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        guard segments.count <= JSONParser.maxDepth else {
            throw BodySyntaxError("Invalid form body: \"\(name)\" is nested too deeply.")
        }
        return segments
    }

    private final class Node {
        enum Kind { case object, array, leaf }
        var kind: Kind
        var members: [(String, Node)] = []
        /// `members` by name, so a form with many fields parses in linear time.
        var memberIndex: [String: Node] = [:]
        var elements: [Node] = []
        var text = ""

        init(kind: Kind) { self.kind = kind }

        var value: BodyValue {
            switch kind {
            case .leaf: return .string(text)
            case .array: return .array(elements.map(\.value))
            case .object: return .object(members.map { ($0.0, $0.1.value) })
            }
        }
    }

    private static func insert(_ value: String, at path: [String], into root: Node, fullName: String) throws(BodySyntaxError) {
        var node = root
        for (position, segment) in path.enumerated() {
            let isLast = position == path.count - 1
            let nextIsAppend = !isLast && path[position + 1].isEmpty
            let wanted: Node.Kind = isLast ? .leaf : (nextIsAppend ? .array : .object)
            if segment.isEmpty {
                guard node.kind == .array else {
                    throw BodySyntaxError("Invalid form body: \"\(fullName)\" mixes a list with other fields.")
                }
                let child = Node(kind: wanted)
                if wanted == .leaf { child.text = value }
                node.elements.append(child)
                node = child
                continue
            }
            guard node.kind == .object else {
                throw BodySyntaxError("Invalid form body: \"\(fullName)\" mixes a list with named fields.")
            }
            if let existing = node.memberIndex[segment] {
                guard existing.kind == wanted, wanted != .leaf else {
                    throw BodySyntaxError("Invalid form body: \"\(fullName)\" is given twice or both as a value and as a group.")
                }
                node = existing
            } else {
                let child = Node(kind: wanted)
                if wanted == .leaf { child.text = value }
                node.members.append((segment, child))
                node.memberIndex[segment] = child
                node = child
            }
        }
    }
}
