import Testing
@testable import HTTPServer

/// Routing by method and path pattern, called directly as a responder.
@Suite struct RouterTests {
    static func make() -> Router {
        var router = Router()
        router.get("/") { _, _ in .response(HTTPResponse(contentType: "text/plain", body: "root")) }
        router.get("/users/me") { _, _ in .response(HTTPResponse(contentType: "text/plain", body: "literal me")) }
        router.get("/users/{id}") { _, parameters in
            .response(HTTPResponse(contentType: "text/plain", body: "user \(parameters["id"] ?? "nil")"))
        }
        router.post("/users/{id}") { request, parameters in
            .response(HTTPResponse(status: .created, contentType: "text/plain",
                                   body: "created \(parameters["id"] ?? "nil") \(String(decoding: request.body, as: UTF8.self))"))
        }
        router.add(.delete, "/users/{id}") { _, _ in .response(HTTPResponse(status: .noContent)) }
        router.get("/orgs/{org}/repos/{repo}") { _, parameters in
            .response(HTTPResponse(contentType: "text/plain",
                                   body: "\(parameters["org"] ?? "nil")/\(parameters["repo"] ?? "nil") \(parameters["other"] ?? "nil")"))
        }
        router.post("/submit") { _, _ in .response(HTTPResponse(status: .accepted)) }
        router.get("/work") { _, _ in .blocking { HTTPResponse(contentType: "text/plain", body: "done later") } }
        return router
    }

    @Test func literalPath() throws {
        let response = try Self.respond(Self.make(), .get, "/")
        #expect(response.status == .ok)
        #expect(Self.text(response) == "root")
    }

    @Test func literalBeatsCapture() throws {
        let router = Self.make()
        #expect(Self.text(try Self.respond(router, .get, "/users/me")) == "literal me")
        #expect(Self.text(try Self.respond(router, .get, "/users/me2")) == "user me2")
    }

    @Test func capturesAreNamedByTheirPattern() throws {
        let router = Self.make()
        #expect(Self.text(try Self.respond(router, .get, "/users/42")) == "user 42")
        #expect(Self.text(try Self.respond(router, .get, "/users/caf\u{E9}")) == "user caf\u{E9}")
        #expect(Self.text(try Self.respond(router, .get, "/orgs/warta/repos/server")) == "warta/server nil")
    }

    @Test func methodsOnTheSamePatternAreSeparate() throws {
        let router = Self.make()
        let created = try Self.respond(router, .post, "/users/7", body: "x")
        #expect(created.status == .created)
        #expect(Self.text(created) == "created 7 x")
        #expect(try Self.respond(router, .delete, "/users/7").status == .noContent)
    }

    @Test func headIsServedByGet() throws {
        let response = try Self.respond(Self.make(), .head, "/users/9")
        #expect(response.status == .ok)
        // The router hands back the GET response; the server drops the body on the wire.
        #expect(Self.text(response) == "user 9")
    }

    @Test func optionsListsTheAllowedMethods() throws {
        let response = try Self.respond(Self.make(), .options, "/users/9")
        #expect(response.status == .noContent)
        #expect(response.headers[.allow] == "DELETE, GET, HEAD, OPTIONS, POST")
        #expect(response.body.isEmpty)
    }

    @Test func wrongMethodIs405WithAllow() throws {
        let response = try Self.respond(Self.make(), .put, "/users/9")
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == "DELETE, GET, HEAD, OPTIONS, POST")
        #expect(response.headers[.contentType] == "application/problem+json")
        #expect(Self.text(response) == #"{"type":"about:blank","title":"Method Not Allowed","status":405,"#
            + #""detail":"PUT is not allowed on /users/9; allowed: DELETE, GET, HEAD, OPTIONS, POST."}"#)
    }

    @Test func postOnlyRouteAllowsNoHead() throws {
        let router = Self.make()
        let head = try Self.respond(router, .head, "/submit")
        #expect(head.status == .methodNotAllowed)
        #expect(head.headers[.allow] == "OPTIONS, POST")
        #expect(try Self.respond(router, .get, "/submit").headers[.allow] == "OPTIONS, POST")
    }

    @Test func unknownPathIs404ProblemByDefault() throws {
        let response = try Self.respond(Self.make(), .get, "/nope")
        #expect(response.status == .notFound)
        #expect(response.headers[.contentType] == "application/problem+json")
        #expect(Self.text(response)
            == #"{"type":"about:blank","title":"Not Found","status":404,"detail":"Nothing is found at /nope."}"#)
    }

    @Test func pathsThatOnlyPrefixAPatternAreNotFound() throws {
        let router = Self.make()
        // "/users" is on the way to "/users/{id}" but has no handler of its own.
        #expect(try Self.respond(router, .get, "/users").status == .notFound)
        // An empty segment is not captured.
        #expect(try Self.respond(router, .get, "/users/").status == .notFound)
        #expect(try Self.respond(router, .get, "/users/1/extra").status == .notFound)
        #expect(try Self.respond(router, .get, "/orgs/x/repos").status == .notFound)
    }

    @Test func fallbackAnswersUnknownPaths() throws {
        var router = Self.make()
        router.setFallback { request, _ in
            .response(HTTPResponse(contentType: "text/plain", body: "fallback \(request.method) \(request.path)"))
        }
        #expect(Self.text(try Self.respond(router, .get, "/static/app.css")) == "fallback GET /static/app.css")
        #expect(Self.text(try Self.respond(router, .get, "/users")) == "fallback GET /users")
        // A known path still goes to its route, and a wrong method there is still 405.
        #expect(Self.text(try Self.respond(router, .get, "/users/3")) == "user 3")
        #expect(try Self.respond(router, .put, "/users/3").status == .methodNotAllowed)
    }

    @Test func blockingRepliesAreHandedBackUnrun() throws {
        guard case .blocking(let work) = Self.make().respond(to: Self.request(.get, "/work")) else {
            Issue.record("expected a .blocking reply")
            return
        }
        #expect(String(decoding: work().body, as: UTF8.self) == "done later")
    }

    /// A router is a value: routes added to a copy do not appear in the original.
    @Test func copiesAreIndependent() throws {
        let original = Self.make()
        var copy = original
        copy.get("/extra") { _, _ in .response(HTTPResponse(contentType: "text/plain", body: "extra")) }
        copy.get("/users/{id}/posts") { _, _ in .response(HTTPResponse(contentType: "text/plain", body: "posts")) }
        #expect(try Self.respond(original, .get, "/extra").status == .notFound)
        #expect(try Self.respond(original, .get, "/users/1/posts").status == .notFound)
        #expect(Self.text(try Self.respond(copy, .get, "/extra")) == "extra")
        #expect(Self.text(try Self.respond(copy, .get, "/users/1/posts")) == "posts")
    }

    /// Paths without captures are found by one lookup of the whole path; a method added to
    /// such a path in a copy must reach the copy's lookup and not the original's.
    @Test func methodsAddedToALiteralPathOfACopyStayInTheCopy() throws {
        let original = Self.make()
        var copy = original
        copy.add(.put, "/users/me") { _, _ in .response(HTTPResponse(status: .accepted)) }
        copy.get("/users/me/settings") { _, _ in .response(HTTPResponse(contentType: "text/plain", body: "settings")) }
        #expect(try Self.respond(original, .put, "/users/me").status == .methodNotAllowed)
        #expect(try Self.respond(copy, .put, "/users/me").status == .accepted)
        #expect(Self.text(try Self.respond(copy, .get, "/users/me")) == "literal me")
        #expect(Self.text(try Self.respond(copy, .get, "/users/me/settings")) == "settings")
        #expect(try Self.respond(original, .get, "/users/me/settings").status == .notFound)
    }

    /// "/a/b/c" matches "/a/{x}/c"; that a literal "b" exists for another route must not hide it.
    @Test
    func literalDeadEndFallsBackToCapture() throws {
        var router = Router()
        router.get("/a/{x}/c") { _, parameters in
            .response(HTTPResponse(contentType: "text/plain", body: "x=\(parameters["x"] ?? "nil")"))
        }
        router.get("/a/b/d") { _, _ in .response(HTTPResponse(contentType: "text/plain", body: "literal")) }
        let response = try Self.respond(router, .get, "/a/b/c")
        #expect(response.status == .ok)
        #expect(Self.text(response) == "x=b")
    }

    /// Two patterns with a capture at the same place but different names: each handler must
    /// see its own name.
    @Test
    func captureNamesArePerPattern() throws {
        var router = Router()
        router.get("/users/{id}") { _, parameters in
            .response(HTTPResponse(contentType: "text/plain", body: "id=\(parameters["id"] ?? "nil")"))
        }
        router.get("/users/{name}/posts") { _, parameters in
            .response(HTTPResponse(contentType: "text/plain", body: "name=\(parameters["name"] ?? "nil")"))
        }
        #expect(Self.text(try Self.respond(router, .get, "/users/7")) == "id=7")
        #expect(Self.text(try Self.respond(router, .get, "/users/bob/posts")) == "name=bob")
    }

    // MARK: - Helpers

    static func request(_ method: HTTPMethod, _ path: String, body: String = "") -> HTTPRequest {
        HTTPRequest(method: method, target: path, path: path, headers: [.host: "a"], body: Array(body.utf8))
    }

    static func respond(_ router: Router, _ method: HTTPMethod, _ path: String, body: String = "") throws -> HTTPResponse {
        switch router.respond(to: request(method, path, body: body)) {
        case .response(let response): return response
        case .blocking(let work): return work()
        }
    }

    static func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }
}
