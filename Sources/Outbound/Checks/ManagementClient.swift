import Foundation
import StatusCore

/// The Warta server a remote prober (`warta probe`) works for, through its management API:
/// `GET /v1/pages` for the page's id, `GET /v1/pages/{page_id}/checks` for the checks, and
/// `POST /v1/pages/{page_id}/checks/{check_id}/results` for each result, every request with
/// `Authorization: OAuth <token>`.
public final class ManagementClient: Sendable {
    /// The server's base URL, without a final `/`.
    public let server: String
    private let token: String
    /// The time one request may take.
    public let timeout: TimeInterval

    /// The most checks the management API lists in one answer (its `per_page` limit).
    static let pageSize = 100
    /// The largest answer read; a page of 100 checks is some 100 KB.
    static let answerLimit = 8 << 20

    public init(server: String, token: String, timeout: TimeInterval = 10) {
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        self.server = base
        self.token = token
        self.timeout = timeout
    }

    /// Why the server gave no usable answer.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// No answer at all: the server is unreachable, or too slow.
        case unreachable(String)
        /// The token was refused (401 or 403): retrying will not help.
        case refused(status: Int)
        /// Another status than 200.
        case status(Int)
        /// An answer that is not what the management API sends.
        case unreadable(String)

        public var description: String {
            switch self {
            case .unreachable(let reason): return "server unreachable: \(reason)"
            case .refused(let status): return "the server refused the token (HTTP \(status))"
            case .status(let status): return "HTTP \(status)"
            case .unreadable(let reason): return "unreadable answer: \(reason)"
            }
        }
    }

    /// The id of the server's page (`GET /v1/pages`; a server has one).
    public func pageID() throws -> String {
        struct PageDocument: Decodable { var id: String }
        let pages = try decode([PageDocument].self, from: get("/v1/pages"))
        guard let page = pages.first else { throw Failure.unreadable("no page") }
        return page.id
    }

    /// Every check of the page, read 100 at a time. Checks of a kind this prober does not know
    /// are left out (a newer server may have more), as are any it cannot read.
    public func checks(pageID: String) throws -> [Check] {
        var checks: [Check] = []
        // A page number past any real list ends a server that never sends a short page.
        for page in 1...1000 {
            let documents = try decode([Lenient<CheckDocument>].self,
                                       from: get("/v1/pages/\(pageID)/checks?per_page=\(Self.pageSize)&page=\(page)"))
            checks += documents.compactMap { $0.value?.check }
            if documents.count < Self.pageSize { break }
        }
        return checks
    }

    /// Posts each result (concurrently, up to `timeout`); returns each one's outcome, in order:
    /// the status answered, or why there was none.
    public func post(_ results: [CheckResult], pageID: String) -> [Result<Int, OutboundFailure>] {
        let posts = results.map { result in
            HTTPPost(url: server + "/v1/pages/\(pageID)/checks/\(result.checkID)/results",
                     headers: headers + [("Content-Type", "application/json")],
                     body: Self.body(of: result))
        }
        // The operator names the server, which may well sit on this machine or the intranet.
        return HTTPPost.send(posts, destinations: .anywhere, timeout: timeout)
    }

    /// `{"result": {"location", "outcome", "latency_ms", "detail"}}`, keys in order.
    static func body(of result: CheckResult) -> [UInt8] {
        struct Body: Encodable {
            struct Fields: Encodable {
                var location: String
                var outcome: String
                var latencyMilliseconds: Int?
                var detail: String?

                enum CodingKeys: String, CodingKey {
                    case location, outcome, detail
                    case latencyMilliseconds = "latency_ms"
                }
            }
            var result: Fields
        }
        let outcome: String
        switch result.report.outcome {
        case .success: outcome = "success"
        case .failure: outcome = "failure"
        case .inconclusive: outcome = "inconclusive"
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The server keeps 500 characters of a detail and refuses more.
        let body = Body(result: .init(location: result.location, outcome: outcome,
                                      latencyMilliseconds: result.report.latencyMilliseconds,
                                      detail: result.report.detail.map { String($0.prefix(500)) }))
        return Array((try? encoder.encode(body)) ?? Data())
    }

    private var headers: [(name: String, value: String)] {
        [("Authorization", "OAuth \(token)"), ("User-Agent", "Warta/\(Version.current) (probe)")]
    }

    private func get(_ path: String) throws -> [UInt8] {
        let fetch = HTTPFetch(url: server + path, headers: headers.map { "\($0.name): \($0.value)" } + ["Accept: application/json"],
                              timeout: timeout, bodyLimit: Self.answerLimit)
        switch fetch.perform() {
        case .success(let response) where response.status == 200: return response.body
        case .success(let response) where [401, 403].contains(response.status): throw Failure.refused(status: response.status)
        case .success(let response): throw Failure.status(response.status)
        case .failure(let failure): throw Failure.unreachable(failure.description)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: Data(body))
        } catch {
            throw Failure.unreadable("\(error)")
        }
    }
}

/// A value that may fail to decode without failing the list around it.
private struct Lenient<Value: Decodable>: Decodable {
    let value: Value?

    init(from decoder: any Decoder) throws {
        value = try? Value(from: decoder)
    }
}

/// A check as the management API shows it (the fields a prober needs; the verdict and the
/// locations are the server's business).
struct CheckDocument: Decodable {
    var id: String
    var componentId: String
    var name: String
    var type: String
    var url: String?
    var method: String?
    var expectedStatuses: [Int]?
    var bodyContains: String?
    var followRedirects: Bool?
    var interval: Int
    var timeout: Int
    var grace: Int?
    var failureThreshold: Int?
    var successThreshold: Int?
    var lastBeatAt: String?
    var createdAt: String?
    var updatedAt: String?

    /// The check, or nil when its type or method is one this prober does not know.
    var check: Check? {
        guard let kind = Check.Kind(rawValue: type), let method = Check.Method(rawValue: method ?? "GET") else { return nil }
        let created = createdAt.flatMap(Timestamp.parseISO8601) ?? Date(timeIntervalSince1970: 0)
        var check = Check(id: id, name: name, componentID: componentId, kind: kind, url: url, createdAt: created,
                          updatedAt: updatedAt.flatMap(Timestamp.parseISO8601) ?? created)
        check.method = method
        check.expectedStatuses = expectedStatuses ?? []
        check.bodyContains = bodyContains
        check.followRedirects = followRedirects ?? false
        check.interval = interval
        check.timeout = timeout
        check.grace = grace
        check.thresholds = CheckThresholds(failures: failureThreshold ?? 3, successes: successThreshold ?? 2)
        check.lastBeatAt = lastBeatAt.flatMap(Timestamp.parseISO8601)
        return check
    }
}
