import Foundation
import StatusCore

extension PageRenderer {
    /// The most characters `/status.txt` holds: one SMS, or one line in a chat gateway.
    public static let statusTextLimit = 160

    /// A name is shortened no further than this before whole names give way to "+N more".
    static let shortestIncidentName = 12

    /// `/status.txt`: the overall status, the open incidents' names and the soonest promised
    /// update, in at most `statusTextLimit` characters (grapheme clusters, as a reader counts
    /// them; never a cut through one). Names are shortened with "…" so that every open
    /// incident keeps a share of the room, the shorter ones whole; when even that leaves a
    /// name under `shortestIncidentName` characters, the newest names stay and the rest are
    /// counted ("+2 more").
    ///
    /// `Major system outage. Autogates down; Payment failing. Next update by 14:30 WIB.`
    public func statusText(_ language: Language) -> String {
        let strings = Strings.of(language)
        let head = strings.indicator(pageStatus.indicator) + "."
        let tail = soonestPromise(language).map { " " + $0 + "." } ?? ""
        let names = openIncidents.map { incidentName($0, language) }
        var text = head
        if !names.isEmpty {
            let room = Self.statusTextLimit - head.count - tail.count - 1
            let list = Self.fittedNames(names, room: room) { strings.format("text_more", ["count": String($0)]) }
            if !list.isEmpty { text += " " + list }
        }
        text += tail
        // Only a page whose own strings outgrow the limit gets here; cut rather than exceed it.
        return text.count <= Self.statusTextLimit ? text : Self.shortened(text, to: Self.statusTextLimit)
    }

    /// What the soonest promise of the open incidents says, shortly: `Next update by 14:30 WIB`,
    /// or `Update overdue since 14:30 WIB` once it passed. nil when none promises anything.
    func soonestPromise(_ language: Language) -> String? {
        let due = openIncidents.compactMap(\.nextUpdateAt).min()
        guard let due else { return nil }
        let strings = Strings.of(language)
        let time = pageTime(language)
        return strings.format(due < now ? "text_overdue" : "next_update", ["time": time.dateTime(due, sameDayAs: now)])
    }

    /// `names` joined by "; " and closed by ".", in at most `room` characters; "" when not
    /// even the count of them fits.
    static func fittedNames(_ names: [String], room: Int, more: (Int) -> String) -> String {
        let whole = names.joined(separator: "; ") + "."
        if whole.count <= room { return whole }
        for kept in stride(from: names.count, through: 1, by: -1) {
            let hidden = names.count - kept
            let suffix = hidden > 0 ? " " + more(hidden) + "." : "."
            let available = room - suffix.count - 2 * (kept - 1)
            guard let budgets = fairShares(names.prefix(kept).map(\.count), total: available,
                                           floor: shortestIncidentName) else { continue }
            let cut = zip(names.prefix(kept), budgets).map { Self.shortened($0, to: $1) }
            return cut.joined(separator: "; ") + suffix
        }
        let countOnly = more(names.count) + "."
        return countOnly.count <= room ? countOnly : ""
    }

    /// Each length's share of `total`: the shortest whole, the longer ones an equal part of
    /// what is left (water-filling); nil when a share would fall under `floor` and under the
    /// length it stands for.
    static func fairShares(_ lengths: [Int], total: Int, floor: Int) -> [Int]? {
        var shares = lengths
        var left = total
        var remaining = lengths.count
        // Shortest first; among equals the later (older) name first, so it takes the smaller share.
        for index in lengths.indices.sorted(by: { (lengths[$0], -$0) < (lengths[$1], -$1) }) {
            let share = min(lengths[index], left / remaining)
            guard share >= min(floor, lengths[index]) else { return nil }
            shares[index] = share
            left -= share
            remaining -= 1
        }
        return shares
    }

    /// `text` in at most `limit` characters: whole, or cut with "…" at the end.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        guard limit > 1 else { return String(text.prefix(max(0, limit))) }
        var kept = String(text.prefix(limit - 1))
        while kept.last?.isWhitespace == true { kept.removeLast() }
        return kept + "…"
    }
}
