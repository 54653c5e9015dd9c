import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPServer
import TestSupport
import Testing

/// The output queue over a real socket pair with a small send buffer: what arrives is every
/// queued byte in order, through partial writes that stop mid-array and resume.
@Suite struct OutputQueueTests {
    /// A pattern that tells where in the stream a byte belongs, so a skipped or repeated
    /// stretch shows.
    static func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) &+ seed }
    }

    /// Whatever the socket holds now, without waiting.
    static func receiveAvailable(_ descriptor: Int32) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count > 0 else { return received }
            received += chunk[..<count]
        }
    }

    /// A socket pair whose server end is non-blocking with a 4 KiB send buffer, so writes
    /// stop part-way often.
    static func smallBufferPair() throws -> (server: Int32, client: TestClient) {
        let (server, client) = try TestClient.socketPair()
        var size: Int32 = 4096
        setsockopt(server, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(server, F_SETFL, fcntl(server, F_GETFL) | O_NONBLOCK)
        return (server, client)
    }

    /// Writes `queue` through `server` until it is empty, reading what `client` received
    /// each time the socket is full: those bytes, and how often it was full.
    static func drain(_ queue: inout OutputQueue, server: Int32,
                      client: TestClient) -> (received: [UInt8], blocked: Int) {
        var received: [UInt8] = []
        var blocked = 0
        while !queue.isEmpty {
            switch queue.write(to: server, wrote: { _ in }) {
            case .done: break
            case .wouldBlock:
                blocked += 1
                received += receiveAvailable(client.fd)
            case .failed:
                Issue.record("write failed: \(String(cString: strerror(errno)))")
                return (received, blocked)
            }
        }
        return (received, blocked)
    }

    /// Closes `server`'s sending side and returns the rest `client` receives, expecting the
    /// stream to end cleanly.
    static func finish(server: Int32, client: TestClient) -> [UInt8] {
        Glibc.shutdown(server, Int32(SHUT_WR))
        let (rest, ending) = client.readToEnd()
        #expect(ending == .closed)
        return rest
    }

    @Test func partialWritesResumeWhereTheKernelStopped() throws {
        let (server, client) = try Self.smallBufferPair()
        defer { close(server) }

        var queue = OutputQueue()
        var expected: [UInt8] = []
        for index in 0..<40 {
            let head = Array("HTTP/1.1 200 OK\r\nContent-Length: \(index)\r\n\r\n".utf8)
            // Small bodies are copied, large ones shared; both kinds, and many arrays per
            // writev (more than `arraysPerWrite` in all).
            let body = Self.bytes(index.isMultiple(of: 3) ? 100 : 37_000 + index, seed: UInt8(index))
            queue.append(contentsOf: head)
            queue.append(body: body)
            expected += head + body
        }
        #expect(queue.count == expected.count)

        let (drained, blocked) = Self.drain(&queue, server: server, client: client)
        let received = drained + Self.finish(server: server, client: client)
        #expect(blocked > 10, "the small buffer should have stopped the writes many times")
        #expect(received.count == expected.count)
        #expect(received == expected)
    }

    @Test func smallBodiesAreCopiedAndLargeOnesShared() {
        var queue = OutputQueue()
        queue.append(contentsOf: Array("head\r\n\r\n".utf8))
        queue.append(body: Self.bytes(OutputQueue.sharedBodyThreshold - 1, seed: 1))
        queue.append(contentsOf: Array("head\r\n\r\n".utf8))
        #expect(queue.arrayCount == 1)
        queue.append(body: Self.bytes(OutputQueue.sharedBodyThreshold, seed: 2))
        queue.append(contentsOf: Array("next".utf8))
        #expect(queue.arrayCount == 3)
        #expect(queue.count == 8 + OutputQueue.sharedBodyThreshold - 1 + 8 + OutputQueue.sharedBodyThreshold + 4)
    }

    /// Memory-file bodies go out with `sendfile` between arrays, through partial writes, in
    /// order; a file queued right after everything was sent (the queue keeps an empty array
    /// for its capacity) is sent too.
    @Test func fileBodiesAreSentInOrderThroughPartialWrites() throws {
        let (server, client) = try Self.smallBufferPair()
        defer { close(server) }

        var queue = OutputQueue()
        var expected: [UInt8] = []
        for index in 0..<12 {
            let head = Array("HTTP/1.1 200 OK\r\nContent-Length: \(index)\r\n\r\n".utf8)
            let body = Self.bytes(FileBody.threshold + 1_000 * index, seed: UInt8(index))
            let file = try #require(FileBody(body))
            queue.append(contentsOf: head)
            queue.append(file: file)
            // Now and then a shared array between two files.
            if index.isMultiple(of: 4) {
                let shared = Self.bytes(5_000, seed: 99)
                queue.append(body: shared)
                expected += head + body + shared
            } else {
                expected += head + body
            }
        }
        #expect(queue.count == expected.count)
        let (drained, blocked) = Self.drain(&queue, server: server, client: client)
        var received = drained
        // Everything sent: the next file follows the queue's kept, empty array.
        let last = Self.bytes(FileBody.threshold, seed: 7)
        queue.append(file: try #require(FileBody(last)))
        expected += last
        received += Self.drain(&queue, server: server, client: client).received
        received += Self.finish(server: server, client: client)
        #expect(blocked > 10, "the small buffer should have stopped the writes many times")
        #expect(received.count == expected.count)
        #expect(received == expected)
    }
}

