import ArgumentParser
import Foundation
import StatusCore

@main
struct Warta: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warta",
        abstract: "A status-page server: one binary, one SQLite file.",
        version: Version.current,
        subcommands: [Serve.self, TokenCommand.self, Export.self, Backup.self, Check.self, ProbeCommand.self,
                      KeyCommand.self, VerifyCommand.self],
        defaultSubcommand: Serve.self
    )

    static func main() {
        Log.bootstrap()
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as ArgumentParser.ValidationError {
            exitWithUsage(of: type(of: command), error)
        } catch {
            exit(withError: error)
        }
    }

    /// A mistake in the command line found while running (an option whose value only the
    /// database can complete, say): the message and the usage of the subcommand that ran, as
    /// ArgumentParser prints them for mistakes found while parsing. Its own `exit(withError:)`
    /// would show the usage of `warta` itself, which lists subcommands and helps no one.
    static func exitWithUsage(of subcommand: any ParsableCommand.Type, _ error: ArgumentParser.ValidationError) -> Never {
        let name = subcommand == Warta.self ? "warta" : "warta \(subcommand._commandName)"
        let text = "Error: \(error.message)\nUsage: \(usageString(for: subcommand))\n"
            + "  See '\(name) --help' for more information.\n"
        FileHandle.standardError.write(Data(text.utf8))
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }
}
