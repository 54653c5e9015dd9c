import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's nginx run as a child process for a test: on 127.0.0.1, with the `http` block the
/// test gives, and its pid file, logs, temporary files and cache in a temporary folder of
/// its own, so it needs no privilege and leaves nothing behind.
///
/// nginx is exec'd directly in the foreground (`daemon off`) with a master process: the
/// master waits for signals with an empty mask and its worker clears the mask it inherits,
/// so SIGTERM stops it even though the test process's threads block signals. Stopped
/// (SIGTERM, then SIGKILL to the master and its worker) and its folder removed by `stop()`
/// or when dropped.
public final class NginxProcess: @unchecked Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Where Debian's `nginx` package installs it (`make test-deps` does).
    public static let executable = "/usr/sbin/nginx"

    /// The port the configuration listens on.
    public let port: Int
    /// The pid file, logs (`error.log`, `access.log`), temporary files and whatever the
    /// configuration keeps there (a `proxy_cache_path`, say).
    public let folder: TemporaryFolder
    private let process = Process()

    /// Writes `nginx.conf` (the global frame around `http`) and starts nginx, then waits
    /// until it accepts connections on `port`.
    ///
    /// - Parameters:
    ///   - port: the port `http` listens on, on 127.0.0.1.
    ///   - http: the directives of the `http` block, given the folder they may keep files in.
    public init(port: Int, http: (TemporaryFolder) throws -> String) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw StartError(description: "\(Self.executable) is missing: run `make test-deps` to install Debian's nginx")
        }
        self.port = port
        folder = try TemporaryFolder("nginx")
        // Workers run as an unprivileged user when the tests run as root: they must reach
        // the folder to write the cache.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        // nginx makes the last folder of a temporary path, not the ones above it.
        try FileManager.default.createDirectory(atPath: folder.file("temp"), withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        let configuration = Self.frame(folder: folder, http: try http(folder))
        try configuration.write(toFile: folder.file("nginx.conf"), atomically: true, encoding: .utf8)

        process.executableURL = URL(fileURLWithPath: Self.executable)
        // -e: the error log from the first line on, before the configuration names it, so
        // nginx never tries the system's /var/log/nginx.
        process.arguments = ["-p", folder.path, "-e", folder.file("error.log"), "-c", folder.file("nginx.conf")]
        process.standardOutput = FileHandle.nullDevice
        let startupErrors = folder.file("startup.stderr")
        _ = FileManager.default.createFile(atPath: startupErrors, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: startupErrors)
        try process.run()

        let deadline = Date().addingTimeInterval(10)
        while TestClient.isRefused(port: port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                let complaints = [(try? String(contentsOfFile: startupErrors, encoding: .utf8)) ?? "", errorLog()]
                folder.remove()
                throw StartError(description: "nginx did not start on port \(port): \(complaints.joined(separator: "\n"))")
            }
            usleep(20_000)
        }
    }

    deinit {
        stop()
        folder.remove()
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// What nginx wrote to its error log so far.
    public func errorLog() -> String {
        (try? String(contentsOfFile: folder.file("error.log"), encoding: .utf8)) ?? ""
    }

    /// The global frame nginx needs around `http` to run as a test's child: in the
    /// foreground, one worker (the figures a test counts come from one place), room for a
    /// thousand concurrent clients and their upstream connections, and every file it writes
    /// in `folder`.
    static func frame(folder: TemporaryFolder, http: String) -> String {
        let temporary = folder.file("temp")
        return """
            daemon off;
            worker_processes 1;
            pid \(folder.file("nginx.pid"));
            error_log \(folder.file("error.log")) notice;
            events {
                worker_connections 4096;
                multi_accept on;
            }
            http {
                access_log \(folder.file("access.log"));
                client_body_temp_path \(temporary)/client_body;
                proxy_temp_path \(temporary)/proxy;
                fastcgi_temp_path \(temporary)/fastcgi;
                uwsgi_temp_path \(temporary)/uwsgi;
                scgi_temp_path \(temporary)/scgi;

            \(http)
            }

            """
    }

    /// SIGTERM (nginx's fast shutdown), and SIGKILL to the master and its worker if it has
    /// not exited within 5 s. Returns the exit status, nil when it had to be killed (or was
    /// stopped before).
    @discardableResult
    public func stop() -> Int32? {
        guard process.isRunning else { return nil }
        let master = process.processIdentifier
        // Read before the master can go: a worker whose master was killed lives on.
        let workers = Self.children(of: master)
        kill(master, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        guard !process.isRunning else {
            for worker in workers + Self.children(of: master) { kill(worker, SIGKILL) }
            kill(master, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The processes `pid` started, from /proc.
    private static func children(of pid: Int32) -> [Int32] {
        let tasks = "/proc/\(pid)/task"
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []
        return threads.flatMap { thread -> [Int32] in
            let listed = (try? String(contentsOfFile: "\(tasks)/\(thread)/children", encoding: .utf8)) ?? ""
            return listed.split(separator: " ").compactMap { Int32($0) }
        }
    }
}
