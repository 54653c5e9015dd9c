import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address: 4 or 16 bytes in network order, as a socket carries it.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    /// An address from its bytes; nil unless there are 4 or 16 of them.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Reads an address literal as a URL host or a resolver gives it: IPv6 with or without
    /// brackets (a zone such as `%eth0` is dropped: it only names the interface), IPv4 in every
    /// form `inet_aton` reads and URL parsers accept too (`127.1`, `0x7f.0.0.1`, `2130706433`),
    /// so no spelling of an address passes for a name. nil for anything else.
    public init?(_ literal: String) {
        var text = Substring(literal)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }
        guard !text.isEmpty else { return nil }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(text), &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        // inet_aton would read "1.2.3.4 anything" as 1.2.3.4; a host has no spaces.
        guard !text.contains(where: { $0.isWhitespace }) else { return nil }
        var v4 = in_addr()
        guard inet_aton(String(text), &v4) != 0 else { return nil }
        bytes = withUnsafeBytes(of: &v4) { Array($0) }
    }

    /// The address in a `sockaddr_in` or `sockaddr_in6`; nil for another family.
    public init?(socketAddress address: UnsafeRawPointer) {
        switch Int32(address.load(as: sockaddr.self).sa_family) {
        case AF_INET:
            var v4 = address.loadUnaligned(as: sockaddr_in.self).sin_addr
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        case AF_INET6:
            var v6 = address.loadUnaligned(as: sockaddr_in6.self).sin6_addr
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        default:
            return nil
        }
    }

    /// `127.0.0.1`, `::1`: the canonical text (RFC 5952 for IPv6).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return written == nil ? "?" : String(cString: buffer)
    }
}
