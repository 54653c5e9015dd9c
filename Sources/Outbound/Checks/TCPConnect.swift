import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection, made and closed at once: the probe of a tcp check, and of a `tcp://`
/// control target.
struct TCPConnect {
    var host: String
    var port: Int
    /// The time allowed for resolving and connecting, across every address of the host.
    var timeout: TimeInterval

    /// nil when a connection was made to one of the host's addresses (tried in the
    /// resolver's order); otherwise why the last one tried failed.
    func perform() -> ProbeFailure? {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        let addresses = HostResolver.addresses(of: host)
        guard !addresses.isEmpty else { return .nameNotResolved }
        var failure = ProbeFailure.timedOut
        for address in addresses {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return .timedOut }
            guard let next = connect(to: address, within: remaining) else { return nil }
            failure = next
        }
        return failure
    }

    /// A non-blocking connect, then a wait for it to complete (connect(2): EINPROGRESS,
    /// then SO_ERROR once the socket is writable).
    private func connect(to address: IPAddress, within remaining: Duration) -> ProbeFailure? {
        let descriptor = socket(address.isIPv4 ? AF_INET : AF_INET6,
                                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return ProbeFailure(systemError: errno) }
        defer { close(descriptor) }
        var storage = sockaddr_storage()
        let length = Self.fill(&storage, address: address, port: port)
        let started = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, length) }
        }
        if started == 0 { return nil }
        guard errno == EINPROGRESS else { return ProbeFailure(systemError: errno) }
        let deadline = ContinuousClock.now + remaining
        var waiting = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return .timedOut }
            let ready = poll(&waiting, 1, Int32(clamping: max(1, Int((left / .milliseconds(1)).rounded(.up)))))
            if ready > 0 { break }
            if ready < 0, errno != EINTR { return ProbeFailure(systemError: errno) }
        }
        var error: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &size) == 0 else { return ProbeFailure(systemError: errno) }
        return error == 0 ? nil : ProbeFailure(systemError: error)
    }

    /// `address:port` as a `sockaddr_in` or `sockaddr_in6`; returns its length.
    private static func fill(_ storage: inout sockaddr_storage, address: IPAddress, port: Int) -> socklen_t {
        withUnsafeMutableBytes(of: &storage) { raw in
            if address.isIPv4 {
                var v4 = sockaddr_in()
                v4.sin_family = sa_family_t(AF_INET)
                v4.sin_port = in_port_t(UInt16(port).bigEndian)
                withUnsafeMutableBytes(of: &v4.sin_addr) { $0.copyBytes(from: address.bytes) }
                raw.storeBytes(of: v4, as: sockaddr_in.self)
                return socklen_t(MemoryLayout<sockaddr_in>.size)
            }
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &v6.sin6_addr) { $0.copyBytes(from: address.bytes) }
            raw.storeBytes(of: v6, as: sockaddr_in6.self)
            return socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
    }
}
