import Dispatch
import Foundation
import Logging
import HTTPServer
import StatusCore

/// `warta serve --mirror DIR`: keeps a static copy of the public site (`StaticExport`) current
/// after every change, so nginx, object storage sync or a CDN can keep serving it even when
/// Warta is down.
///
/// Snapshots are written on a queue of their own, never on the write path: a burst of
/// writes is coalesced into one export of the newest snapshot. Each file is replaced
/// atomically and only when its bytes changed.
public final class Mirror: @unchecked Sendable {
    public let directory: String
    private let assets: Assets
    private let store: Store
    private let baseURL: String
    private let queue = DispatchQueue(label: "warta.mirror")
    /// Guards `pending` and `scheduled`.
    private let lock = NSLock()
    private var pending: Snapshot?
    private var scheduled = false
    /// What the directory holds, as last written (touched only on `queue`).
    private var written: [String: [UInt8]] = [:]
    /// Called on the mirror's queue after every export that completed (`--mirror-hook`).
    private let afterWrite: (@Sendable () -> Void)?

    /// - Parameter afterWrite: called after every completed write of the folder, on the
    ///   mirror's queue: it must return at once (hand the work to a thread of its own).
    public init(directory: String, assets: Assets, store: Store, baseURL: String,
                afterWrite: (@Sendable () -> Void)? = nil) {
        self.directory = directory
        self.assets = assets
        self.store = store
        self.baseURL = baseURL
        self.afterWrite = afterWrite
    }

    /// Writes `snapshot` now, on the caller's thread (at start, before serving).
    public func writeNow(_ snapshot: Snapshot) throws {
        try queue.sync { try self.export(snapshot) }
    }

    /// Queues `snapshot` for writing; returns at once.
    public func publish(_ snapshot: Snapshot) {
        lock.lock()
        pending = snapshot
        let start = !scheduled
        scheduled = true
        lock.unlock()
        if start { queue.async { self.drain() } }
    }

    /// Waits until every queued snapshot is written (tests, shutdown).
    public func flush() {
        // A drain picks up whatever is queued while it runs, so the queue is empty after it.
        queue.sync {}
    }

    private func drain() {
        while true {
            lock.lock()
            guard let snapshot = pending else {
                scheduled = false
                lock.unlock()
                return
            }
            pending = nil
            lock.unlock()
            do {
                try export(snapshot)
            } catch {
                Logger(label: "warta.mirror").error("mirror write failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func export(_ snapshot: Snapshot) throws {
        let site = try StaticExport(snapshot: snapshot, assets: assets, store: store, baseURL: baseURL)
        try site.write(to: directory, previous: written)
        written = site.files
        afterWrite?()
    }
}
