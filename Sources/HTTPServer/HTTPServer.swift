#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Synchronization

/// An HTTP/1.1 server on POSIX sockets and epoll: one event loop per core, each with its own
/// SO_REUSEPORT listening socket.
///
/// ```swift
/// let server = HTTPServer(configuration: configuration, responder: router)
/// try server.start()
/// print(server.port)
/// server.wait()          // returns after shutdown() has drained the connections
/// ```
public final class HTTPServer: Sendable {
    private let context: ServerContext
    private let state = Mutex<State>(State())
    private let finished = DispatchGroup()

    private struct State {
        var loops: [EventLoop] = []
        var port = 0
        var started = false
    }

    public init(configuration: Configuration, responder: any HTTPResponder) {
        context = ServerContext(configuration: configuration, responder: responder)
    }

    public var configuration: Configuration { context.configuration }

    /// The bound port (the kernel's choice when configured with port 0); 0 before `start()`.
    public var port: Int { state.withLock { $0.port } }

    /// Connections open right now, across all loops.
    public var openConnectionCount: Int { context.openConnections.load(ordering: .relaxed) }

    /// Binds and starts the event-loop threads. Throws when the address cannot be bound.
    public func start() throws {
        System.ignoreBrokenPipe()
        System.raiseOpenFileLimit()
        let configuration = context.configuration
        var listeners: [Int32] = []
        do {
            let first = try Socket.listen(host: configuration.host, port: configuration.port,
                                          backlog: configuration.backlog)
            listeners.append(first.fd)
            for _ in 1..<max(1, configuration.eventLoops) {
                listeners.append(try Socket.listen(host: configuration.host, port: first.port,
                                                   backlog: configuration.backlog).fd)
            }
            let loops = try listeners.map { try EventLoop(context: context, listenerFD: $0) }
            state.withLock {
                $0.loops = loops
                $0.port = first.port
                $0.started = true
            }
            for (index, loop) in loops.enumerated() {
                finished.enter()
                let thread = Thread { [finished] in
                    loop.run()
                    finished.leave()
                }
                thread.name = "warta-loop-\(index)"
                thread.start()
            }
        } catch {
            listeners.forEach { close($0) }
            throw error
        }
    }

    /// Begins a graceful shutdown: stop accepting, close idle connections, let in-flight
    /// requests finish within `Configuration.shutdownGracePeriod`. Returns at once; `wait()`
    /// returns when it is done.
    public func shutdown() {
        for loop in state.withLock({ $0.loops }) { loop.post(.shutdown) }
    }

    /// Blocks until every event loop has stopped.
    public func wait() {
        guard state.withLock({ $0.started }) else { return }
        finished.wait()
    }
}
