/// What an API token may change and read through the management API. A token holds one or
/// more; a token created without any holds them all, including any added later.
public enum TokenScope: String, CaseIterable, Sendable, Comparable {
    /// Incidents and maintenances, their updates.
    case incidents
    /// Components and component groups.
    case components
    /// Webhook and email subscribers.
    case subscribers
    /// Automatic checks and the results remote probers report.
    case checks
    /// The page's settings, incident templates and the audit log.
    case page

    /// Declaration order, so lists read the same everywhere (`warta token list`, refusals).
    public static func < (left: TokenScope, right: TokenScope) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }

    /// The scopes named in `text`, separated by commas or spaces (`incidents,components`).
    /// - Throws: `ValidationError` (`.token(.scopes)`) naming the unknown scope and listing
    ///   the known ones, or when `text` names none.
    public static func parseList(_ text: String) throws(ValidationError) -> Set<TokenScope> {
        let words = text.split(whereSeparator: { $0 == "," || $0 == " " })
        guard !words.isEmpty else {
            throw .invalid(.token(.scopes), "A scope list must name at least one scope: "
                           + allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        var scopes: Set<TokenScope> = []
        for word in words {
            guard let scope = TokenScope(rawValue: String(word)) else {
                throw .invalid(.token(.scopes),
                               ValidationError.unknownValueMessage(String(word), allowed: allCases.map(\.rawValue)))
            }
            scopes.insert(scope)
        }
        return scopes
    }
}
