import Foundation
import Logging
import StatusCore

/// A remote prober's copy of its server's checks, read again every so often on a thread of
/// its own. When the server cannot be read the last list stays: a prober whose server is
/// down (perhaps in the very data centre that failed) goes on probing what it was told.
public final class RemoteCheckList: @unchecked Sendable {
    private let client: ManagementClient
    private let pageID: String
    private let log = Logger(label: "warta.probe")
    private let thread = RoundThread(name: "probe-checks")
    /// Guards everything below.
    private let lock = NSLock()
    private var list: [Check] = []

    public init(client: ManagementClient, pageID: String) {
        self.client = client
        self.pageID = pageID
    }

    /// The checks as last read.
    public var checks: [Check] {
        lock.withLock { list }
    }

    /// Reads the checks now; returns whether that worked (otherwise the last list stays,
    /// and the failure is logged).
    @discardableResult
    public func refresh() -> Bool {
        do {
            let fresh = try client.checks(pageID: pageID)
            let before = lock.withLock {
                defer { list = fresh }
                return list.map(\.id)
            }
            if before != fresh.map(\.id) {
                log.info("checks read", metadata: ["count": "\(fresh.count)"])
            }
            return true
        } catch {
            log.warning("checks could not be read; probing the last list",
                        metadata: ["error": "\(error)", "count": "\(checks.count)"])
            return false
        }
    }

    /// Reads the checks again every `interval` seconds (the first time `interval` from now),
    /// until `stop()`.
    public func start(every interval: TimeInterval) {
        thread.start(firstAfter: interval) { [self] in
            refresh()
            return interval
        }
    }

    public func stop() {
        thread.stop()
    }
}
