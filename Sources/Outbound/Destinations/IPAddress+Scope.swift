extension IPAddress {
    /// Where an address leads, as far as a sender must care: the public internet, or one of
    /// the ranges that lead inside the machine or its network (RFC 6890's special-purpose
    /// registries).
    public enum Scope: String, Sendable, CaseIterable {
        /// Routed on the public internet.
        case `public`
        /// 127.0.0.0/8, ::1: this machine (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3).
        case loopback
        /// 169.254.0.0/16, fe80::/10: this link; cloud metadata services live at 169.254.169.254
        /// (RFC 3927, RFC 4291 §2.5.6).
        case linkLocal = "link-local"
        /// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918), and the deprecated IPv6
        /// site-local fec0::/10 (RFC 3879).
        case `private`
        /// 100.64.0.0/10, carrier-grade NAT (RFC 6598).
        case sharedAddressSpace = "shared (CGNAT)"
        /// fc00::/7 (RFC 4193).
        case uniqueLocal = "unique-local"
        /// 0.0.0.0/8 and ::, which Linux connects to this machine (RFC 1122 §3.2.1.3, RFC 4291 §2.5.2).
        case unspecified
        /// 224.0.0.0/4, ff00::/8.
        case multicast
        /// Everything else that is not routed publicly: 240.0.0.0/4 and the broadcast address,
        /// benchmarking, documentation and protocol-assignment ranges, Teredo (RFC 6890).
        case reserved
    }

    /// The scope of this address. An IPv6 address that carries an IPv4 one (IPv4-mapped
    /// ::ffff:0:0/96 and IPv4-compatible ::/96 of RFC 4291 §2.5.5, NAT64 64:ff9b::/96 of
    /// RFC 6052, 6to4 2002::/16 of RFC 3056) has the scope of the address it carries, so
    /// `::ffff:127.0.0.1` is loopback.
    public var scope: Scope {
        isIPv4 ? Self.scope(ipv4: bytes) : Self.scope(ipv6: bytes)
    }

    private static func scope(ipv4 b: [UInt8]) -> Scope {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return .unspecified
        case (127, _, _): return .loopback
        case (10, _, _), (172, 16...31, _), (192, 168, _): return .private
        case (169, 254, _): return .linkLocal
        case (100, 64...127, _): return .sharedAddressSpace
        case (224...239, _, _): return .multicast
        case (240...255, _, _): return .reserved
        case (192, 0, 0), (192, 0, 2), (198, 18...19, _), (198, 51, 100), (203, 0, 113), (192, 88, 99):
            return .reserved
        default: return .public
        }
    }

    private static func scope(ipv6 b: [UInt8]) -> Scope {
        let zeros = { (range: Range<Int>) in b[range].allSatisfy { $0 == 0 } }
        if zeros(0..<15) {
            if b[15] == 0 { return .unspecified }
            if b[15] == 1 { return .loopback }
        }
        if zeros(0..<10), b[10] == 0xff, b[11] == 0xff { return scope(ipv4: Array(b[12..<16])) }  // ::ffff:a.b.c.d
        if zeros(0..<12) { return scope(ipv4: Array(b[12..<16])) }                                // ::a.b.c.d
        if b[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] {                       // 64:ff9b::a.b.c.d
            return scope(ipv4: Array(b[12..<16]))
        }
        if b[0] == 0x20, b[1] == 0x02 { return scope(ipv4: Array(b[2..<6])) }                      // 2002:aabb:ccdd::
        switch b[0] {
        case 0xff: return .multicast
        case 0xfc, 0xfd: return .uniqueLocal
        case 0xfe:
            if b[1] & 0xc0 == 0x80 { return .linkLocal }                                          // fe80::/10
            if b[1] & 0xc0 == 0xc0 { return .private }                                            // fec0::/10
            return .reserved
        default: break
        }
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0d, b[3] == 0xb8 { return .reserved }           // 2001:db8::/32
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0, b[3] == 0 { return .reserved }                 // Teredo 2001::/32
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xff, b[3] == 0x9b { return .private }            // 64:ff9b:1::/48, RFC 8215
        if b[0] & 0xe0 != 0x20 { return .reserved }                                              // outside 2000::/3
        return .public
    }
}
