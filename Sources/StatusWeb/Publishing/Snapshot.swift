import Foundation
import HTTPServer
import StatusCore
import Synchronization

/// Every public read representation of one state, built once and served many times: the
/// read path looks a path up here and writes bytes, with no SQL, JSON encoding or
/// formatting per request (DESIGN.md, "Three paths").
///
/// Each response carries a strong ETag (a hash of its bytes), `Last-Modified` (the newest
/// change in the state) and
/// `Cache-Control: public, max-age=N, stale-while-revalidate=30, stale-if-error=86400`, so
/// a CDN keeps serving the last good copy if the origin dies. `max-age` never outlives the
/// next time-driven change (a maintenance starting, an update falling overdue, midnight).
public final class Snapshot: Sendable {
    /// A prepared response, identity and gzip, with its validators.
    public struct Entry: Sendable {
        public let representation: Representation
        /// The `max-age` written in the responses, from the build time.
        public let maxAge: Int

        /// The identity response.
        public var response: HTTPResponse { representation.identity }
        /// The identity response's ETag.
        public var etag: String { representation.identityETag }
        /// Seconds since 1970.
        public var lastModified: Int { representation.lastModified }

        /// This entry with its Brotli form made, if it was left out.
        func withBrotli() -> Entry {
            Entry(representation: representation.withBrotli(), maxAge: maxAge)
        }
    }

    /// When the snapshot was built.
    public let builtAt: Date
    /// The next instant the content changes without a write; the snapshot should be
    /// rebuilt then. nil when nothing is due.
    public let nextChange: Date?
    /// The newest change in the state (`Last-Modified`, the page's `updated_at`).
    public let lastModified: Date
    private let entries: [String: Entry]

    /// `stale-while-revalidate` and `stale-if-error` (RFC 5861): a cache may serve a copy
    /// 30 s past its freshness while it refetches, and for a day while the origin fails.
    public static let staleWhileRevalidate = 30
    public static let staleIfError = 86_400
    public static let contentType = "application/json; charset=utf-8"

    /// What `uptime.json` was built from, so the next snapshot can reuse it.
    struct UptimeSource: Sendable, Equatable {
        /// The status history it covers: each component's id, change count and last change.
        var history: Int
        var builtAt: Date
    }
    let uptimeSource: UptimeSource

    /// How long `uptime.json` is reused while no component changes status: today's
    /// percentages move with the clock, minute by minute, not with every write.
    public static let uptimeRefreshInterval: TimeInterval = 60

    /// The HTML pages, feeds and badges of the same state.
    public let html: SnapshotPages

    init(builtAt: Date, nextChange: Date?, lastModified: Date, entries: [String: Entry], uptimeSource: UptimeSource,
         html: SnapshotPages) {
        self.html = html
        self.builtAt = builtAt
        self.nextChange = nextChange
        self.lastModified = lastModified
        self.entries = entries
        self.uptimeSource = uptimeSource
    }

    /// Builds every v2 document of `state` at `now`, and `/` in every language, spread over
    /// the cores.
    ///
    /// - Parameters:
    ///   - nextChange: the next time-driven change, which caps `max-age`.
    ///   - maxAge: the freshness lifetime in seconds before the cap (the default policy is 10).
    ///   - previous: the snapshot this one replaces; its `uptime.json` is reused when no
    ///     component changed status, the local day is the same and it is under a minute old
    ///     (the uptime document is the costliest to build and changes least).
    ///   - brotli: false leaves the Brotli forms for `withBrotli()`, so a write is acknowledged
    ///     without waiting for the slowest compressor; gzip and identity are always made.
    public static func build(from state: StatusState, now: Date, nextChange: Date?, maxAge: Int,
                             previous: Snapshot? = nil, options: PageOptions = .standard,
                             brotli: Bool = true) -> Snapshot {
        let representation = V2Representation(state: state, now: now)
        // The documents change at the newest write, and also, with no write, when a promised
        // update falls overdue (`update_overdue` turns true): a client validating by date
        // alone must not be told its copy from before that instant is current.
        let passedPromises = state.incidents.compactMap { $0.isUpdateOverdue(at: now) ? $0.nextUpdateAt : nil }
        // Checks change the documents that show them without any write staff make.
        let measured = representation.checks.flatMap { [$0.since, $0.lastCheckedAt].compactMap { $0 } }
            .filter { $0 <= now }
        let lastModified = max(representation.updatedAt, passedPromises.max() ?? .distantPast,
                               measured.max() ?? .distantPast)
        let lastModifiedSeconds = Int(lastModified.timeIntervalSince1970.rounded(.down))
        let cappedMaxAge = cappedMaxAge(maxAge, now: now, nextChange: nextChange)
        var uptimeSource = UptimeSource(history: uptimeHistoryKey(state), builtAt: now)
        var reusedUptime: Entry?
        var reusedUptimeBars: [Language: [String: TemplateValue]]?
        if let previous, previous.uptimeSource.history == uptimeSource.history,
           now.timeIntervalSince(previous.uptimeSource.builtAt) < uptimeRefreshInterval,
           sameLocalDay(previous.uptimeSource.builtAt, now, in: representation.timestampFormat.timeZone) {
            reusedUptime = previous.entries[V2Endpoint.uptime.path]
            reusedUptimeBars = previous.html.pages.uptimeValues
            uptimeSource.builtAt = previous.uptimeSource.builtAt
        }
        // The pages also change with time alone (minutes overdue, today's uptime), so their
        // Last-Modified is when they were rendered: a client that validates by date alone
        // must not be told an older copy is current.
        let pagesLastModified = max(lastModifiedSeconds, Int(now.timeIntervalSince1970.rounded(.down)))
        let pages = PageRenderer(templates: options.templates, state: state, now: now,
                                 pageStatus: representation.pageStatus, reusingUptime: reusedUptimeBars,
                                 mailSubscriptions: options.mailSubscriptions, baseURL: options.baseURL)

        // Each language's `/` and each JSON document are independent: rendered and compressed
        // concurrently, the pages (the largest) first.
        enum Document: Sendable {
            case overview(Language)
            case json(V2Endpoint)
        }
        let documents = Language.allCases.map(Document.overview)
            + V2Endpoint.allCases.filter { !($0 == .uptime && reusedUptime != nil) }.map(Document.json)
        let built = Parallel.map(documents) { document -> Entry in
            switch document {
            case .overview(let language):
                return SnapshotPages.overview(pages, language, options: options, lastModified: pagesLastModified,
                                              maxAge: cappedMaxAge, brotli: brotli)
            case .json(let endpoint):
                let window = endpoint == .uptime
                    ? Uptime.Window(now: now, timeZone: representation.timestampFormat.timeZone) : nil
                return makeEntry(body: representation.body(for: endpoint, uptimeWindow: window),
                                 contentType: contentType, lastModified: lastModifiedSeconds, maxAge: cappedMaxAge,
                                 headers: StatusRoutes.anyOriginHeaders, brotli: brotli, sendfile: true)
            }
        }
        var entries: [String: Entry] = [:]
        var overviews: [Language: Entry] = [:]
        for (document, entry) in zip(documents, built) {
            switch document {
            case .overview(let language): overviews[language] = entry
            case .json(let endpoint): entries[endpoint.path] = entry
            }
        }
        if let reusedUptime { entries[V2Endpoint.uptime.path] = reusedUptime }
        let html = SnapshotPages(pages: pages, options: options, lastModified: pagesLastModified, maxAge: cappedMaxAge,
                                 brotli: brotli, overviews: overviews)
        return Snapshot(builtAt: now, nextChange: nextChange, lastModified: lastModified, entries: entries,
                        uptimeSource: uptimeSource, html: html)
    }

    /// Whether some prepared representation still lacks its Brotli form.
    public var lacksBrotli: Bool {
        entries.values.contains { $0.representation.lacksBrotli } || html.lacksBrotli
    }

    /// This snapshot with every Brotli form made that `build(brotli: false)` left out: the
    /// same documents, identity and gzip bytes and validators, so a client's copy stays
    /// current across the swap.
    public func withBrotli() -> Snapshot {
        let paths = entries.keys.filter { entries[$0]!.representation.lacksBrotli }
            .sorted { entries[$0]!.response.body.count > entries[$1]!.response.body.count }
        var completed = entries
        for (path, entry) in zip(paths, Parallel.map(paths) { entries[$0]!.withBrotli() }) {
            completed[path] = entry
        }
        return Snapshot(builtAt: builtAt, nextChange: nextChange, lastModified: lastModified, entries: completed,
                        uptimeSource: uptimeSource, html: html.withBrotli())
    }

    /// A 200 response prepared once, with its validators and the snapshot's freshness.
    /// `headers` adds to (or replaces) the common ones.
    static func makeEntry(body: [UInt8], contentType: String, lastModified: Int, maxAge: Int,
                          headers extra: HTTPHeaders = [:], vary: String = "Accept-Encoding",
                          brotli: Bool = true, sendfile: Bool = false) -> Entry {
        var headers: HTTPHeaders = [
            .contentType: contentType,
            .cacheControl: cacheControl(maxAge: maxAge),
            .vary: vary,
            .xContentTypeOptions: "nosniff",
        ]
        for field in extra { headers.set(field.name, field.value) }
        return Entry(representation: Representation(body: body, headers: headers, lastModified: lastModified,
                                                    compress: true, brotli: brotli, sendfile: sendfile),
                     maxAge: maxAge)
    }

    /// A hash of every component's id, number of status changes and last change, and of the
    /// checks the public sees (a check added, renamed, moved or made private shows at once;
    /// their counts move with the minute, like today's declared percentages).
    static func uptimeHistoryKey(_ state: StatusState) -> Int {
        var hasher = Hasher()
        for component in state.components {
            hasher.combine(component.id)
            hasher.combine(component.startDate)
            let changes = state.statusChanges[component.id] ?? []
            hasher.combine(changes.count)
            hasher.combine(changes.last?.at)
            hasher.combine(changes.last?.status.rawValue)
        }
        for status in V2Representation.publicChecks(in: state) {
            hasher.combine(status.check.id)
            hasher.combine(status.check.name)
            hasher.combine(status.check.componentID)
        }
        return hasher.finalize()
    }

    static func sameLocalDay(_ a: Date, _ b: Date, in timeZone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.isDate(a, inSameDayAs: b)
    }

    /// The exact paths this snapshot answers (`/api/v2/summary.json`, ...).
    public var paths: [String] { entries.keys.sorted() }

    /// The built entry of `path`: its response, ETag and freshness.
    public func entry(for path: String) -> Entry? { entries[path] }


    /// The response to a GET or HEAD of `path`: 304 when `If-None-Match` (or, without it,
    /// `If-Modified-Since`) shows the client's copy is current (RFC 9110 §13.1); nil for a
    /// path this snapshot does not hold.
    ///
    /// Within `max-age` of `nextChange` the response's `max-age` is shortened to the time
    /// left, so no cache keeps it past the change.
    public func response(for path: String, request: HTTPRequest, now: Date) -> HTTPResponse? {
        guard let entry = entries[path] else { return nil }
        return response(for: entry, request: request, now: now)
    }

    /// The response of `entry` to a GET or HEAD: 304 when the client's copy is current,
    /// `max-age` shortened within reach of `nextChange`.
    public func response(for entry: Entry, request: HTTPRequest, now: Date) -> HTTPResponse {
        guard let nextChange else { return entry.representation.response(to: request) }
        let remaining = Self.cappedMaxAge(entry.maxAge, now: now, nextChange: nextChange)
        guard remaining < entry.maxAge else { return entry.representation.response(to: request) }
        return entry.representation.response(to: request) { response in
            response.headers.set(.cacheControl, Self.cacheControl(maxAge: remaining))
        }
    }

    /// `maxAge`, cut to the whole seconds left before `nextChange`, never negative.
    static func cappedMaxAge(_ maxAge: Int, now: Date, nextChange: Date?) -> Int {
        var result = max(0, maxAge)
        if let nextChange {
            let left = nextChange.timeIntervalSince(now)
            let leftSeconds = left <= 0 ? 0 : Int(min(left, Double(Int32.max)).rounded(.down))
            result = min(result, leftSeconds)
        }
        return result
    }

    static func cacheControl(maxAge: Int) -> String {
        "public, max-age=\(maxAge), stale-while-revalidate=\(staleWhileRevalidate), stale-if-error=\(staleIfError)"
    }
}

/// The current snapshot, swapped atomically when a write or the clock builds a new one.
/// Readers on any event loop take `current` and keep using it for the whole request.
public final class SnapshotHolder: Sendable {
    private let snapshot: Mutex<Snapshot>

    public init(_ snapshot: Snapshot) {
        self.snapshot = Mutex(snapshot)
    }

    public var current: Snapshot {
        snapshot.withLock { $0 }
    }

    public func replace(_ newSnapshot: Snapshot) {
        snapshot.withLock { $0 = newSnapshot }
    }

    /// Swaps in `newSnapshot` only while `expected` is current; false when a newer one
    /// replaced it meanwhile (and stays).
    public func replace(_ expected: Snapshot, with newSnapshot: Snapshot) -> Bool {
        snapshot.withLock { current in
            guard current === expected else { return false }
            current = newSnapshot
            return true
        }
    }
}
