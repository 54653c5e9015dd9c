import ArgumentParser
import Dispatch
import Foundation
import Logging
import Outbound
import StatusCore

/// `warta probe`: probes a Warta server's checks from another machine and reports each
/// result to it under a location name, so the page can tell an outage from a failure of its
/// own data centre's network.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe a Warta server's checks from this machine and report the results to it.",
        discussion: """
            Reads the checks from the server's management API every 30 seconds (and goes on probing the last list while the server cannot be reached), probes each http and tcp check once per its interval, and posts every result to the server. Ends cleanly on SIGTERM or SIGINT.

            --server, --token and --location can also be set with WARTA_PROBE_SERVER, WARTA_PROBE_TOKEN and WARTA_PROBE_LOCATION; the variable keeps the token out of the process list.
            """)

    @Option(help: "The Warta server's base URL, e.g. https://status.example.go.id (env WARTA_PROBE_SERVER).")
    var server: String?

    @Option(help: "An API token of that server (`warta token create`) (env WARTA_PROBE_TOKEN).")
    var token: String?

    @Option(help: "This prober's name on the page: 1 to 64 of a-z, 0-9, '-', '_', '.'; not 'local' (env WARTA_PROBE_LOCATION).")
    var location: String?

    @Option(name: .customLong("check-control"),
            help: "A URL that answers whenever this machine's own network works (http(s)://… or tcp://host:port); while it does not, failures are reported as inconclusive.")
    var checkControl: String?

    @Option(help: "Probes running at once (1 to 256).")
    var concurrency: Int = 32

    /// How often the list of checks is read from the server.
    static let refreshInterval: TimeInterval = 30

    private var serverURL: String { server ?? environment("WARTA_PROBE_SERVER") ?? "" }
    private var apiToken: String { token ?? environment("WARTA_PROBE_TOKEN") ?? "" }
    private var locationName: String { location ?? environment("WARTA_PROBE_LOCATION") ?? "" }

    func validate() throws {
        guard let url = URLComponents(string: serverURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              !(url.host ?? "").isEmpty else {
            throw ValidationError("--server must be the server's http:// or https:// URL, not \"\(serverURL)\".")
        }
        guard !apiToken.isEmpty else {
            throw ValidationError("--token (or WARTA_PROBE_TOKEN) is required: create one with `warta token create` on the server.")
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard (1...64).contains(locationName.count), locationName.allSatisfy(allowed.contains) else {
            throw ValidationError("--location must be 1 to 64 characters of a-z, 0-9, '-', '_' and '.', not \"\(locationName)\".")
        }
        guard locationName != Store.localLocation else {
            throw ValidationError("--location 'local' is the server's own prober's name; choose another.")
        }
        if let checkControl {
            let isTCP = checkControl.lowercased().hasPrefix("tcp://")
            let control = URLComponents(string: checkControl)
            guard isTCP ? (try? CheckTarget.tcp(checkControl)) != nil
                        : ["http", "https"].contains(control?.scheme?.lowercased() ?? "") && !(control?.host ?? "").isEmpty
            else {
                throw ValidationError("--check-control must be an http://, https:// or tcp://host:port URL, not \"\(checkControl)\".")
            }
        }
        guard (1...256).contains(concurrency) else {
            throw ValidationError("--concurrency must be from 1 to 256, not \(concurrency).")
        }
    }

    func run() throws {
        let log = Logger(label: "warta.probe")
        let stopRequested = DispatchSemaphore(value: 0)
        let signals = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                log.notice("shutting down", metadata: ["signal": "\(number)"])
                stopRequested.signal()
            }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        let client = ManagementClient(server: serverURL, token: apiToken)
        guard let pageID = try waitForPage(client, log: log, stopRequested: stopRequested) else {
            log.notice("stopped")
            return
        }
        let checks = RemoteCheckList(client: client, pageID: pageID)
        let uploader = ResultUploader(client: client, pageID: pageID)
        let location = locationName
        let scheduler = ProbeScheduler(
            location: location, prober: Prober(controlTarget: checkControl),
            configuration: ProbeScheduler.Configuration(concurrency: concurrency),
            checks: { checks.checks },
            deliver: { results in
                let unsuccessful = results.filter { $0.report.outcome != .success }
                if !unsuccessful.isEmpty {
                    let names = Dictionary(checks.checks.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
                    for result in unsuccessful {
                        log.info("probe", metadata: [
                            "check": "\(result.checkID)", "name": "\(names[result.checkID] ?? "")",
                            "outcome": "\(result.report.outcome)", "detail": "\(result.report.detail ?? "")",
                        ])
                    }
                }
                uploader.enqueue(results)
            })
        checks.refresh()
        checks.start(every: Self.refreshInterval)
        uploader.start()
        scheduler.start()
        log.notice("probing", metadata: ["server": "\(client.server)", "page": "\(pageID)", "location": "\(location)"])

        stopRequested.wait()
        scheduler.stop()
        checks.stop()
        uploader.stop()
        let counts = uploader.statistics
        log.notice("stopped", metadata: ["delivered": "\(counts.delivered)", "dropped": "\(counts.dropped)",
                                         "unsent": "\(uploader.waiting)"])
    }

    /// The page's id, asked every 5 s until the server answers; nil when told to stop first.
    /// A refused token ends the command: waiting will not change it.
    private func waitForPage(_ client: ManagementClient, log: Logger, stopRequested: DispatchSemaphore) throws -> String? {
        while true {
            do {
                return try client.pageID()
            } catch ManagementClient.Failure.refused(let status) {
                log.critical("the server refused the token", metadata: ["status": "\(status)"])
                throw ExitCode(1)
            } catch {
                log.warning("server not ready; asking again in 5 s", metadata: ["error": "\(error)"])
            }
            if stopRequested.wait(timeout: .now() + 5) == .success { return nil }
        }
    }
}
