import Foundation
import SQLite

extension Store {
    /// The page's settings. A new database has a default page (migration 0001).
    public func page() throws -> Page {
        try withReader(Self.loadPage)
    }

    /// Changes the page's settings and returns them.
    ///
    /// - Throws: `ValidationError` (`.page(.name)`, `.page(.url)`, `.page(.timeZone)`,
    ///   `.page(.defaultLanguage)`, `.page(.logoURL)`, `.page(.accentColor)`,
    ///   `.page(.headerLinks)`, `.page(.stylesheetURL)`); nothing is changed then.
    public func updatePage(_ patch: PagePatch, by actor: Actor, now: Date) throws -> Page {
        try write { database in
            var page = try Self.loadPage(database)
            var fields: [String] = []

            if let name = patch.name {
                try Rules.name(name, field: .page(.name))
                if name != page.name { page.name = name; fields.append("name") }
            }
            if var url = patch.url {
                // The representations append paths to it: `{url}/incidents/{id}`.
                while url.hasSuffix("/") { url.removeLast() }
                if !url.isEmpty { try Rules.url(url, field: .page(.url), allowingPath: false) }
                if url != page.url { page.url = url; fields.append("url") }
            }
            if let timeZone = patch.timeZone {
                try Rules.timeZone(timeZone, field: .page(.timeZone))
                if timeZone != page.timeZone { page.timeZone = timeZone; fields.append("time_zone") }
            }
            if let language = patch.defaultLanguage {
                try Rules.language(language, field: .page(.defaultLanguage))
                if language != page.defaultLanguage { page.defaultLanguage = language; fields.append("default_language") }
            }
            // A setting that may be cleared: `check` validates a new value, and a change is noted.
            func apply(_ change: Patch<String>, to setting: WritableKeyPath<Page, String?>, audited name: String,
                       check: (String) throws -> Void) throws {
                if case .set(let value) = change { try check(value) }
                let updated = change.applied(to: page[keyPath: setting])
                guard change.isPresent, updated != page[keyPath: setting] else { return }
                page[keyPath: setting] = updated
                fields.append(name)
            }
            try apply(patch.logoURL, to: \.logoURL, audited: "logo_url") {
                try Rules.url($0, field: .page(.logoURL), allowingPath: true)
            }
            try apply(patch.accentColor, to: \.accentColor, audited: "accent_color") {
                try Rules.color($0, field: .page(.accentColor))
            }
            if let links = patch.headerLinks {
                try Self.validateHeaderLinks(links)
                if links != page.headerLinks { page.headerLinks = links; fields.append("header_links") }
            }
            try apply(patch.stylesheetURL, to: \.stylesheetURL, audited: "stylesheet_url") {
                try Rules.url($0, field: .page(.stylesheetURL), allowingPath: true)
            }

            func apply(_ value: Int?, to setting: WritableKeyPath<Page, Int>, audited name: String,
                       field: ValidationError.Field.Attribute) throws {
                guard let value else { return }
                guard (0...10_080).contains(value) else {
                    throw ValidationError.invalid(.page(field), "\(name) must be from 0 to 10080 minutes, not \(value).")
                }
                if value != page[keyPath: setting] { page[keyPath: setting] = value; fields.append(name) }
            }
            try apply(patch.maxSilence, to: \.maxSilence, audited: "max_silence", field: .maxSilence)
            try apply(patch.statementGrace, to: \.statementGrace, audited: "statement_grace", field: .statementGrace)
            if let checksPublic = patch.checksPublic, checksPublic != page.checksPublic {
                page.checksPublic = checksPublic
                fields.append("checks_public")
            }

            // Nothing changed: nothing to write or to audit.
            guard !fields.isEmpty else { return page }
            try database.execute("""
                UPDATE page SET name = ?, url = ?, time_zone = ?, default_language = ?, logo_url = ?,
                    accent_color = ?, header_links = ?, stylesheet_url = ?, checks_public = ?, max_silence = ?,
                    statement_grace = ?, updated_at = ?
                WHERE id = ?
                """,
                [page.name, page.url, page.timeZone, page.defaultLanguage, page.logoURL, page.accentColor,
                 StoredJSON.encodeHeaderLinks(page.headerLinks), page.stylesheetURL, page.checksPublic,
                 page.maxSilence, page.statementGrace, Timestamp.format(now), page.id])
            try Self.audit(database, by: actor, action: "page.update", targetType: "page", targetID: page.id,
                           detail: AuditDetail(fields: fields.sorted()), now: now)
            return try Self.loadPage(database)
        }
    }

    private static func validateHeaderLinks(_ links: [Page.HeaderLink]) throws {
        guard links.count <= Rules.maximumHeaderLinks else {
            throw ValidationError.invalid(
                .page(.headerLinks), "There are \(links.count) header links; at most \(Rules.maximumHeaderLinks) are allowed.")
        }
        for (index, link) in links.enumerated() {
            guard !link.label.allSatisfy(\.isWhitespace), link.label.unicodeScalars.count <= 100 else {
                throw ValidationError.invalid(
                    .page(.headerLinkLabel, key: String(index)), "A header link needs a label of 1 to 100 characters.")
            }
            try Rules.url(link.url, field: .page(.headerLinkURL, key: String(index)), allowingPath: true)
        }
    }

    static func loadPage(_ database: Database) throws -> Page {
        guard let row = try database.queryOne("SELECT * FROM page ORDER BY rowid LIMIT 1").map(RowReader.init) else {
            throw SQLiteError(extendedCode: SQLiteError.error, message: "the page table is empty; the database is damaged")
        }
        let linksText = try row.string("header_links")
        guard let links = StoredJSON.decodeHeaderLinks(linksText) else {
            throw SQLiteError(extendedCode: SQLiteError.mismatch, message: "page.header_links is not a list of links")
        }
        return Page(
            id: try row.string("id"), name: try row.string("name"), url: try row.string("url"),
            timeZone: try row.string("time_zone"), defaultLanguage: try row.string("default_language"),
            logoURL: try row.optionalString("logo_url"), accentColor: try row.optionalString("accent_color"),
            headerLinks: links, stylesheetURL: try row.optionalString("stylesheet_url"),
            checksPublic: try row.bool("checks_public"), maxSilence: try row.int("max_silence"),
            statementGrace: try row.int("statement_grace"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
