import Foundation
import PackagePlugin

/// Compiles a top-level folder of the package into the target that needs it, so the built
/// binary carries its migrations and public assets and runs from any directory.
///
/// `StatusCore` gets `migrations/` (as `EmbeddedMigrations`), `StatusWeb` gets `Public/`
/// (as `EmbeddedPublic`).
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let (folderName, typeName): (String, String)
        switch target.name {
        case "StatusCore": (folderName, typeName) = ("migrations", "EmbeddedMigrations")
        case "StatusWeb": (folderName, typeName) = ("Public", "EmbeddedPublic")
        default: return []
        }
        let folder = context.package.directoryURL.appending(path: folderName)
        let output = context.pluginWorkDirectoryURL.appending(path: "\(typeName).swift")
        let files = Self.files(under: folder)
        return [
            .buildCommand(
                displayName: "Embedding \(folderName)/ into \(target.name)",
                executable: try context.tool(named: "embed-files").url,
                arguments: [typeName, folder.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: files + [folder],
                outputFiles: [output]
            )
        ]
    }

    /// Every regular file below `folder`; the plugin runs on each build, so a new or removed
    /// file is noticed without a clean build.
    static func files(under folder: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return enumerator.compactMap { item in
            guard let url = item as? URL,
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true
            else { return nil }
            return url
        }
    }
}
