import Foundation

/// The operator's SMTP relay, which Warta hands every mail to (RFC 6409 submission): its
/// address, credentials and trust, checked once at start-up.
///
/// Mail leaves over TLS only: `smtps://` from the first byte (RFC 8314 §3.3), or `smtp://`
/// with STARTTLS required (RFC 3207), never falling back to plain text. Only a relay on this
/// machine may be used without TLS (`insecure`), as a local MTA usually is.
public struct SMTPRelay: Sendable {
    public struct Configuration: Sendable {
        /// `smtps://host[:465]` (TLS from the start) or `smtp://host[:587]` (STARTTLS,
        /// required). A path names the EHLO domain (`smtp://relay:587/status.example`);
        /// without it libcurl gives the machine's host name.
        public var url: String
        /// For SMTP AUTH (RFC 4954): both or neither.
        public var username: String?
        public var password: String?
        /// Allows a relay without TLS, and TLS without certificate checks; only to a host on
        /// this machine (127.0.0.0/8, ::1, localhost).
        public var insecure: Bool
        /// A PEM bundle of the certificate authorities to trust instead of the system's (a
        /// private relay's own CA).
        public var caFile: String?
        /// The most one message may take, connecting included.
        public var timeout: TimeInterval

        public init(url: String, username: String? = nil, password: String? = nil, insecure: Bool = false,
                    caFile: String? = nil, timeout: TimeInterval = 30) {
            self.url = url
            self.username = username
            self.password = password
            self.insecure = insecure
            self.caFile = caFile
            self.timeout = timeout
        }
    }

    /// Why a configuration cannot be used; `description` says exactly what to change, without
    /// repeating a password.
    public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public let configuration: Configuration
    /// The URL libcurl is given: scheme, host and port always spelled out.
    let endpoint: String
    /// True for `smtps://`.
    let implicitTLS: Bool

    /// Checks `configuration`: scheme `smtp` or `smtps`, a host, a port in 1...65535 (587 and
    /// 465 when none is given), no credentials, query or fragment in the URL, `insecure` only
    /// for a loopback host, a readable `caFile`, credentials without control characters and
    /// both or neither, a positive timeout.
    public init(_ configuration: Configuration) throws(ConfigurationError) {
        func refuse(_ text: String) -> ConfigurationError { ConfigurationError(description: text) }
        guard let components = URLComponents(string: configuration.url), let scheme = components.scheme?.lowercased() else {
            throw refuse("the SMTP URL is not a URL; write smtps://host:465 or smtp://host:587")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw refuse("the SMTP URL must start with smtps:// (TLS from the start) or smtp:// (STARTTLS), not \(scheme)://")
        }
        guard components.user == nil, components.password == nil else {
            throw refuse("the SMTP URL must not hold a user name or password; give them as the SMTP user and password")
        }
        guard components.query == nil, components.fragment == nil else {
            throw refuse("the SMTP URL must not have a query (?) or fragment (#)")
        }
        guard var host = components.host, !host.isEmpty else { throw refuse("the SMTP URL has no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? (scheme == "smtps" ? 465 : 587)
        guard (1...65535).contains(port) else { throw refuse("the SMTP port must be between 1 and 65535, not \(port)") }
        if configuration.insecure, !Self.isLoopback(host) {
            throw refuse("insecure SMTP (no TLS, no certificate check) is allowed only to a relay on this machine "
                         + "(127.0.0.0/8, ::1, localhost), not to \(host)")
        }
        if let caFile = configuration.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw refuse("the SMTP CA file \(caFile) cannot be read")
        }
        guard (configuration.username == nil) == (configuration.password == nil) else {
            throw refuse("the SMTP user name and password go together: give both or neither")
        }
        for (name, value) in [("user name", configuration.username), ("password", configuration.password)] {
            if let value, value.isEmpty || value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw refuse("the SMTP \(name) is empty or has a control character")
            }
        }
        guard configuration.timeout > 0, configuration.timeout.isFinite else {
            throw refuse("the SMTP timeout must be a positive number of seconds")
        }
        self.configuration = configuration
        implicitTLS = scheme == "smtps"
        let hostInURL = host.contains(":") ? "[\(host)]" : host
        endpoint = "\(scheme)://\(hostInURL):\(port)\(components.percentEncodedPath)"
    }

    /// A connection to the relay, opened on the first message and kept for the next ones.
    public func session() -> SMTPSession {
        SMTPSession(relay: self)
    }

    static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name == "localhost." { return true }
        return IPAddress(host)?.scope == .loopback
    }
}
