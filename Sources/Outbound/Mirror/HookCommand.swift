import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of the operator's `--mirror-hook` command: `/bin/sh -c COMMAND`, with
/// `WARTA_MIRROR_DIR` naming the folder just written, its output kept (the last few KiB) for
/// the log, and a deadline after which its whole process group is killed.
///
/// The child is spawned with an empty signal mask and default dispositions, in a process
/// group of its own: the server blocks the signals it handles itself, and a child inheriting
/// that would ignore the SIGTERM of a `systemctl stop` or of its own tools.
struct HookCommand: Sendable {
    /// How a run ended.
    enum Outcome: Equatable, Sendable {
        case succeeded
        /// Exited with a status other than 0; `output` is its last line.
        case failed(status: Int32, output: String)
        /// Killed by a signal it did not send itself.
        case killed(signal: Int32, output: String)
        /// Still running at the deadline: its process group was killed.
        case timedOut(output: String)
        /// Could not be started at all.
        case notStarted(reason: String)

        /// The outcome in words, for the log.
        var description: String {
            func last(_ output: String) -> String { output.isEmpty ? "" : ": \(output)" }
            switch self {
            case .succeeded: return "succeeded"
            case .failed(let status, let output): return "exited with status \(status)\(last(output))"
            case .killed(let signal, let output): return "killed by signal \(signal)\(last(output))"
            case .timedOut(let output): return "still running at the deadline and killed\(last(output))"
            case .notStarted(let reason): return "could not be started: \(reason)"
            }
        }
    }

    /// The longest output kept from one run.
    static let keptOutput = 4096

    let command: String
    let directory: String
    let timeout: TimeInterval

    /// Runs the command to its end or its deadline, on the caller's thread.
    func run() -> Outcome {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return .notStarted(reason: String(cString: strerror(errno))) }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        // Neither end may leak into other children the server starts; the spawn's dup2 gives
        // the command its own copies.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var environment = ProcessInfo.processInfo.environment
        environment["WARTA_MIRROR_DIR"] = directory
        let arguments = ["/bin/sh", "-c", command]
        let pairs = environment.map { "\($0.key)=\($0.value)" }

        var pid: pid_t = 0
        let spawned = withCStrings(arguments) { argv in
            withCStrings(pairs) { envp in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
            }
        }
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            return .notStarted(reason: String(cString: strerror(spawned)))
        }

        let (output, timedOut) = readOutput(readEnd, until: Date().addingTimeInterval(timeout))
        close(readEnd)
        if timedOut { kill(-pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let lastLine = output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        if timedOut { return .timedOut(output: lastLine) }
        let signal = status & 0x7f
        if signal != 0 { return .killed(signal: signal, output: lastLine) }
        let exitStatus = (status >> 8) & 0xff
        return exitStatus == 0 ? .succeeded : .failed(status: exitStatus, output: lastLine)
    }

    /// Reads the child's output until every writer has closed it (the command and anything
    /// it left running in the background with it) or `deadline` passes. Keeps the end.
    private func readOutput(_ descriptor: Int32, until deadline: Date) -> (String, timedOut: Bool) {
        var kept: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return (String(decoding: kept, as: UTF8.self), true) }
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, Int32(min(left * 1000 + 1, 60_000)))
            if polled < 0 && errno == EINTR { continue }
            if polled <= 0 { continue }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return (String(decoding: kept, as: UTF8.self), false) }
            kept += chunk[..<count]
            if kept.count > Self.keptOutput { kept.removeFirst(kept.count - Self.keptOutput) }
        }
    }
}

/// Calls `body` with a NULL-terminated array of C strings, freed afterwards.
private func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
