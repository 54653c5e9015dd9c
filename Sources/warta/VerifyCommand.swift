import ArgumentParser
import Foundation
import Outbound
import StatusCore
import StatusWeb

/// `warta verify DIR`: checks a static copy of the site against its signed manifest, with
/// the key the reader trusts. Exits 0 when the signature and every file check out, 1 naming
/// the first problem otherwise, so it can gate a sync or a switch to a mirror.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a static copy's signature and every file in it.",
        discussion: """
            Prints "OK: N files, signed at TIME", or the first problem in path order: \
            "changed: PATH", "missing: PATH", "extra: PATH" or "bad signature", and exits 1.
            """)

    @Argument(help: "The copy's folder (written by `warta export` or `serve --mirror`).")
    var directory: String

    @Option(help: ArgumentHelp(
        "The public key: its base64, or an http(s) URL serving it (https://status.example/.well-known/warta-signing-key).",
        discussion: "Without it, the key the copy itself carries is used: that proves the copy is intact, not where it came from.",
        valueName: "base64-or-url"))
    var key: String?

    func run() throws {
        let publicKey = try resolveKey()
        switch CopyVerifier(key: publicKey).verify(directory: directory) {
        case .success(let manifest):
            print("OK: \(manifest.files.count) files, signed at \(manifest.generatedAt)")
        case .failure(let problem):
            print(problem)
            throw ExitCode(1)
        }
    }

    private func resolveKey() throws -> PublicSigningKey {
        if let key {
            let lowered = key.lowercased()
            let text: String
            if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
                do {
                    text = try PublishedText.read(key)
                } catch {
                    throw CommandError("cannot read the key: \(error)")
                }
            } else {
                text = key
            }
            guard let publicKey = PublicSigningKey(base64: text) else {
                throw ValidationError("--key \(key.count > 100 ? String(key.prefix(100)) + "…" : key) is not a public signing key (base64 of 32 bytes) or a URL serving one")
            }
            return publicKey
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent(CopyManifest.publicKeyPath).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError("the copy carries no key at \(CopyManifest.publicKeyPath) (is it signed?); pass --key")
        }
        guard let publicKey = PublicSigningKey(base64: String(decoding: data, as: UTF8.self)) else {
            throw CommandError("\(CopyManifest.publicKeyPath) in the copy is not a public signing key; pass --key")
        }
        FileHandle.standardError.write(Data("""
            warning: checked with the key the copy itself carries: this proves the copy is intact, not that it \
            came from your server. Pass --key with the key `warta key create` printed, or the URL that serves it.\n
            """.utf8))
        return publicKey
    }
}
