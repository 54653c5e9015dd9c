import Foundation

/// A certificate authority made with `openssl` for one test, in that test's temporary folder:
/// trusted by nothing but the clients the test tells to, and thrown away with the folder.
public struct TestCertificateAuthority: Sendable {
    /// The CA's certificate (PEM): what a client is given to trust.
    public let certificateFile: String
    private let keyFile: String
    private let folder: TemporaryFolder
    private let name: String

    /// Makes a new CA (a P-256 key and a self-signed certificate valid for two days) as
    /// `NAME.pem` and `NAME.key` in `folder`.
    public init(in folder: TemporaryFolder, name: String = "test-ca") throws {
        self.folder = folder
        self.name = name
        certificateFile = folder.file("\(name).pem")
        keyFile = folder.file("\(name).key")
        try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", keyFile, "-out", certificateFile, "-days", "2", "-subj", "/CN=Warta test CA \(name)",
                          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    }

    /// A server certificate signed by this CA for `127.0.0.1` and `localhost` (subject
    /// alternative names, which is all a client checks, RFC 6125), as files in the CA's folder.
    public func issueServerCertificate(_ serverName: String = "relay") throws -> (certificate: String, key: String) {
        let certificate = folder.file("\(serverName).pem"), key = folder.file("\(serverName).key")
        let request = folder.file("\(serverName).csr"), extensions = folder.file("\(serverName).ext")
        try Data("""
            subjectAltName=IP:127.0.0.1,DNS:localhost
            basicConstraints=CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth

            """.utf8).write(to: URL(fileURLWithPath: extensions))
        try Self.openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", key, "-out", request, "-subj", "/CN=localhost"])
        try Self.openssl(["x509", "-req", "-in", request, "-CA", certificateFile, "-CAkey", keyFile,
                          "-CAcreateserial", "-CAserial", folder.file("\(name).srl"),
                          "-out", certificate, "-days", "2", "-extfile", extensions])
        return (certificate, key)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure(description: "openssl could not be started (\(error)); `make mail-deps` installs it")
        }
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl \(arguments.first ?? "") failed (\(process.terminationStatus)): \(complaints)")
        }
    }
}
