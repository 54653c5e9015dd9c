import ArgumentParser
import Foundation
import StatusCore
import StatusWeb

/// `warta export DIR`: the whole public site as static files, the same bytes `serve` sends,
/// for nginx, object storage or a CDN to serve with no Warta running. Reads the database
/// only; a server may be running on it.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the public site (pages, JSON, feeds, badges, assets, .gz and .br siblings) as static files.")

    @Argument(help: "The folder to write into; created if missing. Files are replaced atomically.")
    var directory: String

    @Option(help: "SQLite database file (env WARTA_DB).")
    var db: String = environment("WARTA_DB") ?? "./warta.db"

    @Option(name: .customLong("public-dir"), help: "A folder overriding the built-in Public/ files and templates (env WARTA_PUBLIC_DIR).")
    var publicDirectory: String?

    @Option(name: .customLong("base-url"),
            help: "The site's public URL, for the feeds' absolute links; default: the page's url setting (env WARTA_BASE_URL).")
    var baseURL: String?

    @Option(name: .customLong("max-age"), help: "The max-age the site is built with (env WARTA_MAX_AGE).")
    var maxAge: Int = environment("WARTA_MAX_AGE").flatMap { Int($0) } ?? 10

    func run() throws {
        try requireDatabase(at: db)
        do {
            let store = try Store(path: db)
            defer { store.close() }
            let assets = try Assets(overrideDirectory: publicDirectory ?? environment("WARTA_PUBLIC_DIR"))
            let options = try PageOptions(templates: PageTemplates(assets: assets))
            let snapshot = try Publisher.build(store: store, now: SystemClock().now(), maxAge: maxAge, options: options)
            let base = try Self.baseURL(baseURL ?? environment("WARTA_BASE_URL"), page: snapshot.html.pages.state.page)
            let site = try StaticExport(snapshot: snapshot, assets: assets, store: store, baseURL: base)
            let count = try site.write(to: directory)
            print("Wrote \(count) files to \(directory)")
            if site.manifest == nil {
                FileHandle.standardError.write(Data("""
                    The copy is unsigned: the database has no signing key. Make one with `warta key create` \
                    and export again to add manifest.json and manifest.json.sig, which `warta verify` checks.\n
                    """.utf8))
            }
        } catch let error as ArgumentParser.ValidationError {
            throw error
        } catch {
            // Not a mistake in the command line: no usage text.
            throw CommandError("export failed: \(error)")
        }
    }

    /// `option`, else the page's `url`; an http(s) URL without a trailing slash.
    static func baseURL(_ option: String?, page: Page) throws -> String {
        var url = option ?? page.url
        while url.hasSuffix("/") { url.removeLast() }
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), url.count > 8 else {
            throw ArgumentParser.ValidationError(url.isEmpty
                ? "the feeds need the site's public URL: set the page's url (PATCH /v1/pages/{page_id}) or pass --base-url"
                : "--base-url \(url) is not an http(s) URL")
        }
        return url
    }
}
