import SQLite

/// The page's components as one incident write needs them: by id, in display order, with the
/// names updates record. Loaded once per write (a page has tens of components, not thousands).
struct ComponentIndex {
    let byID: [String: Component]
    /// Display order: the position of each id in `Store.loadComponents`.
    let order: [String: Int]
    let groupNames: [String: String]

    init(_ database: Database) throws {
        let components = try Store.loadComponents(database)
        byID = Dictionary(uniqueKeysWithValues: components.map { ($0.id, $0) })
        order = Dictionary(uniqueKeysWithValues: components.enumerated().map { ($0.element.id, $0.offset) })
        var names: [String: String] = [:]
        for row in try RowReader.readers(database.query("SELECT id, name FROM component_groups")) {
            names[try row.string("id")] = try row.string("name")
        }
        groupNames = names
    }

    /// The name an update records: `Group - Component` for a grouped component, as Statuspage
    /// writes `affected_components[].name`.
    func displayName(of id: String) -> String {
        guard let component = byID[id] else { return id }
        if let groupID = component.groupID, let groupName = groupNames[groupID] {
            return "\(groupName) - \(component.name)"
        }
        return component.name
    }

    /// `ids` in display order: a map's keys have no order of their own.
    func sorted(_ ids: some Sequence<String>) -> [String] {
        ids.sorted { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }
    }
}
