import Foundation
import StatusCore

/// The checks' path: probes report often and rarely change anything the public sees, so a
/// result is committed at once but the snapshot is rebuilt only when a check's verdict
/// changes (the clock path refreshes the rest at least once a minute).
extension Publisher {
    /// Records `results` (one transaction); rebuilds when a verdict changed. Returns the
    /// ids of the checks whose verdict changed.
    @discardableResult
    public func recordCheckResults(_ results: [CheckResult]) throws -> Set<String> {
        let (changed, number) = try commit { store, now in try store.recordCheckResults(results, now: now) }
        countCheckResults(results.count)
        if !changed.isEmpty { try publishAfterCheckChange(number) }
        return changed
    }

    /// Records a heartbeat's beat, found by its secret; rebuilds when its verdict changed.
    ///
    /// - Throws: `ValidationError.notFound` for a secret no heartbeat has.
    public func recordBeat(secret: String) throws -> Store.Beat {
        let (beat, number) = try commit { store, now in try store.recordBeat(secret: secret, now: now) }
        if beat.changed { try publishAfterCheckChange(number) }
        return beat
    }

    private func publishAfterCheckChange(_ number: UInt64) throws {
        do {
            try publish(through: number)
        } catch {
            // The result is committed; the page catches up at the clock's retry.
            Self.report("snapshot rebuild after a check changed failed: \(error)")
            retrySoon()
        }
    }
}
