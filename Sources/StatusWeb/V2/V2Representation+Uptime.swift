import Foundation
import HTTPServer
import StatusCore

extension V2Representation {
    /// Warta's `/api/v2/uptime.json` (not in Statuspage): for each component (groups
    /// excluded, tree order) `{id, name, uptime_90d, days: [{date, uptime,
    /// major_outage_minutes, partial_outage_minutes}]}`, days oldest first. Percentages have
    /// three decimals; `uptime` is null on days before the component existed.
    func writeUptime(window: Uptime.Window, into writer: inout JSONWriter) {
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
            writer.endObject()
        }
        writer.endArray()
    }
}
