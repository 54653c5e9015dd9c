#if canImport(Glibc)
import Glibc
#endif

/// A connection's output not yet sent, as a list of byte arrays written with one
/// `sendmsg(2)`, and memory files sent with `sendfile(2)`.
///
/// Status lines, fields and small bodies are copied into an array of the queue's own; a
/// larger body (a prepared page, a JSON document) is queued as the responder's own array,
/// which Swift shares rather than copies, so a 37 KB page goes from the snapshot to the
/// socket without passing through another buffer; a snapshot's largest documents are queued
/// as their memory file (`FileBody`), which the kernel sends without copying at all. A
/// partial write resumes at the byte where the kernel stopped.
struct OutputQueue {
    /// Bodies of at least this many bytes are queued without a copy; under it a copy is
    /// cheaper than another `iovec`.
    static let sharedBodyThreshold = 2048
    /// The most arrays one `writev` is given; far below `IOV_MAX` (1024).
    static let arraysPerWrite = 64

    /// What is queued: bytes, or a prepared body's memory file sent with `sendfile(2)`.
    private enum Segment {
        case bytes([UInt8])
        case file(FileBody)

        var count: Int {
            switch self {
            case .bytes(let bytes): return bytes.count
            case .file(let file): return file.count
            }
        }
    }

    /// Segments to send, oldest first; `segments[first...]` are pending.
    private var segments: [Segment] = []
    private var first = 0
    /// Bytes of `segments[first]` already sent.
    private var offset = 0
    /// Whether the last segment is an array of the queue's own, so small appends may grow it.
    private var lastIsOwned = false
    /// Bytes queued and not yet sent.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Segments pending, for tests of what is copied and what is shared.
    var arrayCount: Int { segments[first...].filter { $0.count > 0 }.count }

    /// Appends a copy of `bytes`.
    mutating func append<Bytes: Collection>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        guard !bytes.isEmpty else { return }
        if lastIsOwned, case .bytes(var owned) = segments[segments.count - 1] {
            // Taken out first, so the array is uniquely referenced and grows in place.
            segments[segments.count - 1] = .bytes([])
            owned.append(contentsOf: bytes)
            segments[segments.count - 1] = .bytes(owned)
        } else {
            var owned: [UInt8] = []
            owned.reserveCapacity(max(512, bytes.count))
            owned.append(contentsOf: bytes)
            segments.append(.bytes(owned))
            lastIsOwned = true
        }
        count += bytes.count
    }

    mutating func append(_ byte: UInt8) {
        append(contentsOf: CollectionOfOne(byte))
    }

    /// Appends a body: shared when large (see `sharedBodyThreshold`), copied when small.
    mutating func append(body: [UInt8]) {
        guard body.count >= Self.sharedBodyThreshold else {
            append(contentsOf: body)
            return
        }
        segments.append(.bytes(body))
        lastIsOwned = false
        count += body.count
    }

    /// Appends a body sent from its memory file.
    mutating func append(file: FileBody) {
        guard file.count > 0 else { return }
        segments.append(.file(file))
        lastIsOwned = false
        count += file.count
    }

    enum WriteResult: Equatable {
        /// Everything queued is sent.
        case done
        /// The socket takes no more now; `count` bytes are left.
        case wouldBlock
        /// The socket failed (reset, closed); `errno` says why.
        case failed
    }

    /// Writes as much as the socket takes; `wrote` is told the byte count of each write that
    /// sent something.
    mutating func write(to descriptor: Int32, wrote: (Int) -> Void) -> WriteResult {
        while count > 0 {
            if segments[first].count == 0 {
                // The array kept for its capacity, still empty: nothing to send from it.
                first += 1
                continue
            }
            let sent = gatherAndWrite(descriptor)
            if sent > 0 {
                consume(sent)
                wrote(sent)
            } else if sent < 0, errno == EINTR {
                continue
            } else if sent < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                return .wouldBlock
            } else {
                return .failed
            }
        }
        return .done
    }

    /// Drops everything, keeping nothing (a connection that failed).
    mutating func removeAll() {
        segments = []
        first = 0
        offset = 0
        lastIsOwned = false
        count = 0
    }

    /// One `sendfile` when the next segment is a file; otherwise one `send` or `sendmsg`
    /// over the arrays up to the next file, with `MSG_MORE` when something follows them, so
    /// a head and the file body after it leave in the same packets. The arrays' storage is
    /// pinned by nested `withUnsafeBytes` calls for the length of the call, as Swift
    /// requires, rather than by pointers kept past them.
    private func gatherAndWrite(_ descriptor: Int32) -> Int {
        if case .file(let file) = segments[first] {
            var position = off_t(offset)
            return sendfile(descriptor, file.descriptor, &position, file.count - offset)
        }
        var end = first
        while end < segments.count, end - first < Self.arraysPerWrite, case .bytes = segments[end] { end += 1 }
        let flags = Int32(MSG_NOSIGNAL) | (end < segments.count ? Int32(MSG_MORE) : 0)
        if end - first == 1, case .bytes(let bytes) = segments[first] {
            return bytes.withUnsafeBytes { bytes in
                send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, flags)
            }
        }
        var vectors: [iovec] = []
        vectors.reserveCapacity(end - first)
        func gather(_ index: Int) -> Int {
            guard index < end else {
                return vectors.withUnsafeMutableBufferPointer { vectors in
                    var message = msghdr()
                    message.msg_iov = vectors.baseAddress
                    message.msg_iovlen = vectors.count
                    return sendmsg(descriptor, &message, flags)
                }
            }
            guard case .bytes(let array) = segments[index] else { return gather(end) }
            return array.withUnsafeBytes { bytes in
                let skip = index == first ? offset : 0
                vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + skip),
                                     iov_len: bytes.count - skip))
                return gather(index + 1)
            }
        }
        return gather(first)
    }

    /// Marks `sent` bytes as written: whole segments are released, a partial one is resumed
    /// later from `offset`.
    private mutating func consume(_ sent: Int) {
        count -= sent
        var left = sent
        while left > 0 {
            let remaining = segments[first].count - offset
            if left >= remaining {
                left -= remaining
                first += 1
                offset = 0
            } else {
                offset += left
                left = 0
            }
        }
        if first == segments.count {
            // All sent: keep one small array's capacity for the next responses.
            var kept: [UInt8] = []
            let reuse: Bool
            if lastIsOwned, case .bytes(let last) = segments[segments.count - 1], last.capacity <= 64 * 1024 {
                kept = last
                reuse = true
            } else {
                reuse = false
            }
            // Once the segments let go, `kept` is the array's only reference, and emptying it
            // keeps its storage rather than allocating another.
            segments.removeAll(keepingCapacity: true)
            if reuse {
                kept.removeAll(keepingCapacity: true)
                segments.append(.bytes(kept))
            }
            lastIsOwned = reuse
            first = 0
        } else if first >= 32 {
            segments.removeFirst(first)
            first = 0
        }
    }
}
