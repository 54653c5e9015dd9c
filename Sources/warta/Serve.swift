import ArgumentParser
import Dispatch
import Foundation
import HTTPServer
import Outbound
import StatusCore
import StatusWeb

/// `warta serve`: open (and migrate) the database, serve until SIGTERM or SIGINT, then
/// drain in-flight requests, close the database and exit 0.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the status page and the APIs.",
        discussion: "Every option can also be set with an environment variable: WARTA_HOST, WARTA_PORT, WARTA_DB, WARTA_PUBLIC_DIR, WARTA_FRAME_ANCESTORS, WARTA_MAX_AGE, WARTA_MIRROR, WARTA_BASE_URL, WARTA_AUTH_FAILURES, WARTA_WEBHOOK_RETRY, WARTA_WEBHOOK_ALLOW_PRIVATE (1 or true), WARTA_WEBHOOK_PROXY, WARTA_TRUSTED_PROXY, WARTA_SMTP_URL, WARTA_SMTP_USER, WARTA_SMTP_PASSWORD_FILE, WARTA_SMTP_CA_FILE, WARTA_SMTP_INSECURE, WARTA_MAIL_FROM, WARTA_SMTP_RATE, WARTA_MAIL_COALESCE, WARTA_HEADER_TIMEOUT, WARTA_BODY_TIMEOUT, WARTA_IDLE_TIMEOUT, WARTA_WRITE_TIMEOUT, WARTA_MAX_CONNECTIONS, WARTA_MAX_HEADER_BYTES, WARTA_MAX_BODY_BYTES."
    )

    @Option(help: "Address to listen on (env WARTA_HOST).")
    var host: String = environment("WARTA_HOST") ?? "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free port and prints it (env WARTA_PORT).")
    var port: Int = environment("WARTA_PORT").flatMap { Int($0) } ?? 8080

    @Option(help: "SQLite database file, created and migrated on first start (env WARTA_DB).")
    var db: String = environment("WARTA_DB") ?? "./warta.db"

    @Option(name: .customLong("public-dir"),
            help: "A folder whose files override the built-in Public/ assets and templates (env WARTA_PUBLIC_DIR).")
    var publicDirectory: String?

    @Option(name: .customLong("frame-ancestors"),
            help: "Who may embed the page in a frame: CSP sources such as \"'self' https://intranet.example\" (env WARTA_FRAME_ANCESTORS).")
    var frameAncestors: String = environment("WARTA_FRAME_ANCESTORS") ?? "'none'"

    @Option(name: .customLong("embed-ancestors"),
            help: "Who may frame the /embed banner: CSP sources, default * (any site) (env WARTA_EMBED_ANCESTORS).")
    var embedAncestors: String = environment("WARTA_EMBED_ANCESTORS") ?? "*"

    @Option(name: .customLong("max-age"),
            help: "Seconds a CDN or browser may reuse a public page or document; never past the next time-driven change (env WARTA_MAX_AGE).")
    var maxAge: Int = environment("WARTA_MAX_AGE").flatMap { Int($0) } ?? 10

    @Option(help: "Keep a static copy of the public site in this folder, rewritten after every change (env WARTA_MIRROR).")
    var mirror: String?

    @Option(name: .customLong("base-url"),
            help: "The site's public URL, for the mirror's feeds, mail links and link previews; default: the page's url setting (env WARTA_BASE_URL).")
    var baseURL: String?

    @Option(name: .customLong("mirror-hook"),
            help: "A shell command run after each completed --mirror write, with WARTA_MIRROR_DIR set, e.g. 'rclone sync \"$WARTA_MIRROR_DIR\" remote:status'; never blocks the server, merges overlapping runs, retries failures with backoff (env WARTA_MIRROR_HOOK).")
    var mirrorHook: String?

    @Option(name: .customLong("mirror-hook-timeout"),
            help: "Seconds one --mirror-hook run may take before it and its children are killed and it counts as failed (env WARTA_MIRROR_HOOK_TIMEOUT).")
    var mirrorHookTimeout: Double = environment("WARTA_MIRROR_HOOK_TIMEOUT").flatMap { Double($0) } ?? 600

    @Option(name: .customLong("auth-failures"),
            help: "Failed authentications allowed per client address and minute before 429; 0 turns the limit off (env WARTA_AUTH_FAILURES).")
    var authFailures: Int = environment("WARTA_AUTH_FAILURES").flatMap { Int($0) } ?? 20

    @Option(name: .customLong("webhook-retry"),
            help: "Seconds before a failed webhook delivery is first retried; each later wait doubles, up to an hour, for 24 hours (env WARTA_WEBHOOK_RETRY).")
    var webhookRetry: Double = environment("WARTA_WEBHOOK_RETRY").flatMap { Double($0) } ?? 30

    @Flag(name: .customLong("webhook-allow-private"),
          help: "Let webhook endpoints lead inside the network (loopback, link-local, private, unique-local addresses), for receivers on an intranet (env WARTA_WEBHOOK_ALLOW_PRIVATE).")
    var webhookAllowPrivate = ["1", "true"].contains(environment("WARTA_WEBHOOK_ALLOW_PRIVATE")?.lowercased() ?? "")

    @Option(name: .customLong("webhook-proxy"),
            help: "Send webhooks through this HTTP proxy (http://host:port), which then decides what lies inside; the proxy variables of the environment are not used (env WARTA_WEBHOOK_PROXY).")
    var webhookProxy: String?

    /// Where webhook deliveries may connect.
    var webhookDestinations: DestinationPolicy { webhookAllowPrivate ? .anywhere : .publicOnly }

    @Option(name: .customLong("smtp-url"),
            help: "Mail subscribers through this SMTP relay: smtps://host:465 (TLS) or smtp://host:587 (STARTTLS required). Without it, no sign-up form is shown (env WARTA_SMTP_URL).")
    var smtpURL: String?

    @Option(name: .customLong("smtp-user"), help: "The relay's user name (env WARTA_SMTP_USER).")
    var smtpUser: String?

    @Option(name: .customLong("smtp-password-file"),
            help: "A file holding the relay's password, so it appears in no process list (env WARTA_SMTP_PASSWORD_FILE).")
    var smtpPasswordFile: String?

    @Option(name: .customLong("smtp-ca-file"),
            help: "Trust this CA bundle for the relay's certificate, for a relay with a private CA (env WARTA_SMTP_CA_FILE).")
    var smtpCAFile: String?

    @Flag(name: .customLong("smtp-insecure"),
          help: "Allow a relay without TLS; refused unless the relay is on loopback (env WARTA_SMTP_INSECURE).")
    var smtpInsecure = ["1", "true"].contains(environment("WARTA_SMTP_INSECURE")?.lowercased() ?? "")

    @Option(name: .customLong("mail-from"),
            help: "The sender of subscribers' mail: \"Status Imigrasi <status@imigrasi.go.id>\" or an address (env WARTA_MAIL_FROM).")
    var mailFrom: String?

    @Option(name: .customLong("smtp-rate"), help: "Mails handed to the relay per second, at most (env WARTA_SMTP_RATE).")
    var smtpRate: Double = environment("WARTA_SMTP_RATE").flatMap { Double($0) } ?? 10

    @Option(name: .customLong("mail-coalesce"),
            help: "Seconds an incident's mail waits for more updates, which then go out with it as one mail (env WARTA_MAIL_COALESCE).")
    var mailCoalesce: Double = environment("WARTA_MAIL_COALESCE").flatMap { Double($0) } ?? 60

    @Option(name: .customLong("trusted-proxy"),
            help: "A proxy in front (e.g. 127.0.0.1 for nginx on this machine) whose X-Forwarded-For names the client, for the limits per client; repeat for several (env WARTA_TRUSTED_PROXY, comma-separated).")
    var trustedProxies: [String] = environment("WARTA_TRUSTED_PROXY")?.split(separator: ",")
        .map { $0.trimmingCharacters(in: .whitespaces) } ?? []

    @Option(name: .customLong("header-timeout"),
            help: "Seconds from a request's first byte to the end of its headers before it is answered 408 (env WARTA_HEADER_TIMEOUT).")
    var headerTimeout: Double = environment("WARTA_HEADER_TIMEOUT").flatMap { Double($0) } ?? Self.seconds(\.headerReadTimeout)

    @Option(name: .customLong("body-timeout"),
            help: "Seconds from the end of a request's headers to the end of its body before it is answered 408 (env WARTA_BODY_TIMEOUT).")
    var bodyTimeout: Double = environment("WARTA_BODY_TIMEOUT").flatMap { Double($0) } ?? Self.seconds(\.bodyReadTimeout)

    @Option(name: .customLong("idle-timeout"),
            help: "Seconds a keep-alive connection may wait for its next request (env WARTA_IDLE_TIMEOUT).")
    var idleTimeout: Double = environment("WARTA_IDLE_TIMEOUT").flatMap { Double($0) } ?? Self.seconds(\.keepAliveTimeout)

    @Option(name: .customLong("write-timeout"),
            help: "Seconds a response may wait for the client to read any of it before the connection is closed (env WARTA_WRITE_TIMEOUT).")
    var writeTimeout: Double = environment("WARTA_WRITE_TIMEOUT").flatMap { Double($0) } ?? Self.seconds(\.writeTimeout)

    @Option(name: .customLong("max-connections"),
            help: "Connections open at once; one more is answered 503 (env WARTA_MAX_CONNECTIONS).")
    var maxConnections: Int = environment("WARTA_MAX_CONNECTIONS").flatMap { Int($0) } ?? Configuration().maxConnections

    @Option(name: .customLong("max-header-bytes"),
            help: "Largest header section of a request; more is answered 431 (env WARTA_MAX_HEADER_BYTES).")
    var maxHeaderBytes: Int = environment("WARTA_MAX_HEADER_BYTES").flatMap { Int($0) } ?? Configuration().maxHeaderBytes

    @Option(name: .customLong("max-body-bytes"),
            help: "Largest request body; more is answered 413 (env WARTA_MAX_BODY_BYTES).")
    var maxBodyBytes: Int = environment("WARTA_MAX_BODY_BYTES").flatMap { Int($0) } ?? Configuration().maxBodyBytes

    @Option(name: .customLong("check-control"),
            help: "A URL the prober must always reach; when it cannot, a failed probe counts as inconclusive, not as a failure (env WARTA_CHECK_CONTROL).")
    var checkControl: String?

    @Flag(name: .customLong("no-probing"),
          help: "Do not probe checks from this server; only count results from remote `warta probe` locations (env WARTA_NO_PROBING=1).")
    var noProbing = ["1", "true"].contains(environment("WARTA_NO_PROBING")?.lowercased() ?? "")

    @Option(name: .customLong("probe-concurrency"),
            help: "Probes run at once from this server (env WARTA_PROBE_CONCURRENCY).")
    var probeConcurrency: Int = environment("WARTA_PROBE_CONCURRENCY").flatMap { Int($0) } ?? 32

    @Flag(name: .customLong("no-access-log"), help: "Do not log one line per request.")
    var noAccessLog = false

    @Flag(help: "Fill an empty database with a realistic demo page (an immigration service during an outage).")
    var demo = false

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, not \(port).")
        }
        guard authFailures >= 0 else {
            throw ValidationError("--auth-failures must be 0 (no limit) or more, not \(authFailures).")
        }
        guard webhookRetry > 0, webhookRetry <= 3600 else {
            throw ValidationError("--webhook-retry must be more than 0 and at most 3600 seconds, not \(webhookRetry).")
        }
        guard (0...86_400).contains(maxAge) else {
            throw ValidationError("--max-age must be between 0 and 86400 seconds, not \(maxAge).")
        }
        for (flag, seconds) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout),
                                ("--idle-timeout", idleTimeout), ("--write-timeout", writeTimeout)] {
            guard seconds >= 0.001, seconds <= 86_400 else {
                throw ValidationError("\(flag) must be between 0.001 and 86400 seconds, not \(seconds).")
            }
        }
        if let control = checkControl ?? environment("WARTA_CHECK_CONTROL") {
            let lowered = control.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || lowered.hasPrefix("tcp://"),
                  URLComponents(string: control)?.host?.isEmpty == false else {
                throw ValidationError("--check-control must be an http://, https:// or tcp://host:port URL, not \(control).")
            }
        }
        for proxy in trustedProxies where IPAddress(proxy) == nil {
            throw ValidationError("--trusted-proxy must be an IP address such as 127.0.0.1, not \(proxy).")
        }
        guard smtpRate > 0, smtpRate <= 10_000 else {
            throw ValidationError("--smtp-rate must be more than 0 and at most 10000 mails a second, not \(smtpRate).")
        }
        guard mailCoalesce >= 0, mailCoalesce <= 3600 else {
            throw ValidationError("--mail-coalesce must be between 0 and 3600 seconds, not \(mailCoalesce).")
        }
        if smtpURL ?? environment("WARTA_SMTP_URL") != nil, mailFrom ?? environment("WARTA_MAIL_FROM") == nil {
            throw ValidationError("--smtp-url needs --mail-from, the address subscribers' mail comes from.")
        }
        if (mirrorHook ?? environment("WARTA_MIRROR_HOOK")) != nil && (mirror ?? environment("WARTA_MIRROR")) == nil {
            throw ValidationError("--mirror-hook runs after each --mirror write: pass --mirror DIR too.")
        }
        guard mirrorHookTimeout >= 1, mirrorHookTimeout <= 86400 else {
            throw ValidationError("--mirror-hook-timeout must be between 1 and 86400 seconds, not \(mirrorHookTimeout).")
        }
        for (flag, value) in [("--max-connections", maxConnections), ("--max-header-bytes", maxHeaderBytes),
                              ("--max-body-bytes", maxBodyBytes), ("--probe-concurrency", probeConcurrency)] {
            guard value >= 1 else {
                throw ValidationError("\(flag) must be at least 1, not \(value).")
            }
        }
    }

    /// A default deadline of `Configuration`, in seconds, for a flag's default.
    private static func seconds(_ deadline: KeyPath<Configuration, UInt64>) -> Double {
        Double(Configuration()[keyPath: deadline]) / Double(nanosecondsPerSecond)
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64((seconds * Double(nanosecondsPerSecond)).rounded())
    }

    func run() throws {
        let clock = SystemClock()
        let store: Store
        let assets: Assets
        let publisher: Publisher
        var activeMirror: Mirror?
        var mirrorHookRunner: MirrorHook?
        let webhooks: WebhookSender
        let mail: MailSender?
        do {
            store = try Store(path: db)
            assets = try Assets(overrideDirectory: publicDirectory ?? environment("WARTA_PUBLIC_DIR"))
            if demo {
                let seeded = try DemoContent.seed(store, now: clock.now())
                Log.process.info(seeded ? "demo content written" : "demo skipped: the database is not empty")
            }
            var options = try PageOptions(templates: PageTemplates(assets: assets), frameAncestors: frameAncestors,
                                          embedAncestors: embedAncestors)
            options.baseURL = baseURL ?? environment("WARTA_BASE_URL")
            options.mailSubscriptions = smtpURL ?? environment("WARTA_SMTP_URL") != nil
            publisher = try Publisher(store: store, clock: clock, maxAge: maxAge, options: options)
            if let folder = mirror ?? environment("WARTA_MIRROR") {
                let snapshot = publisher.snapshots.current
                let base = try Export.baseURL(baseURL ?? environment("WARTA_BASE_URL"), page: snapshot.html.pages.state.page)
                let hook = (mirrorHook ?? environment("WARTA_MIRROR_HOOK")).map {
                    MirrorHook(.init(command: $0, directory: folder, timeout: mirrorHookTimeout), clock: clock)
                }
                mirrorHookRunner = hook
                var afterWrite: (@Sendable () -> Void)?
                if let hook { afterWrite = { hook.requested() } }
                let mirror = Mirror(directory: folder, assets: assets, store: store, baseURL: base, afterWrite: afterWrite)
                try mirror.writeNow(snapshot)
                if try store.publicSigningKey() == nil {
                    Log.process.warning("the mirror is unsigned: the database has no signing key; make one with `warta key create` and the next write signs it",
                                        metadata: ["mirror": "\(folder)"])
                }
                publisher.observe { mirror.publish($0) }
                activeMirror = mirror
            }
            webhooks = WebhookSender(store: store, renderer: WebhookPayloads(store: store),
                                     destinations: webhookDestinations,
                                     proxy: webhookProxy ?? environment("WARTA_WEBHOOK_PROXY"),
                                     policy: WebhookSender.Policy(firstRetry: webhookRetry))
            publisher.observe { _ in webhooks.wake() }
            mail = try mailSender(store: store, page: publisher.snapshots.current.html.pages.state.page, clock: clock)
            if let mail { publisher.observe { _ in mail.wake() } }
        } catch let error as MailSenderError {
            Log.process.critical("startup failed", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("warta: \(error)\n".utf8))
            throw ExitCode(1)
        } catch {
            Log.process.critical("startup failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }

        var configuration = Configuration()
        configuration.host = host
        configuration.port = port
        configuration.accessLog = !noAccessLog
        configuration.headerReadTimeout = Self.nanoseconds(headerTimeout)
        configuration.bodyReadTimeout = Self.nanoseconds(bodyTimeout)
        configuration.keepAliveTimeout = Self.nanoseconds(idleTimeout)
        configuration.writeTimeout = Self.nanoseconds(writeTimeout)
        configuration.maxConnections = maxConnections
        configuration.maxHeaderBytes = maxHeaderBytes
        configuration.maxBodyBytes = maxBodyBytes
        let serverMetrics = ServerMetrics()
        configuration.metrics = serverMetrics
        let metrics = Metrics(server: serverMetrics, webhooks: webhooks, mail: mail, mirrorHook: mirrorHookRunner)
        let server = HTTPServer(configuration: configuration, responder: StatusRoutes(
            publisher: publisher, assets: assets, throttle: AuthenticationThrottle(limit: authFailures, clock: clock), metrics: metrics,
            webhookDestinations: webhookDestinations, mailQueued: { mail?.wake() },
            trustedProxies: trustedProxies))
        // The demo's checks watch hosts that do not exist; their results are part of the demo.
        let prober: ProbeScheduler? = noProbing || demo ? nil : ProbeScheduler(
            location: Store.localLocation,
            prober: Prober(controlTarget: checkControl ?? environment("WARTA_CHECK_CONTROL"), clock: clock),
            clock: clock, configuration: ProbeScheduler.Configuration(concurrency: probeConcurrency),
            checks: { try store.checks() },
            deliver: { results in
                do {
                    try publisher.recordCheckResults(results)
                } catch {
                    Log.process.error("check results not recorded", metadata: ["error": "\(error)", "count": "\(results.count)"])
                }
            })
        publisher.startClock()
        webhooks.start()
        mail?.start()
        mirrorHookRunner?.start()
        prober?.start()
        do {
            try server.start()
        } catch {
            Log.process.critical("startup failed", metadata: ["error": "\(error)"])
            store.close()
            throw ExitCode(1)
        }

        let signals = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Log.process.notice("shutting down", metadata: ["signal": "\(number)"])
                server.shutdown()
            }
            source.resume()
            return source
        }

        let shownHost = host.contains(":") ? "[\(host)]" : host
        FileHandle.standardOutput.write(Data("Warta \(Version.current) listening on http://\(shownHost):\(server.port)\n".utf8))
        Log.process.notice("listening", metadata: ["address": "\(shownHost):\(server.port)", "database": "\(db)"])

        server.wait()
        prober?.stop()
        publisher.stopClock()
        webhooks.stop()
        mail?.stop()
        activeMirror?.flush()
        mirrorHookRunner?.stop()
        signals.forEach { $0.cancel() }
        store.close()
        Log.process.notice("stopped")
    }
}

extension Serve {
    /// The mail sender the SMTP flags describe; nil without `--smtp-url`.
    ///
    /// - Throws: `MailSenderError` naming the flag that is wrong: a relay URL libcurl cannot
    ///   use or that is insecure off loopback, an unreadable password file, a bad sender
    ///   address, or no public URL for the links in mail.
    func mailSender(store: Store, page: Page, clock: any WallClock) throws -> MailSender? {
        guard let url = smtpURL ?? environment("WARTA_SMTP_URL") else { return nil }
        var password: String?
        if let file = smtpPasswordFile ?? environment("WARTA_SMTP_PASSWORD_FILE") {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw MailSenderError("--smtp-password-file \(file) cannot be read")
            }
            password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        let relay: SMTPRelay
        do {
            relay = try SMTPRelay(SMTPRelay.Configuration(
                url: url, username: smtpUser ?? environment("WARTA_SMTP_USER"), password: password,
                insecure: smtpInsecure, caFile: smtpCAFile ?? environment("WARTA_SMTP_CA_FILE")))
        } catch {
            throw MailSenderError("--smtp-url \(url): \(error)")
        }
        let sender = try MailSender.Sender(mailFrom ?? environment("WARTA_MAIL_FROM") ?? "")
        let base: String
        do {
            base = try Export.baseURL(baseURL ?? environment("WARTA_BASE_URL"), page: page)
        } catch {
            throw MailSenderError("mail links need the site's public URL: pass --base-url or set the page's url")
        }
        if !base.lowercased().hasPrefix("https://") {
            Log.process.warning("mail links are not https: mails carry no one-click unsubscribe header (RFC 8058 needs https)",
                                metadata: ["base_url": "\(base)"])
        }
        return MailSender(store: store, renderer: MailTexts(store: store, baseURL: base), relay: relay, sender: sender,
                          baseURL: base, clock: clock,
                          policy: MailSender.Policy(rate: smtpRate, coalesce: mailCoalesce))
    }
}

/// The value of a `WARTA_*` environment variable, if set and not empty.
func environment(_ name: String) -> String? {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
    return value
}
