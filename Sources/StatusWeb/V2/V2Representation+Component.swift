import Foundation
import HTTPServer
import StatusCore

extension V2Representation {
    /// A row of the flat `components` list: a group (with its children, in order) or a
    /// component.
    enum ComponentRow: Sendable {
        case group(ComponentGroup, children: [Component])
        case component(Component)

        var id: String {
            switch self {
            case .group(let group, _): return group.id
            case .component(let component): return component.id
            }
        }

        fileprivate var position: Int {
            switch self {
            case .group(let group, _): return group.position
            case .component(let component): return component.position
            }
        }

        fileprivate var name: String {
            switch self {
            case .group(let group, _): return group.name
            case .component(let component): return component.name
            }
        }
    }

    /// Tree order (see the type's documentation): top-level rows by position, each group
    /// followed by its children by position. A component whose group is missing is shown
    /// at the top level.
    static func componentRows(groups: [ComponentGroup], components: [Component]) -> [ComponentRow] {
        let groupIDs = Set(groups.map(\.id))
        var children: [String: [Component]] = [:]
        var topLevel: [ComponentRow] = []
        for component in components {
            if let groupID = component.groupID, groupIDs.contains(groupID) {
                children[groupID, default: []].append(component)
            } else {
                topLevel.append(.component(component))
            }
        }
        for group in groups {
            let members = (children[group.id] ?? []).sorted {
                ($0.position, $0.name, $0.id) < ($1.position, $1.name, $1.id)
            }
            topLevel.append(.group(group, children: members))
        }
        topLevel.sort { ($0.position, $0.name, $0.id) < ($1.position, $1.name, $1.id) }

        var rows: [ComponentRow] = []
        rows.reserveCapacity(groups.count + components.count)
        for row in topLevel {
            rows.append(row)
            if case .group(_, let members) = row {
                rows.append(contentsOf: members.map(ComponentRow.component))
            }
        }
        return rows
    }

    /// A component object: `id, name, status, created_at, updated_at, position,
    /// description, showcase, start_date, group_id, page_id, group, only_show_if_degraded`,
    /// and `components` (child ids) on group rows. A group's status is the worst of its
    /// children's (`Rollup.groupStatus`).
    static func writeComponentRow(_ row: ComponentRow, pageID: String, into writer: inout JSONWriter) {
        writer.beginObject()
        switch row {
        case .component(let component):
            writer.field("id", component.id)
            writer.field("name", component.name)
            writer.field("status", component.status.rawValue)
            writer.field("created_at", timestamp: component.createdAt)
            writer.field("updated_at", timestamp: component.updatedAt)
            writer.field("position", component.position)
            writer.field("description", component.description)
            writer.field("showcase", component.showcase)
            writer.field("start_date", component.startDate)
            writer.field("group_id", component.groupID)
            writer.field("page_id", pageID)
            writer.field("group", false)
            writer.field("only_show_if_degraded", component.onlyShowIfDegraded)
        case .group(let group, let children):
            writer.field("id", group.id)
            writer.field("name", group.name)
            writer.field("status", Rollup.groupStatus(children.map(\.status)).rawValue)
            writer.field("created_at", timestamp: group.createdAt)
            writer.field("updated_at", timestamp: group.updatedAt)
            writer.field("position", group.position)
            writer.field("description", group.description)
            writer.field("showcase", false)
            writer.nullField("start_date")
            writer.nullField("group_id")
            writer.field("page_id", pageID)
            writer.field("group", true)
            writer.field("only_show_if_degraded", false)
            writer.key("components")
            writer.beginArray()
            for child in children { writer.string(child.id) }
            writer.endArray()
        }
        writer.endObject()
    }

    /// The whole flat list.
    func writeComponents(into writer: inout JSONWriter) {
        writer.beginArray()
        for row in componentRows {
            if let json = componentJSON[row.id] { writer.raw(json) }
        }
        writer.endArray()
    }
}
