/// The one seam between the server and an application: a request in, a reply out.
///
/// `respond(to:)` runs on an event-loop thread, so it must not block; work that may
/// (a database write, a disk read) is returned as `.blocking` and runs on the server's
/// worker threads while the connection waits, later requests on it queued in order.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPReply
}

public enum HTTPReply: Sendable {
    /// The response, ready now.
    case response(HTTPResponse)
    /// Work that may block; it runs off the event loop and its result is sent when done.
    case blocking(@Sendable () -> HTTPResponse)
}
