/// Routes by method and path pattern. Built once, then frozen: it is a value handed to the
/// server, so nothing can change routes while requests are served.
///
/// Patterns are paths whose segments are literal or `{name}` (one whole segment, captured).
/// A literal segment wins over a capture at the same place. A path that matches a pattern but
/// not the method gets 405 with `Allow`; HEAD is served by the GET handler (the server drops
/// the body), OPTIONS lists the allowed methods.
public struct Router: HTTPResponder {
    public typealias Handler = @Sendable (HTTPRequest, Parameters) -> HTTPReply

    /// The values captured by `{name}` segments.
    public struct Parameters: Sendable {
        var values: [(name: String, value: String)] = []

        public subscript(name: String) -> String? {
            values.first { $0.name == name }?.value
        }
    }

    private final class Node: @unchecked Sendable {
        // Mutated only while the router is built, before it is shared.
        var literals: [String: Node] = [:]
        var capture: (name: String, node: Node)?
        var handlers: [HTTPMethod: Handler] = [:]

        func copy() -> Node {
            let node = Node()
            node.literals = literals.mapValues { $0.copy() }
            node.capture = capture.map { ($0.name, $0.node.copy()) }
            node.handlers = handlers
            return node
        }
    }

    private var root = Node()
    private var fallback: Handler?

    public init() {}

    /// Adds a route. `pattern` starts with `/`.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        if !isKnownUniquelyReferenced(&root) { root = root.copy() }
        var node = root
        for segment in pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if segment.hasPrefix("{"), segment.hasSuffix("}") {
                let name = String(segment.dropFirst().dropLast())
                if node.capture == nil { node.capture = (name, Node()) }
                node = node.capture!.node
            } else {
                let key = String(segment)
                if node.literals[key] == nil { node.literals[key] = Node() }
                node = node.literals[key]!
            }
        }
        node.handlers[method] = handler
    }

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { add(.get, pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) { add(.post, pattern, handler) }

    /// What answers a path that matches no pattern (static files, then 404).
    public mutating func setFallback(_ handler: @escaping Handler) { fallback = handler }

    public func respond(to request: HTTPRequest) -> HTTPReply {
        var parameters = Parameters()
        guard let node = match(request.path, &parameters), !node.handlers.isEmpty else {
            if let fallback { return fallback(request, parameters) }
            return .response(.problem(.notFound, detail: "Nothing is found at \(request.path)."))
        }
        if let handler = node.handlers[request.method] { return handler(request, parameters) }
        if request.method == .head, let handler = node.handlers[.get] { return handler(request, parameters) }
        let allow = Self.allowed(node)
        if request.method == .options {
            return .response(HTTPResponse(status: .noContent, headers: [.allow: allow]))
        }
        return .response(.problem(.methodNotAllowed,
            detail: "\(request.method) is not allowed on \(request.path); allowed: \(allow).",
            headers: [.allow: allow]))
    }

    private func match(_ path: String, _ parameters: inout Parameters) -> Node? {
        var node = root
        var rest = Substring(path).utf8.dropFirst()
        while true {
            let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            let key = String(Substring(rest[..<end]))
            if let next = node.literals[key] {
                node = next
            } else if let capture = node.capture, !key.isEmpty {
                parameters.values.append((capture.name, key))
                node = capture.node
            } else {
                return nil
            }
            guard end < rest.endIndex else { return node }
            rest = rest[rest.index(after: end)...]
        }
    }

    private static func allowed(_ node: Node) -> String {
        var methods = Set(node.handlers.keys.map(\.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        methods.insert("OPTIONS")
        return methods.sorted().joined(separator: ", ")
    }
}
