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

        public init() {}

        public subscript(name: String) -> String? {
            values.first { $0.name == name }?.value
        }
    }

    /// A handler and the names its pattern gives to the captured segments, in order.
    private struct Route {
        var tag: RouteTag
        var captureNames: [String]
        var handler: Handler
    }

    private final class Node: @unchecked Sendable {
        // Mutated only while the router is built, before it is shared.
        var literals: [String: Node] = [:]
        var capture: Node?
        var routes: [HTTPMethod: Route] = [:]

        func copy() -> Node {
            let node = Node()
            node.literals = literals.mapValues { $0.copy() }
            node.capture = capture?.copy()
            node.routes = routes
            return node
        }
    }

    private var root = Node()
    /// The nodes of patterns without captures, by the whole path: most requests name one,
    /// and one lookup finds it where walking the tree hashes every segment. `match` would
    /// find the same node (a literal wins over a capture at every segment).
    private var exact: [PathKey: Node] = [:]
    private var fallback: Handler?
    /// The metrics index of the next route added.
    private var nextRouteIndex = RouteTag.firstRouteIndex

    public init() {}

    /// Adds a route. `pattern` starts with `/`.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        if !isKnownUniquelyReferenced(&root) {
            root = root.copy()
            exact = [:]
            Self.collectExact(root, path: "", into: &exact)
        }
        var node = root
        var names: [String] = []
        for segment in pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if segment.hasPrefix("{"), segment.hasSuffix("}") {
                names.append(String(segment.dropFirst().dropLast()))
                if node.capture == nil { node.capture = Node() }
                node = node.capture!
            } else {
                let key = String(segment)
                if node.literals[key] == nil { node.literals[key] = Node() }
                node = node.literals[key]!
            }
        }
        node.routes[method] = Route(tag: RouteTag(index: nextRouteIndex, pattern: pattern), captureNames: names,
                                    handler: handler)
        if names.isEmpty { exact[PathKey(pattern)] = node }
        nextRouteIndex += 1
    }

    private static func collectExact(_ node: Node, path: String, into table: inout [PathKey: Node]) {
        if !node.routes.isEmpty, !path.isEmpty { table[PathKey(path)] = node }
        for (segment, child) in node.literals { collectExact(child, path: path + "/" + segment, into: &table) }
    }

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { add(.get, pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) { add(.post, pattern, handler) }

    /// What answers a path that matches no pattern (static files, then 404).
    public mutating func setFallback(_ handler: @escaping Handler) { fallback = handler }

    public func respond(to request: HTTPRequest) -> HTTPReply {
        if request.path == "*" {
            // OPTIONS * asks about the server as a whole (RFC 9110 §9.3.7).
            return .response(HTTPResponse(status: .noContent, headers: [.allow: "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"]))
        }
        var captured: [String] = []
        guard let node = exact[PathKey(request.path)]
                ?? Self.match(Substring(request.path).dropFirst(), from: root, captured: &captured) else {
            if let fallback { return fallback(request, Parameters()) }
            return .response(.notFound(request.path))
        }
        let route = node.routes[request.method] ?? (request.method == .head ? node.routes[.get] : nil)
        if let route {
            var parameters = Parameters()
            if !captured.isEmpty { parameters.values = Array(zip(route.captureNames, captured)) }
            let tag = route.tag
            switch route.handler(request, parameters) {
            case .response(var response):
                response.route = tag
                return .response(response)
            case .blocking(let work):
                return .blocking {
                    var response = work()
                    response.route = tag
                    return response
                }
            }
        }
        let allow = Self.allowed(node)
        if request.method == .options {
            return .response(HTTPResponse(status: .noContent, headers: [.allow: allow]))
        }
        return .response(.methodNotAllowed(request.method, path: request.path, allow: allow))
    }

    /// The node that has routes for the path `rest` (what follows a `/`), trying a literal
    /// before a capture at each segment and backing up when a literal leads nowhere.
    private static func match(_ rest: Substring, from node: Node, captured: inout [String]) -> Node? {
        let end = rest.utf8.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        let segment = rest[..<end]
        let remaining: Substring? = end < rest.endIndex ? rest[rest.index(after: end)...] : nil
        func descend(_ child: Node, captured: inout [String]) -> Node? {
            guard let remaining else { return child.routes.isEmpty ? nil : child }
            return match(remaining, from: child, captured: &captured)
        }
        if let child = node.literals[String(segment)], let found = descend(child, captured: &captured) {
            return found
        }
        if let capture = node.capture, !segment.isEmpty {
            captured.append(String(segment))
            if let found = descend(capture, captured: &captured) { return found }
            captured.removeLast()
        }
        return nil
    }

    private static func allowed(_ node: Node) -> String {
        var methods = Set(node.routes.keys.map(\.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        methods.insert("OPTIONS")
        return methods.sorted().joined(separator: ", ")
    }
}
