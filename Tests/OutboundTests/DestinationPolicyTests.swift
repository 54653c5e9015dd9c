import Outbound
import Testing

/// The destination guard from address literals: every spelling of an inside address is
/// inside, and a policy admits exactly the scopes its caller chose.
@Suite struct DestinationPolicyTests {
    @Test(arguments: [
        ("127.0.0.1", IPAddress.Scope.loopback), ("127.255.255.254", .loopback),
        ("127.1", .loopback), ("2130706433", .loopback), ("0x7f.0.0.1", .loopback), ("0177.0.0.1", .loopback),
        ("10.0.0.1", .private), ("172.16.0.1", .private), ("172.31.255.255", .private), ("192.168.1.1", .private),
        ("172.15.255.255", .public), ("172.32.0.1", .public),
        ("169.254.169.254", .linkLocal),
        ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("100.63.255.255", .public), ("100.128.0.1", .public),
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast),
        ("255.255.255.255", .reserved), ("240.0.0.1", .reserved), ("192.0.2.1", .reserved), ("198.18.0.1", .reserved),
        ("8.8.8.8", .public), ("1.1.1.1", .public), ("93.184.216.34", .public),
        ("::1", .loopback), ("[::1]", .loopback), ("::", .unspecified),
        ("fe80::1", .linkLocal), ("fe80::1%eth0", .linkLocal), ("febf::1", .linkLocal),
        ("fc00::1", .uniqueLocal), ("fd12:3456::1", .uniqueLocal), ("fec0::1", .private), ("ff02::1", .multicast),
        ("::ffff:127.0.0.1", .loopback), ("::ffff:7f00:1", .loopback), ("::ffff:169.254.169.254", .linkLocal),
        ("::ffff:10.0.0.1", .private), ("::ffff:8.8.8.8", .public), ("::127.0.0.1", .loopback),
        ("64:ff9b::a00:1", .private), ("64:ff9b::808:808", .public), ("64:ff9b:1::1", .private),
        ("2002:7f00:1::", .loopback), ("2002:808:808::1", .public),
        ("2001:db8::1", .reserved), ("2001:0:4136:e378::1", .reserved), ("100::1", .reserved),
        ("2606:4700:4700::1111", .public), ("2001:4860:4860::8888", .public),
    ])
    func scopeOfALiteral(literal: String, scope: IPAddress.Scope) throws {
        let address = try #require(IPAddress(literal))
        #expect(address.scope == scope, "\(literal) is \(address)")
    }

    @Test(arguments: ["example.org", "localhost", "", "[::1", "256.1.1.1", "1.2.3.4 x", "::ffff:1.2.3.4.5"])
    func namesAndNonsenseAreNotAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func addressesPrintCanonically() throws {
        #expect(try #require(IPAddress("127.1")).description == "127.0.0.1")
        #expect(try #require(IPAddress("2130706433")).description == "127.0.0.1")
        #expect(try #require(IPAddress("[0:0:0:0:0:0:0:1]")).description == "::1")
        #expect(try #require(IPAddress("::FFFF:A9FE:A9FE")).description == "::ffff:169.254.169.254")
        #expect(try #require(IPAddress("fe80::1%eth0")).bytes.count == 16)
    }

    @Test func publicOnlyRefusesEveryInsideScopeAndAnywhereRefusesNone() throws {
        for scope in IPAddress.Scope.allCases {
            let address = try #require(Self.example[scope])
            #expect(address.scope == scope)
            let refusal = DestinationPolicy.publicOnly.refusal(for: address)
            #expect(refusal?.scope == (scope == .public ? nil : scope))
            #expect(refusal?.address == (scope == .public ? nil : address.description))
            #expect(DestinationPolicy.anywhere.refusal(for: address) == nil)
        }
        #expect(DestinationPolicy.anywhere.allowsEverything && !DestinationPolicy.publicOnly.allowsEverything)
    }

    /// A caller chooses its scopes: a prober of internal checks may allow the intranet and
    /// still refuse this machine.
    @Test func aCallerChoosesTheScopes() throws {
        let intranet = DestinationPolicy(allowing: [.public, .private, .uniqueLocal])
        #expect(intranet.refusal(for: try #require(IPAddress("10.1.2.3"))) == nil)
        #expect(intranet.refusal(for: try #require(IPAddress("fd00::5"))) == nil)
        #expect(intranet.refusal(for: try #require(IPAddress("127.0.0.1")))?.description == "127.0.0.1 is a loopback address")
        #expect(intranet.refusal(for: try #require(IPAddress("169.254.169.254")))?.description
            == "169.254.169.254 is a link-local address")
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/hook", "127.0.0.1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]:22/", "::1 is a loopback address"),
        ("http://localhost:6379/", "localhost is a loopback address"),
        ("https://LocalHost./x", "LocalHost. is a loopback address"),
        ("http://api.localhost/", "api.localhost is a loopback address"),
        ("http://0x7f.1/", "127.0.0.1 is a loopback address"),
        ("http://127.0.0.1./", "127.0.0.1 is a loopback address"),
        ("http://2130706433:80/", "127.0.0.1 is a loopback address"),
        ("http://10.0.0.8/hook", "10.0.0.8 is a private address"),
        ("http://100.64.1.1/hook", "100.64.1.1 is a shared (CGNAT) address"),
        ("http://[fd00::1]/hook", "fd00::1 is a unique-local address"),
        ("http://[::ffff:10.0.0.1]/hook", "::ffff:10.0.0.1 is a private address"),
        ("http://0.0.0.0:5432/", "0.0.0.0 is an unspecified address"),
    ])
    func insideEndpointsAreRefusedAtRegistration(endpoint: String, reason: String) {
        #expect(DestinationPolicy.publicOnly.refusal(forEndpoint: endpoint)?.description == reason)
        #expect(DestinationPolicy.anywhere.refusal(forEndpoint: endpoint) == nil)
    }

    /// Names other than `localhost` are checked at each delivery, against the address
    /// connected; registration needs no DNS.
    @Test(arguments: ["https://hooks.example.org/warta", "http://93.184.216.34/hook", "http://[2606:4700::1]/", "not a URL", "ftp:"])
    func otherEndpointsPassRegistration(endpoint: String) {
        #expect(DestinationPolicy.publicOnly.refusal(forEndpoint: endpoint) == nil)
    }

    static let example: [IPAddress.Scope: IPAddress] = [
        .public: IPAddress("8.8.8.8")!, .loopback: IPAddress("127.0.0.1")!, .linkLocal: IPAddress("fe80::1")!,
        .private: IPAddress("192.168.0.1")!, .sharedAddressSpace: IPAddress("100.64.0.1")!,
        .uniqueLocal: IPAddress("fc00::1")!, .unspecified: IPAddress("0.0.0.0")!, .multicast: IPAddress("ff02::1")!,
        .reserved: IPAddress("240.0.0.1")!,
    ]
}
