import Dispatch
import Foundation
@testable import HTTPServer

/// A server on 127.0.0.1, port 0, with the access log off, shut down when the test is done.
enum TestServer {
    static func make(
        responder: any HTTPResponder = TestRoutes.make(),
        configure: (inout Configuration) -> Void = { _ in }
    ) throws -> HTTPServer {
        var configuration = Configuration()
        configuration.port = 0
        configuration.accessLog = false
        // A failing test must not hang for the default 10 s on a connection it left open.
        configuration.shutdownGracePeriod = 2 * nanosecondsPerSecond
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
        return server
    }

    /// Runs `body` against a started server and always shuts it down.
    static func with<T>(
        responder: any HTTPResponder = TestRoutes.make(),
        configure: (inout Configuration) -> Void = { _ in },
        _ body: (HTTPServer) throws -> T
    ) throws -> T {
        let server = try make(responder: responder, configure: configure)
        defer {
            server.shutdown()
            server.wait()
        }
        return try body(server)
    }
}

extension TestServer {
    /// Runs `body` against a started server on one event loop whose deadlines are measured on
    /// a manual clock: they pass only when the test advances it and calls
    /// `server.checkDeadlines()`. The server is always shut down.
    static func withManualClock(
        responder: any HTTPResponder = TestRoutes.make(),
        configure: (inout Configuration) -> Void = { _ in },
        _ body: (HTTPServer, ManualMonotonicClock) throws -> Void
    ) throws {
        let clock = ManualMonotonicClock()
        let server = try make(responder: responder) {
            // One loop, so that the loop that checks is the one holding the test's connection.
            $0.eventLoops = 1
            configure(&$0)
            $0.clock = clock
        }
        defer {
            server.shutdown()
            // The grace period is measured on the manual clock too: end it, so that a failed
            // test does not leave the server waiting for a connection it left open.
            clock.advance(by: 3_600 * nanosecondsPerSecond)
            server.wait()
        }
        try body(server, clock)
    }
}

/// The routes most server tests use.
enum TestRoutes {
    static func make() -> Router {
        var router = Router()
        router.get("/hello") { _, _ in
            .response(HTTPResponse(contentType: "text/plain", body: "hello"))
        }
        // A distinct body per value, to tell responses apart.
        router.get("/n/{value}") { _, parameters in
            .response(HTTPResponse(contentType: "text/plain", body: "n=\(parameters["value"] ?? "?")"))
        }
        // The request body back, for GET (a body a GET should not have) and POST.
        let echo: Router.Handler = { request, _ in
            .response(HTTPResponse(headers: [.contentType: "application/octet-stream"], body: request.body))
        }
        router.add(.get, "/echo", echo)
        router.post("/echo", echo)
        // The address the server recorded for the client.
        router.get("/remote") { request, _ in
            .response(HTTPResponse(contentType: "text/plain", body: request.remoteAddress))
        }
        // `count` bytes of a repeating pattern.
        router.get("/bytes/{count}") { _, parameters in
            let count = Int(parameters["count"] ?? "") ?? 0
            return .response(HTTPResponse(headers: [.contentType: "application/octet-stream"],
                                          body: TestRoutes.pattern(count)))
        }
        return router
    }

    /// `make()` plus `GET /slow`, a `.blocking` handler that waits at `gate` and answers `body`.
    static func make(slowBehind gate: Gate, body: String = "slow") -> Router {
        var router = make()
        router.get("/slow") { _, _ in
            .blocking {
                gate.pass()
                return HTTPResponse(contentType: "text/plain", body: body)
            }
        }
        return router
    }

    /// Byte `i` is `a` + i % 26. Built by doubling, so that megabytes cost a few copies even
    /// in a debug build (the handler runs on the event loop).
    static func pattern(_ count: Int) -> [UInt8] {
        var bytes = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        while bytes.count < count { bytes += bytes }
        return Array(bytes.prefix(count))
    }
}

/// Holds a `.blocking` handler until the test lets it go, so ordering is asserted by events
/// rather than by timing. A handler that is never released gives up after `holdLimit`.
final class Gate: Sendable {
    private let started = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private let holdLimit: Double

    init(holdLimit: Double = 10) {
        self.holdLimit = holdLimit
    }

    /// Called by the handler: says it started, then waits to be released.
    func pass() {
        started.signal()
        _ = released.wait(timeout: .now() + holdLimit)
    }

    /// Whether a handler has reached the gate within `timeout` seconds.
    func waitUntilReached(timeout: Double = 5) -> Bool {
        started.wait(timeout: .now() + timeout) == .success
    }

    func release() {
        released.signal()
    }
}

/// Runs `work` on a new thread; `join` waits for it with a timeout and returns its result.
final class Background<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    init(_ work: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            result = Result { try work() }
            done.signal()
        }
        thread.start()
    }

    /// The result, or nil when the work has not finished within `timeout` seconds.
    func join(timeout: Double = 10) -> Result<T, any Error>? {
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return result
    }
}
