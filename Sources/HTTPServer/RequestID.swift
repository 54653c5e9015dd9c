/// Request ids: what ties a request's access-log line to the lines its handler logs.
enum RequestID {
    /// Distinguishes this process's ids from another run's: the connection counters restart.
    static let processPrefix: String = {
        var generator = SystemRandomNumberGenerator()
        return String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 16)
    }()

    /// The id a proxy in front forwarded (`X-Request-Id`, as nginx's `$request_id`) when it is
    /// 1 to 64 characters of `[A-Za-z0-9._-]`, so it cannot forge log fields; else
    /// `PREFIX-CONNECTION-REQUEST` in hex.
    static func make(forwarded: String?, connection: UInt64, request: UInt64) -> String {
        if let forwarded, (1...64).contains(forwarded.utf8.count), forwarded.utf8.allSatisfy(isTokenByte) {
            return forwarded
        }
        return processPrefix + "-" + String(connection, radix: 16) + "-" + String(request, radix: 16)
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
