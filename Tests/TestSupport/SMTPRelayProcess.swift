import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real SMTP relay for a test: `Tests/lib/smtp-relay.py` (aiosmtpd, from `.venv-mail/`,
/// which `make mail-deps` makes) on 127.0.0.1, with a throwaway CA and certificate, keeping
/// every message it accepts in a temporary folder of its own.
///
/// Stopped (SIGTERM, then SIGKILL) and its folder removed by `stop()` or when dropped.
public final class SMTPRelayProcess: @unchecked Sendable {
    /// How the relay speaks TLS.
    public enum Security: Sendable {
        /// No TLS at all, no STARTTLS offered.
        case plain
        /// STARTTLS offered (RFC 3207), not required.
        case startTLS
        /// STARTTLS offered and required before MAIL.
        case requiredStartTLS
        /// TLS from the first byte (RFC 8314 §3.3): a client uses `smtps://`.
        case implicitTLS
    }

    /// A recipient the relay refuses: `code` to its first `times` RCPTs (every one when nil).
    public struct Refusal: Sendable {
        public var address: String
        public var code: Int
        public var times: Int?

        public init(_ address: String, code: Int, times: Int? = nil) {
            self.address = address
            self.code = code
            self.times = times
        }
    }

    /// One line of the relay's log: a message accepted (`number` and `bytes`) or a RCPT
    /// refused (`refused`).
    public struct Entry: Sendable, Equatable {
        /// 1 for the first message accepted; nil for a refusal.
        public var number: Int?
        public var mailFrom: String
        public var recipients: [String]
        /// Whether the connection was encrypted when the message (or refusal) came.
        public var tls: Bool
        /// Which TCP connection it came over, numbered from 1 in the order they were opened.
        public var connection: Int
        /// The user name the client logged in with.
        public var user: String?
        /// The code a refused RCPT was answered with.
        public var refused: Int?
        /// The message as received, after dot-unstuffing; empty for a refusal.
        public var bytes: [UInt8]
    }

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    /// The CA that signed the relay's certificate, for a client to trust; nil when `.plain`.
    public let caFile: String?
    /// Where the relay keeps what it receives, and the certificates.
    public let folder: TemporaryFolder
    public let security: Security
    private let process = Process()

    /// `smtps://127.0.0.1:PORT` for implicit TLS, `smtp://127.0.0.1:PORT` otherwise.
    public var url: String { "\(security == .implicitTLS ? "smtps" : "smtp")://127.0.0.1:\(port)" }

    /// The repository, found from this file's place in it.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Starts the relay and waits until it listens. `dropReusedMail`: the relay closes,
    /// without a reply, a connection that sends MAIL after it has carried a message.
    public init(security: Security = .requiredStartTLS, user: String? = nil, password: String? = nil,
                refusals: [Refusal] = [], dropReusedMail: Bool = false) throws {
        let python = Self.repository.appendingPathComponent(".venv-mail/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw StartError(description: "\(python.path) is missing: run `make mail-deps` to make the mail tests' Python environment")
        }
        self.security = security
        folder = try TemporaryFolder("smtp-relay")
        var arguments = [Self.repository.appendingPathComponent("Tests/lib/smtp-relay.py").path, folder.path]
        if security != .plain {
            let authority = try TestCertificateAuthority(in: folder)
            let server = try authority.issueServerCertificate()
            caFile = authority.certificateFile
            arguments += ["--tls-cert", server.certificate, "--tls-key", server.key]
            if security == .requiredStartTLS { arguments.append("--require-starttls") }
            if security == .implicitTLS { arguments.append("--implicit-tls") }
        } else {
            caFile = nil
        }
        if let user, let password { arguments += ["--auth", "\(user):\(password)"] }
        for refusal in refusals {
            arguments += ["--fail", "\(refusal.address)=\(refusal.code)" + (refusal.times.map { ":\($0)" } ?? "")]
        }
        if dropReusedMail { arguments.append("--drop-reused-mail") }

        process.executableURL = python
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let errorFile = folder.file("relay.stderr")
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        try process.run()

        var announced = ""
        let handle = output.fileHandleForReading
        while !announced.contains("\n") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            announced += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = Int(announced.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let complaints = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
            folder.remove()
            throw StartError(description: "the SMTP relay did not start: \(announced)\(complaints)")
        }
        self.port = port
    }

    deinit {
        stop()
        folder.remove()
    }

    /// Every line of the log so far, in order: accepted messages and refused recipients.
    public func log() -> [Entry] {
        guard let text = try? String(contentsOfFile: folder.file("log.jsonl"), encoding: .utf8) else { return [] }
        // Only whole lines: the relay may be writing the last one.
        return text.split(separator: "\n", omittingEmptySubsequences: true).dropLast(text.hasSuffix("\n") ? 0 : 1)
            .compactMap { line -> Entry? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
                let number = object["n"] as? Int
                let bytes = number.flatMap { FileManager.default.contents(atPath: folder.file(String(format: "%04d.eml", $0))) }
                return Entry(number: number, mailFrom: object["mail_from"] as? String ?? "",
                             recipients: object["rcpt_tos"] as? [String] ?? [], tls: object["tls"] as? Bool ?? false,
                             connection: object["connection"] as? Int ?? 0, user: object["auth"] as? String,
                             refused: object["refused"] as? Int, bytes: bytes.map { Array($0) } ?? [])
            }
    }

    /// The messages accepted so far, in order.
    public func messages() -> [Entry] {
        log().filter { $0.number != nil }
    }

    /// The messages accepted once there are `count`, or all there are after `timeout`
    /// seconds. It polls the relay's log: the relay is another process.
    public func waitForMessages(_ count: Int, timeout: TimeInterval = 10) -> [Entry] {
        let deadline = Date().addingTimeInterval(timeout)
        var accepted = messages()
        while accepted.count < count, Date() < deadline {
            usleep(20_000)
            accepted = messages()
        }
        return accepted
    }

    /// SIGTERM, and SIGKILL if it has not exited within 5 s. Returns the exit status, nil
    /// when it had to be killed (or was stopped before).
    @discardableResult
    public func stop() -> Int32? {
        guard process.isRunning else { return nil }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
