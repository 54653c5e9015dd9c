import Foundation
import HTTPServer
import StatusCore

extension V2Representation {
    /// Warta's `/api/v2/uptime.json` (not in Statuspage): for each component (groups
    /// excluded, tree order) `{id, name, uptime_90d, days: [{date, uptime,
    /// major_outage_minutes, partial_outage_minutes}], measured}`, days oldest first.
    /// Percentages have three decimals; `uptime` is null on days before the component existed.
    ///
    /// The declared figures come from the statuses staff set; `measured` holds what the
    /// component's automatic checks found over the same days (`writeMeasuredUptime`), beside
    /// them and never folded in. It is empty while the page keeps its checks private.
    func writeUptime(window: Uptime.Window, into writer: inout JSONWriter) {
        var measured: [String: [CheckStatus]] = [:]
        for status in checks { measured[status.check.componentID, default: []].append(status) }
        writer.beginArray()
        for row in componentRows {
            guard case .component(let component) = row else { continue }
            let history = Uptime.history(changes: state.statusChanges[component.id] ?? [],
                                         startDate: component.startDate, window: window)
            writer.beginObject()
            writer.field("id", component.id)
            writer.field("name", component.name)
            writer.key("uptime_90d")
            if let uptime = history.uptime { writer.decimal(uptime) } else { writer.null() }
            writer.key("days")
            writer.beginArray()
            for day in history.days {
                writer.beginObject()
                writer.field("date", day.date)
                writer.key("uptime")
                if let uptime = day.uptime { writer.decimal(uptime) } else { writer.null() }
                writer.field("major_outage_minutes", day.majorOutageMinutes)
                writer.field("partial_outage_minutes", day.partialOutageMinutes)
                writer.endObject()
            }
            writer.endArray()
            writer.key("measured")
            writer.beginArray()
            for status in measured[component.id] ?? [] {
                Self.writeMeasuredUptime(status, window: window, into: &writer)
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
    }
}
