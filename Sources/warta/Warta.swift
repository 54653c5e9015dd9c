import ArgumentParser
import StatusCore

@main
struct Warta: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warta",
        abstract: "A status-page server: one binary, one SQLite file.",
        version: Version.current,
        subcommands: [Serve.self, TokenCommand.self, Export.self, Backup.self, Check.self],
        defaultSubcommand: Serve.self
    )

    static func main() {
        Log.bootstrap()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
