import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Outbound
import TestSupport
import Testing

/// The libcurl SMTP client against a real relay (Tests/lib/smtp-relay.py, aiosmtpd) on
/// 127.0.0.1, with a throwaway CA: what arrives, byte for byte, and how each failure is told.
@Suite struct SMTPRelayTests {
    static let sender = "status@imigrasi.example"
    static let recipient = "budi@contoh.example"

    /// A message whose parts have lines that SMTP must dot-stuff: a lone `.` would otherwise
    /// end the data, and a leading `.` would be lost.
    static func message(_ subject: String = "Gangguan layanan paspor – pembaruan", to: String = recipient) throws -> [UInt8] {
        try MailMessage(fromName: "Status Imigrasi", fromAddress: sender, to: to, subject: subject,
                        date: instant("2026-11-29T05:31:03Z"), messageID: "incident.abc.def@imigrasi.example",
                        text: "Layanan paspor terganggu.\n.\n..dua titik\n.satu titik\n", html: "<p>Layanan paspor terganggu.</p>\n.\n",
                        language: "id").rendered()
    }

    static func relay(_ relay: SMTPRelayProcess, caFile: String? = nil, insecure: Bool = false,
                      username: String? = nil, password: String? = nil, timeout: TimeInterval = 10) throws -> SMTPRelay {
        try SMTPRelay(.init(url: relay.url, username: username, password: password, insecure: insecure,
                            caFile: caFile ?? relay.caFile, timeout: timeout))
    }

    @Test func startTLSDeliversTheExactBytesEncrypted() throws {
        let relay = try SMTPRelayProcess(security: .requiredStartTLS)
        let message = try Self.message()
        #expect(try Self.relay(relay).session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: message) == .sent)
        let received = relay.messages()
        try #require(received.count == 1)
        #expect(received[0].tls)
        #expect(received[0].mailFrom == Self.sender)
        #expect(received[0].recipients == [Self.recipient])
        #expect(received[0].bytes == message, "dot-stuffed by libcurl, unstuffed by the relay: the same bytes")
        #expect(TestClient.text(message).contains("\r\n.\r\n..dua titik\r\n.satu titik\r\n"))
        #expect(relay.stop() == 0, "SIGTERM ends the relay cleanly")
    }

    @Test func implicitTLSDelivers() throws {
        let relay = try SMTPRelayProcess(security: .implicitTLS)
        #expect(relay.url.hasPrefix("smtps://"))
        let message = try Self.message()
        #expect(try Self.relay(relay).session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: message) == .sent)
        let received = relay.messages()
        #expect(received.map(\.tls) == [true])
        #expect(received.first?.bytes == message)
    }

    @Test func relayWithoutSTARTTLSIsRefusedUnlessInsecure() throws {
        let relay = try SMTPRelayProcess(security: .plain)
        let outcome = try Self.relay(relay).session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: Self.message())
        #expect(outcome == .temporary(code: nil, reason: "TLS required: the relay does not offer STARTTLS"))
        #expect(relay.log().isEmpty)

        // On this machine, the operator may allow it.
        let insecure = try Self.relay(relay, insecure: true)
        #expect(insecure.session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message()) == .sent)
        #expect(relay.messages().map(\.tls) == [false])
    }

    @Test func insecureSkipsTheCertificateCheckButStillUsesSTARTTLS() throws {
        let relay = try SMTPRelayProcess(security: .startTLS)
        let elsewhere = try TestCertificateAuthority(in: relay.folder, name: "other-ca")
        let insecure = try Self.relay(relay, caFile: elsewhere.certificateFile, insecure: true)
        #expect(insecure.session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message()) == .sent)
        #expect(relay.messages().map(\.tls) == [true])
    }

    @Test(arguments: [SMTPRelayProcess.Security.requiredStartTLS, .implicitTLS])
    func certificateFromAnotherAuthorityIsNotTrusted(security: SMTPRelayProcess.Security) throws {
        let relay = try SMTPRelayProcess(security: security)
        let elsewhere = try TestCertificateAuthority(in: relay.folder, name: "other-ca")
        let outcome = try Self.relay(relay, caFile: elsewhere.certificateFile).session()
            .send(envelopeFrom: Self.sender, recipient: Self.recipient, message: Self.message())
        #expect(outcome == .temporary(code: nil, reason: "TLS failed: certificate not trusted"))
        #expect(relay.log().isEmpty)
    }

    @Test func temporaryRefusalIsTemporaryAndTheNextTryArrives() throws {
        let relay = try SMTPRelayProcess(refusals: [.init(Self.recipient, code: 451, times: 1)])
        let session = try Self.relay(relay).session()
        let message = try Self.message()
        #expect(session.send(envelopeFrom: Self.sender, recipient: Self.recipient, message: message)
                == .temporary(code: 451, reason: "relay answered 451"))
        #expect(session.send(envelopeFrom: Self.sender, recipient: Self.recipient, message: message) == .sent)
        let log = relay.log()
        #expect(log.map(\.refused) == [451, nil])
        #expect(log.map(\.recipients) == [[Self.recipient], [Self.recipient]])
        // libcurl closes the connection after a failed message; the next one opens another.
        #expect(log.map(\.connection) == [1, 2])
        #expect(log.last?.bytes == message)
    }

    @Test func permanentRefusalNamesNoAddress() throws {
        let relay = try SMTPRelayProcess(refusals: [.init("hilang@contoh.example", code: 550)])
        let session = try Self.relay(relay).session()
        let outcome = session.send(envelopeFrom: Self.sender, recipient: "hilang@contoh.example",
                                   message: try Self.message(to: "hilang@contoh.example"))
        #expect(outcome == .permanent(code: 550, reason: "relay refused the recipient (550)"))
        #expect(outcome.description == "permanent failure: relay refused the recipient (550)")
        #expect(relay.log().map(\.refused) == [550])
        #expect(session.send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message()) == .sent)
    }

    @Test func loginWithUserAndPassword() throws {
        let relay = try SMTPRelayProcess(user: "warta", password: "s3cret pass")
        let right = try Self.relay(relay, username: "warta", password: "s3cret pass")
        #expect(right.session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message()) == .sent)
        #expect(relay.messages().map(\.user) == ["warta"])

        let wrong = try Self.relay(relay, username: "warta", password: "wrong")
        let refused = wrong.session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message())
        #expect(refused == .temporary(code: 535, reason: "relay refused the login (535)"))
        let none = try Self.relay(relay).session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message())
        #expect(none == .temporary(code: 530, reason: "relay requires a login (530)"))
        #expect(relay.messages().count == 1)
    }

    @Test func deadPortIsAConnectionFailure() throws {
        let port = try Self.unusedPort()
        let relay = try SMTPRelay(.init(url: "smtp://127.0.0.1:\(port)"))
        #expect(relay.session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message())
                == .temporary(code: nil, reason: "connection failed"))
    }

    /// A listener that never greets: libcurl's own timeout ends the wait (a real, short one:
    /// it is libcurl's clock, not Warta's).
    @Test func silentRelayTimesOut() throws {
        let listener = try Self.listeningSocket()
        defer { close(listener.descriptor) }
        let relay = try SMTPRelay(.init(url: "smtp://127.0.0.1:\(listener.port)", timeout: 0.3))
        #expect(relay.session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message())
                == .temporary(code: nil, reason: "timed out"))
    }

    @Test func oneSessionKeepsOneConnection() throws {
        let relay = try SMTPRelayProcess()
        let smtp = try Self.relay(relay)
        let session = smtp.session()
        let messages = try (1...3).map { try Self.message("Pembaruan \($0)") }
        for message in messages {
            #expect(session.send(envelopeFrom: Self.sender, recipient: Self.recipient, message: message) == .sent)
        }
        #expect(smtp.session().send(envelopeFrom: Self.sender, recipient: Self.recipient, message: messages[0]) == .sent)
        let received = relay.messages()
        #expect(received.map(\.connection) == [1, 1, 1, 2])
        #expect(received.map(\.bytes) == messages + [messages[0]])
        #expect(received.allSatisfy { $0.tls })
    }

    @Test func connectionTheRelayDroppedIsReplacedOnce() throws {
        let relay = try SMTPRelayProcess(dropReusedMail: true)
        let session = try Self.relay(relay).session()
        #expect(session.send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message("Satu")) == .sent)
        #expect(session.send(envelopeFrom: Self.sender, recipient: Self.recipient, message: try Self.message("Dua")) == .sent)
        #expect(relay.messages().map(\.connection) == [1, 2])
    }

    @Test func envelopeAddressWithALineBreakIsNeverSent() throws {
        let relay = try SMTPRelayProcess()
        let session = try Self.relay(relay).session()
        let outcome = session.send(envelopeFrom: Self.sender, recipient: "budi@contoh.example>\r\nRCPT TO:<x@y.example",
                                   message: try Self.message())
        #expect(outcome == .permanent(code: 0, reason: "invalid recipient address: has a line break"))
        #expect(relay.log().isEmpty)
    }

    @Test(arguments: [
        ("http://relay.example:587", "the SMTP URL must start with smtps:// (TLS from the start) or smtp:// (STARTTLS), not http://"),
        ("relay.example:587", "the SMTP URL must start with smtps:// (TLS from the start) or smtp:// (STARTTLS), not relay.example://"),
        ("smtp:///", "the SMTP URL has no host"),
        ("smtp://relay.example:0", "the SMTP port must be between 1 and 65535, not 0"),
        ("smtp://relay.example:70000", "the SMTP port must be between 1 and 65535, not 70000"),
        ("smtps://warta:secret@relay.example", "the SMTP URL must not hold a user name or password; give them as the SMTP user and password"),
        ("smtp://relay.example:587?x=1", "the SMTP URL must not have a query (?) or fragment (#)"),
        ("not a url", "the SMTP URL is not a URL; write smtps://host:465 or smtp://host:587"),
    ])
    func configurationIsCheckedAtStart(url: String, error: String) {
        #expect(Self.refusal(.init(url: url)) == error)
    }

    @Test func insecureOnlyForThisMachine() throws {
        #expect(Self.refusal(.init(url: "smtp://relay.example:25", insecure: true))
                == "insecure SMTP (no TLS, no certificate check) is allowed only to a relay on this machine "
                + "(127.0.0.0/8, ::1, localhost), not to relay.example")
        #expect(throws: SMTPRelay.ConfigurationError.self) { try SMTPRelay(.init(url: "smtp://10.0.0.5:25", insecure: true)) }
        for url in ["smtp://127.0.0.1:25", "smtp://127.8.9.10", "smtp://[::1]:25", "smtp://localhost:25", "smtps://LOCALHOST"] {
            #expect(throws: Never.self) { try SMTPRelay(.init(url: url, insecure: true)) }
        }
    }

    @Test func otherSettingsAreCheckedAtStart() {
        let url = "smtps://relay.example"
        #expect(Self.refusal(.init(url: url, username: "warta")) == "the SMTP user name and password go together: give both or neither")
        #expect(Self.refusal(.init(url: url, username: "warta", password: "a\r\nb"))
                == "the SMTP password is empty or has a control character")
        #expect(Self.refusal(.init(url: url, caFile: "/nonexistent/ca.pem")) == "the SMTP CA file /nonexistent/ca.pem cannot be read")
        #expect(Self.refusal(.init(url: url, timeout: 0)) == "the SMTP timeout must be a positive number of seconds")
        #expect(Self.refusal(.init(url: url, username: "warta", password: "s3cret")) == nil)
    }

    // MARK: - Helpers

    /// What `SMTPRelay.init` says is wrong with `configuration`; nil when nothing is.
    static func refusal(_ configuration: SMTPRelay.Configuration) -> String? {
        do {
            _ = try SMTPRelay(configuration)
            return nil
        } catch {
            return error.description
        }
    }

    /// A port nothing listens on now: bound, read and released.
    static func unusedPort() throws -> Int {
        let listener = try listeningSocket()
        close(listener.descriptor)
        return listener.port
    }

    /// A socket listening on 127.0.0.1 that never accepts: the kernel completes the
    /// handshake, and nothing is ever said.
    static func listeningSocket() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 8) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        try #require(ready)
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}
