#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A blocking TCP client over a raw socket, so a test controls every byte it sends and sees
/// every byte the server answers, including how the connection ends.
public final class TestClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// How reading up to the end of the connection stopped.
    public enum Ending: Equatable, Sendable {
        /// The server closed its side (recv returned 0).
        case closed
        /// The server reset the connection.
        case reset
        /// Nothing arrived within the receive timeout; the connection is still open.
        case timedOut
    }

    public let fd: Int32
    private var buffer: [UInt8] = []
    private var isClosed = false

    /// Connects to 127.0.0.1:`port`. Reads give up after `receiveTimeout` seconds.
    /// `receiveBufferSize` is set before connecting, so the kernel advertises a small window.
    public init(port: Int, receiveTimeout: Double = 5, receiveBufferSize: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        if var size = receiveBufferSize {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            // deinit runs for an initializer that throws after every property is set, and
            // closes the socket there: closing it here too would close a number some other
            // thread may have been given in between (a pipe, a socket), under its feet.
            close()
            throw Failure(description: "connect to port \(port): \(String(cString: strerror(code)))")
        }
        setReceiveTimeout(receiveTimeout)
    }

    /// A client over an already connected socket (one end of a `socketpair()`); it owns `fd`.
    public init(connectedDescriptor: Int32, receiveTimeout: Double = 5) {
        fd = connectedDescriptor
        setReceiveTimeout(receiveTimeout)
    }

    /// A connected pair of stream sockets: the server's end and a client on the other.
    public static func socketPair() throws -> (server: Int32, client: TestClient) {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw Failure(description: "socketpair: \(String(cString: strerror(errno)))")
        }
        return (ends[0], TestClient(connectedDescriptor: ends[1]))
    }

    deinit { close() }

    /// Whether a TCP connection to 127.0.0.1:`port` is refused (nothing listens there).
    public static func isRefused(port: Int) -> Bool {
        do {
            let client = try TestClient(port: port)
            client.close()
            return false
        } catch {
            return true
        }
    }

    /// One request on a fresh connection that asks to close afterwards: `method target`, a
    /// `Host` field, `Connection: close`, `fields` in name order, then `body`. Returns the one
    /// response, and throws if anything follows it or the server leaves the connection open.
    public static func fetch(port: Int, _ target: String, method: String = "GET", fields: [String: String] = [:],
                             body: String = "", receiveTimeout: Double = 10) throws -> TestResponse {
        let client = try TestClient(port: port, receiveTimeout: receiveTimeout)
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        try client.send(head + "\r\n" + body)
        let response = try client.readResponse(bodyless: method == "HEAD")
        let (rest, ending) = client.readToEnd()
        guard rest.isEmpty, ending == .closed else {
            throw Failure(description: "after the response: \(rest.count) more bytes, then \(ending)")
        }
        return response
    }

    public func setReceiveTimeout(_ seconds: Double) {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) throws {
        try Self.send(bytes, on: fd)
    }

    /// Sends all of `bytes` on `fd`, for a thread that sends while another reads the same
    /// connection (a `TestClient` is not `Sendable`, its descriptor is).
    public static func send(_ bytes: [UInt8], on fd: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "send: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    /// Sends nothing more: the server sees EOF.
    public func shutdownWrite() {
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    /// Closes with a reset instead of a FIN, as a client that vanishes does.
    public func abort() {
        resetOnClose()
        close()
    }

    /// Makes the coming close, whenever it happens, send a reset (SO_LINGER 0) instead of a FIN.
    public func resetOnClose() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }

    /// Reads one response: status line, fields and a body framed by Content-Length. A 1xx,
    /// 204 or 304 response, or one to a HEAD request (`bodyless`), has no body.
    public func readResponse(bodyless: Bool = false) throws -> TestResponse {
        var headEnd: Int?
        while true {
            headEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headEnd != nil { break }
            guard try receive() else {
                throw Failure(description: "connection closed before a response head; got \(Self.text(buffer).debugDescription)")
            }
        }
        let headLength = headEnd! + 4
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        var response = try TestResponse(head: head)
        var length = 0
        if !bodyless, response.status >= 200, response.status != 204, response.status != 304 {
            guard let declared = response.header("Content-Length").flatMap({ Int($0) }) else {
                throw Failure(description: "response without Content-Length: \(head.debugDescription)")
            }
            length = declared
        }
        while buffer.count < headLength + length {
            guard try receive() else {
                throw Failure(description: "connection closed after \(buffer.count - headLength) of \(length) body bytes")
            }
        }
        response.body = Array(buffer[headLength..<headLength + length])
        buffer.removeFirst(headLength + length)
        return response
    }

    /// Reads until the server closes or resets the connection, or the receive timeout passes.
    /// Returns what arrived (including anything not yet consumed by `readResponse`).
    public func readToEnd() -> (bytes: [UInt8], ending: Ending) {
        while true {
            do {
                guard try receive() else { break }
            } catch let failure as Failure where failure.description == "timed out" {
                let bytes = buffer
                buffer.removeAll()
                return (bytes, .timedOut)
            } catch {
                let bytes = buffer
                buffer.removeAll()
                return (bytes, .reset)
            }
        }
        let bytes = buffer
        buffer.removeAll()
        return (bytes, .closed)
    }

    /// Without blocking: whether the server has sent anything (or closed) that is not read yet.
    public func hasPendingInput() -> Bool {
        !buffer.isEmpty || waitForInput(milliseconds: 0)
    }

    /// Whether the server sends something, closes or resets within `milliseconds`; returns as
    /// soon as it does.
    public func waitForInput(milliseconds: Int32) -> Bool {
        if !buffer.isEmpty { return true }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    /// One recv into the buffer. False on EOF; throws "timed out" or the socket error.
    private func receive() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return true
            }
            if count == 0 { return false }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure(description: "timed out") }
            throw Failure(description: "recv: \(String(cString: strerror(errno)))")
        }
    }

    public static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
        }
        return nil
    }

    /// How many times `needle` occurs in `haystack`.
    public static func count(_ needle: String, in haystack: [UInt8]) -> Int {
        let bytes = Array(needle.utf8)
        var found = 0
        var start = 0
        while let index = find(bytes, in: haystack, from: start) {
            found += 1
            start = index + bytes.count
        }
        return found
    }

    public static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
