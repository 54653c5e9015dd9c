import Foundation

/// Silence counted: an open incident whose latest update promised nothing gets the page's
/// own promise, `Page.maxSilence` minutes after that update. Everything that reads
/// `nextUpdateAt` (v2's `next_update_at` and `update_overdue`, the page, the feeds, the
/// clock path) then treats it as a promise; `promisedBy` says whose it is.
public enum Silence {
    /// `incidents` with the page's promise set where staff made none. Maintenances are
    /// planned work, so they are left alone.
    public static func applyPagePromise(to incidents: [Incident], maxSilence minutes: Int) -> [Incident] {
        guard minutes > 0 else { return incidents }
        return incidents.map { incident in
            guard !incident.isMaintenance, !incident.status.isClosed, incident.nextUpdateAt == nil else {
                return incident
            }
            var promised = incident
            let spoke = incident.updates.map(\.createdAt).max() ?? incident.createdAt
            promised.nextUpdateAt = spoke.addingTimeInterval(Double(minutes) * 60)
            promised.promisedBy = .page
            return promised
        }
    }
}
