import Foundation

/// A message as Python's `email` package reads it, with the modern policy: headers decoded
/// (RFC 2047 words, folding undone) and each leaf part's content decoded from its transfer
/// encoding and charset. An independent reader of what Warta writes, so the tests do not
/// check Warta's encoder with Warta's own decoder.
public struct ParsedMail: Decodable, Sendable {
    /// Every header by lowercased name, repeated ones in order.
    public let headers: [String: [String]]
    public let parts: [Part]

    public struct Part: Decodable, Sendable {
        public let type: String
        public let charset: String?
        public let encoding: String?
        public let body: String
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()]?.first }
    public var text: String { parts.first { $0.type == "text/plain" }?.body ?? "" }
    public var html: String { parts.first { $0.type == "text/html" }?.body ?? "" }

    public static func parse(_ bytes: [UInt8]) throws -> ParsedMail {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import email, email.policy, json, sys
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            headers = {}
            for k, v in m.items():
                headers.setdefault(k.lower(), []).append(str(v))
            parts = [{"type": p.get_content_type(), "charset": p.get_content_charset(),
                      "encoding": p.get("Content-Transfer-Encoding"), "body": p.get_content()}
                     for p in m.walk() if not p.is_multipart()]
            print(json.dumps({"headers": headers, "parts": parts}))
            """]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode(ParsedMail.self, from: data)
    }
}
