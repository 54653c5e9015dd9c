import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Name resolution through the system resolver (`getaddrinfo`, so /etc/hosts and
/// nsswitch apply as for any other program on the machine).
enum HostResolver {
    /// Every address `host` resolves to for a TCP connection, in the resolver's order, without
    /// duplicates; an address literal is itself. Blocks while DNS answers.
    static func addresses(of host: String) -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry = list
        while let current = entry {
            if let socketAddress = current.pointee.ai_addr,
               let address = IPAddress(socketAddress: UnsafeRawPointer(socketAddress)),
               !addresses.contains(address) {
                addresses.append(address)
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
