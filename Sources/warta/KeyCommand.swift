import ArgumentParser
import Foundation
import StatusCore

/// `warta key create|show`: the Ed25519 key that signs static copies (`export`, `--mirror`).
/// Kept in the database, so a backup or a Litestream replica carries it and a standby
/// restored from one signs with the same key.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create or show the key that signs static copies of the site.",
        subcommands: [Create.self, Show.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the signing key and print its public half (base64), alone on standard output.",
            discussion: """
                The key is stored in the database; from then on every export and mirror write \
                carries manifest.json and manifest.json.sig, and the server publishes the public key \
                at /.well-known/warta-signing-key. An existing key is kept unless --replace is given: \
                copies signed with the old key no longer verify against the new one.
                """)

        @Flag(help: "Replace an existing key (copies signed with it stop verifying against the new one).")
        var replace = false

        @OptionGroup var database: TokenCommand.DatabaseOption

        func run() throws {
            let key = try database.write { store, now in
                do {
                    return try store.createSigningKey(replacing: replace, by: TokenCommand.actor, now: now)
                } catch SigningKeyError.exists(let createdAt) {
                    throw ValidationError("the database already has a signing key (created \(Timestamp.format(createdAt))); "
                        + "pass --replace to make a new one (copies signed with the old key will no longer verify)")
                }
            }
            print(key.publicKey.base64)
            FileHandle.standardError.write(Data("""
                Signing key \(replace ? "replaced" : "created"). Exports and mirror writes are signed from now on; \
                readers check them with `warta verify DIR --key` and this public key.\n
                """.utf8))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the public signing key (base64).")

        @OptionGroup var database: TokenCommand.DatabaseOption

        func run() throws {
            try requireDatabase(at: database.db)
            let store = try database.open()
            defer { store.close() }
            guard let stored = try store.publicSigningKey() else {
                throw CommandError("the database has no signing key; make one with `warta key create`")
            }
            print(stored.key.base64)
        }
    }
}
