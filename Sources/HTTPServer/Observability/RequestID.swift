/// A request's id: what ties its access-log line to the lines its handler logs.
///
/// The id a proxy in front forwarded (`X-Request-Id`, as nginx's `$request_id`) when it is 1
/// to 64 characters of `[A-Za-z0-9._-]`, so it cannot forge log fields; else
/// `PREFIX-CONNECTION-REQUEST` in hex, kept as numbers and written only when logged, so a
/// request that is never logged by name costs no string.
public struct RequestID: Sendable, CustomStringConvertible {
    /// Distinguishes this process's ids from another run's: the connection counters restart.
    static let processPrefix: [UInt8] = {
        var generator = SystemRandomNumberGenerator()
        return Array(String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 16).utf8)
    }()

    let forwarded: String?
    let connection: UInt64
    let request: UInt64

    public init(forwarded: String?, connection: UInt64, request: UInt64) {
        self.forwarded = forwarded.flatMap { text in
            (1...64).contains(text.utf8.count) && text.utf8.allSatisfy(Self.isTokenByte) ? text : nil
        }
        self.connection = connection
        self.request = request
    }

    /// No id (a request not read from a connection).
    public static let none = RequestID(forwarded: nil, connection: 0, request: 0)

    public var description: String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    func append(to bytes: inout [UInt8]) {
        if let forwarded {
            bytes.append(contentsOf: forwarded.utf8)
            return
        }
        bytes.append(contentsOf: Self.processPrefix)
        bytes.append(UInt8(ascii: "-"))
        Self.appendHex(connection, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendHex(request, to: &bytes)
    }

    private static func appendHex(_ value: UInt64, to bytes: inout [UInt8]) {
        let digits = max(1, (64 - value.leadingZeroBitCount + 3) / 4)
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            let nibble = UInt8((value >> UInt64(shift)) & 0xf)
            bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
