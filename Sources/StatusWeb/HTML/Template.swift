/// A logic-less template in the Mustache style (https://mustache.github.io/mustache.5.html),
/// the subset Warta's pages need, escaping by default:
///
/// - `{{name}}`, `{{a.b}}`, `{{.}}`: the value, HTML-escaped (`& < > " '`);
/// - `{{{name}}}` and `{{& name}}`: the value as it is (only `TemplateValue.html` should
///   reach these; plain text is still escaped, so a template cannot unescape input);
/// - `{{#name}}…{{/name}}`: once per item of a list, once with an object pushed on the
///   context, once for any other true value; `{{^name}}…{{/name}}` when false or empty;
/// - `{{> name}}`: another template (a partial), rendered in the current context;
/// - `{{! comment}}`.
///
/// A template is parsed once, when the site loads; a malformed one is refused with the line
/// it fails on, so an operator's override cannot break the page at request time.
public struct Template: Sendable {
    indirect enum Node: Sendable {
        case text([UInt8])
        case variable([String], escaped: Bool)
        case section([String], inverted: Bool, [Node])
        case partial(String)
    }

    let nodes: [Node]
    public let name: String

    public init(name: String, source: String) throws(TemplateError) {
        self.name = name
        var parser = Parser(name: name, bytes: Array(source.utf8))
        nodes = try parser.parse()
    }

    /// Renders with `context` as the root value; `partials` resolves `{{> name}}`.
    public func render(_ context: TemplateValue, partials: [String: Template] = [:]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(16 * 1024)
        var stack = [context]
        Self.render(nodes, stack: &stack, partials: partials, depth: 0, into: &output)
        return output
    }

    /// Partials may include partials; a cycle stops at this depth instead of recursing forever.
    static let maximumPartialDepth = 16

    private static func render(_ nodes: [Node], stack: inout [TemplateValue], partials: [String: Template],
                               depth: Int, into output: inout [UInt8]) {
        for node in nodes {
            switch node {
            case .text(let bytes):
                output.append(contentsOf: bytes)
            case .variable(let path, let escaped):
                switch lookup(path, in: stack) {
                case .text(let text):
                    HTMLEscaping.append(text, to: &output)
                case .html(let markup):
                    if escaped {
                        HTMLEscaping.append(markup, to: &output)
                    } else {
                        output.append(contentsOf: markup.utf8)
                    }
                case .number(let number):
                    output.append(contentsOf: String(number).utf8)
                case .bool, .list, .object, .none:
                    break
                }
            case .section(let path, let inverted, let children):
                let value = lookup(path, in: stack)
                let truthy = value?.isTruthy ?? false
                if inverted {
                    if !truthy { render(children, stack: &stack, partials: partials, depth: depth, into: &output) }
                    continue
                }
                guard truthy, let value else { continue }
                if case .list(let items) = value {
                    for item in items {
                        stack.append(item)
                        render(children, stack: &stack, partials: partials, depth: depth, into: &output)
                        stack.removeLast()
                    }
                } else {
                    stack.append(value)
                    render(children, stack: &stack, partials: partials, depth: depth, into: &output)
                    stack.removeLast()
                }
            case .partial(let name):
                guard depth < maximumPartialDepth, let partial = partials[name] else { continue }
                render(partial.nodes, stack: &stack, partials: partials, depth: depth + 1, into: &output)
            }
        }
    }

    /// The first segment is looked up from the innermost context outwards; the rest inside it.
    private static func lookup(_ path: [String], in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = path.first else { return stack.last }
        var found: TemplateValue?
        for context in stack.reversed() {
            if case .object(let fields) = context, let value = fields[first] {
                found = value
                break
            }
        }
        for key in path.dropFirst() {
            guard case .object(let fields)? = found else { return nil }
            found = fields[key]
        }
        return found
    }

    /// Names the templates this one includes, for checking that each exists.
    var partialNames: [String] {
        func collect(_ nodes: [Node]) -> [String] {
            nodes.flatMap { node -> [String] in
                switch node {
                case .partial(let name): return [name]
                case .section(_, _, let children): return collect(children)
                case .text, .variable: return []
                }
            }
        }
        return collect(nodes)
    }

    private struct Parser {
        let name: String
        let bytes: [UInt8]
        var index = 0

        init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }

        mutating func parse() throws(TemplateError) -> [Node] {
            try parseNodes(until: nil, openedAt: 0).0
        }

        /// Nodes up to the `{{/section}}` closing `section` (nil: up to the end).
        private mutating func parseNodes(until section: String?, openedAt: Int) throws(TemplateError) -> ([Node], String?) {
            var nodes: [Node] = []
            var text: [UInt8] = []
            func flush() {
                if !text.isEmpty { nodes.append(.text(text)); text = [] }
            }
            while index < bytes.count {
                guard startsWith("{{") else {
                    text.append(bytes[index])
                    index += 1
                    continue
                }
                let tagStart = index
                let triple = startsWith("{{{")
                index += triple ? 3 : 2
                let closer: [UInt8] = triple ? Array("}}}".utf8) : Array("}}".utf8)
                guard let end = find(closer) else { throw error("unclosed tag", at: tagStart) }
                let inner = String(decoding: bytes[index..<end], as: UTF8.self).trimmingWhitespace
                index = end + closer.count
                flush()
                if triple {
                    nodes.append(.variable(try path(inner), escaped: false))
                    continue
                }
                switch inner.first {
                case "!":
                    continue
                case "#", "^":
                    let name = String(inner.dropFirst()).trimmingWhitespace
                    let (children, _) = try parseNodes(until: name, openedAt: tagStart)
                    nodes.append(.section(try path(name), inverted: inner.first == "^", children))
                case "/":
                    let name = String(inner.dropFirst()).trimmingWhitespace
                    guard let section else { throw error("{{/\(name)}} closes no section", at: tagStart) }
                    guard name == section else { throw error("{{/\(name)}} does not close {{#\(section)}}", at: tagStart) }
                    return (nodes, name)
                case ">":
                    let name = String(inner.dropFirst()).trimmingWhitespace
                    guard !name.isEmpty else { throw error("a partial needs a name") }
                    nodes.append(.partial(name))
                case "&":
                    nodes.append(.variable(try path(String(inner.dropFirst()).trimmingWhitespace), escaped: false))
                case "=", "{", "}":
                    throw error("{{\(inner)}} is not supported")
                default:
                    nodes.append(.variable(try path(inner), escaped: true))
                }
            }
            flush()
            if let section { throw error("{{#\(section)}} is never closed", at: openedAt) }
            return (nodes, nil)
        }

        private func path(_ text: String) throws(TemplateError) -> [String] {
            if text == "." { return [] }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed.contains) }) else {
                throw error("\"\(text)\" is not a name")
            }
            return parts
        }

        private func startsWith(_ text: String) -> Bool {
            let pattern = Array(text.utf8)
            guard index + pattern.count <= bytes.count else { return false }
            return bytes[index..<index + pattern.count].elementsEqual(pattern)
        }

        private func find(_ pattern: [UInt8]) -> Int? {
            var position = index
            while position + pattern.count <= bytes.count {
                if bytes[position..<position + pattern.count].elementsEqual(pattern) { return position }
                position += 1
            }
            return nil
        }

        private func error(_ message: String, at position: Int? = nil) -> TemplateError {
            let line = bytes[..<min(position ?? index, bytes.count)].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            return TemplateError(template: name, line: line, message: message)
        }
    }
}

/// A template that cannot be parsed, or a page template that is missing.
public struct TemplateError: Error, Equatable, CustomStringConvertible {
    public let template: String
    public let line: Int
    public let message: String

    public var description: String { "template \(template), line \(line): \(message)" }
}

/// What a template renders: text (escaped), markup built by Warta's own escaping code, and
/// the structures sections walk.
public enum TemplateValue: Sendable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    case text(String)
    /// Markup that is already safe: every value in it was escaped when it was built.
    case html(String)
    case number(Int)
    case bool(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])

    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }

    /// `nil` becomes false, so `{{#logo}}` skips an unset logo.
    public static func optional(_ text: String?) -> TemplateValue {
        guard let text, !text.isEmpty else { return .bool(false) }
        return .text(text)
    }

    var isTruthy: Bool {
        switch self {
        case .text(let text), .html(let text): return !text.isEmpty
        case .number: return true
        case .bool(let value): return value
        case .list(let items): return !items.isEmpty
        case .object: return true
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" || first == "\n" || first == "\r" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\n" || last == "\r" { view.removeLast() }
        return String(view)
    }
}
