#if canImport(Glibc)
import Glibc
#endif

/// A connection's output not yet sent, as a list of byte arrays written with one `writev(2)`.
///
/// Status lines, fields and small bodies are copied into an array of the queue's own; a
/// larger body (a prepared page, a JSON document) is queued as the responder's own array,
/// which Swift shares rather than copies, so a 37 KB page goes from the snapshot to the
/// socket without passing through another buffer. A partial write resumes at the byte where
/// the kernel stopped.
struct OutputQueue {
    /// Bodies of at least this many bytes are queued without a copy; under it a copy is
    /// cheaper than another `iovec`.
    static let sharedBodyThreshold = 2048
    /// The most arrays one `writev` is given; far below `IOV_MAX` (1024).
    static let arraysPerWrite = 64

    /// Arrays to send, oldest first; `segments[first...]` are pending.
    private var segments: [[UInt8]] = []
    private var first = 0
    /// Bytes of `segments[first]` already sent.
    private var offset = 0
    /// Whether the last array is the queue's own, so small appends may grow it.
    private var lastIsOwned = false
    /// Bytes queued and not yet sent.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Arrays pending, for tests of what is copied and what is shared.
    var arrayCount: Int { segments[first...].filter { !$0.isEmpty }.count }

    /// Appends a copy of `bytes`.
    mutating func append<Bytes: Collection>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        guard !bytes.isEmpty else { return }
        if lastIsOwned {
            segments[segments.count - 1].append(contentsOf: bytes)
        } else {
            var owned: [UInt8] = []
            owned.reserveCapacity(max(512, bytes.count))
            owned.append(contentsOf: bytes)
            segments.append(owned)
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
        segments.append(body)
        lastIsOwned = false
        count += body.count
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

    /// One `writev` (or `send` for a single array, which takes `MSG_NOSIGNAL`) over the
    /// pending arrays. The arrays' storage is pinned by nested `withUnsafeBytes` calls for the
    /// length of the call, as Swift requires, rather than by pointers kept past them.
    private func gatherAndWrite(_ descriptor: Int32) -> Int {
        let end = min(segments.count, first + Self.arraysPerWrite)
        if end - first == 1 {
            return segments[first].withUnsafeBytes { bytes in
                send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
        }
        var vectors: [iovec] = []
        vectors.reserveCapacity(end - first)
        func gather(_ index: Int) -> Int {
            guard index < end else {
                return vectors.withUnsafeBufferPointer { writev(descriptor, $0.baseAddress, Int32($0.count)) }
            }
            return segments[index].withUnsafeBytes { bytes in
                let skip = index == first ? offset : 0
                vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + skip),
                                     iov_len: bytes.count - skip))
                return gather(index + 1)
            }
        }
        return gather(first)
    }

    /// Marks `sent` bytes as written: whole arrays are released, a partial one is resumed
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
            let reuse = lastIsOwned && segments[segments.count - 1].capacity <= 64 * 1024
            var kept = reuse ? segments.removeLast() : []
            segments.removeAll(keepingCapacity: true)
            if reuse {
                kept.removeAll(keepingCapacity: true)
                segments.append(kept)
            }
            lastIsOwned = reuse
            first = 0
        } else if first >= 32 {
            segments.removeFirst(first)
            first = 0
        }
    }
}
