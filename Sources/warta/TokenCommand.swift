import ArgumentParser
import Foundation
import StatusCore

/// `warta token create|list|revoke`: API tokens for the management API. Works on the
/// database file directly, also while the server runs (the server reads tokens from the
/// database on every request).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct DatabaseOption: ParsableArguments {
        @Option(help: "SQLite database file (env WARTA_DB).")
        var db: String = environment("WARTA_DB") ?? "./warta.db"

        func open() throws -> Store {
            do {
                return try Store(path: db)
            } catch {
                throw ValidationError("cannot open \(db): \(error)")
            }
        }

        /// Opens the database, runs `change` at the system clock's time, closes it; a refusal
        /// from the store becomes the command's own, printed with its usage.
        func write<T>(_ change: (Store, Date) throws -> T) throws -> T {
            let store = try open()
            defer { store.close() }
            do {
                return try change(store, SystemClock().now())
            } catch let error as StatusCore.ValidationError {
                throw ValidationError(error.message)
            }
        }
    }

    /// Who did it, for the audit log.
    static var actor: Actor {
        Actor(tokenName: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown"), clientAddress: "local")
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it, once, alone on standard output.")

        @Argument(help: "A name for the token, e.g. the person or script that will use it.")
        var name: String

        @Option(name: .customLong("scope"), help: ArgumentHelp(
            "What the token may do; repeat for several. Without any, it may do everything.",
            discussion: "incidents (incidents and maintenances), components (components and groups), "
                + "subscribers, checks, page (page settings, templates, audit log).",
            valueName: "scope"))
        var scopeNames: [String] = []

        @Option(name: .customLong("expires"), help: ArgumentHelp(
            "How long the token works, e.g. 30m, 12h, 7d, 2w. Without it, until revoked.", valueName: "duration"))
        var lifetime: String?

        @OptionGroup var database: DatabaseOption

        func run() throws {
            let token = try database.write { store, now in
                var scopes: Set<TokenScope>?
                for names in scopeNames {
                    scopes = (scopes ?? []).union(try TokenScope.parseList(names))
                }
                let expiresAt = try lifetime.map { now.addingTimeInterval(try TokenLifetime.parse($0)) }
                return try store.createToken(name: name, scopes: scopes, expiresAt: expiresAt,
                                             by: TokenCommand.actor, now: now)
            }
            print(token)
            FileHandle.standardError.write(Data("Token \"\(name)\" created. It is shown only now; only its SHA-256 is stored.\n".utf8))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tokens: names, scopes, expiry and last use (never the tokens).")

        @OptionGroup var database: DatabaseOption

        func run() throws {
            let store = try database.open()
            defer { store.close() }
            let now = SystemClock().now()
            for token in try store.tokens() {
                print(TokenCommand.line(token, now: now))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by name; it stops working at once.")

        @Argument(help: "The token's name.")
        var name: String

        @OptionGroup var database: DatabaseOption

        func run() throws {
            try database.write { store, now in
                try store.revokeToken(name: name, by: TokenCommand.actor, now: now)
            }
            FileHandle.standardError.write(Data("Token \"\(name)\" revoked.\n".utf8))
        }
    }
}

extension TokenCommand {
    /// One token as `warta token list` prints it: tab-separated, UTC to the second, so a
    /// script can cut it and a person can read it.
    static func line(_ token: TokenInfo, now: Date) -> String {
        let format = Date.ISO8601FormatStyle()
        let scopes = token.scopes.map { $0.sorted().map(\.rawValue).joined(separator: ",") } ?? "all"
        let expiry = token.expiresAt.map { ($0 <= now ? "expired " : "expires ") + $0.formatted(format) } ?? "never expires"
        let used = token.lastUsedAt.map { $0.formatted(format) } ?? "never"
        let state = token.revokedAt.map { "revoked \($0.formatted(format))" } ?? "active"
        return [token.name, "scopes \(scopes)", "created \(token.createdAt.formatted(format))", expiry,
                "last used \(used)", state].joined(separator: "\t")
    }
}
