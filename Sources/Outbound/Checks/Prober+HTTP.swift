import Foundation
import StatusCore

extension Prober {
    /// An http check: its method, its time limit, redirects only when it follows them (a 3xx
    /// is otherwise its answer); success when the status is one it accepts and, if it looks
    /// for text, the body's first `bodyLimit` bytes contain it (an answer to HEAD has no
    /// body, so a HEAD check's text is not looked for).
    func probeHTTP(_ check: Check, at: Date) -> ProbeReport {
        guard let url = check.url else { return ProbeReport(outcome: .failure, at: at, detail: "no url") }
        let wantsBody = check.method == .GET && check.bodyContains != nil
        let fetch = HTTPFetch(url: url, method: check.method == .HEAD ? .head : .get, headers: Self.headers,
                              followRedirects: check.followRedirects, timeout: TimeInterval(check.timeout),
                              bodyLimit: check.method == .HEAD ? 0 : Self.bodyLimit)
        switch fetch.perform() {
        case .success(let response):
            guard check.accepts(status: response.status) else {
                return ProbeReport(outcome: .failure, at: at, detail: "HTTP \(response.status)")
            }
            if wantsBody, let text = check.bodyContains, !response.body.contains(Array(text.utf8)) {
                return ProbeReport(outcome: .failure, at: at, detail: "body lacks the expected text")
            }
            return ProbeReport(outcome: .success, at: at, detail: "HTTP \(response.status)")
        case .failure(.timedOut):
            return ProbeReport(outcome: .failure, at: at, detail: "timed out after \(check.timeout) s")
        case .failure(let failure):
            return ProbeReport(outcome: .failure, at: at, detail: failure.description)
        }
    }
}
