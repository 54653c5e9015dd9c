import Foundation
import StatusCore

extension Prober {
    /// A tcp check: a connection to `tcp://host:port` within its timeout, closed at once.
    func probeTCP(_ check: Check, at: Date) -> ProbeReport {
        guard let url = check.url, let (host, port) = try? CheckTarget.tcp(url) else {
            return ProbeReport(outcome: .failure, at: at, detail: "not a tcp://host:port url")
        }
        switch TCPConnect(host: host, port: port, timeout: TimeInterval(check.timeout)).perform() {
        case nil:
            return ProbeReport(outcome: .success, at: at, detail: "connected")
        case .timedOut?:
            return ProbeReport(outcome: .failure, at: at, detail: "timed out after \(check.timeout) s")
        case let failure?:
            return ProbeReport(outcome: .failure, at: at, detail: failure.description)
        }
    }
}
