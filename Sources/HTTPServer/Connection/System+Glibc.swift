#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Process-wide facts and settings from the operating system.
public enum System {
    /// Online cores, at least 1.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Nanoseconds of CLOCK_MONOTONIC: for deadlines and durations, never for dates.
    @inline(__always)
    public static func monotonicNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* nanosecondsPerSecond &+ UInt64(spec.tv_nsec)
    }

    /// Milliseconds since 1970 of the wall clock.
    public static func wallClockMilliseconds() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return spec.tv_sec * 1000 + spec.tv_nsec / 1_000_000
    }

    /// Raises the soft limit on open files to the hard limit (each connection is a file
    /// descriptor; the usual soft limit of 1024 would cap the server far below its memory).
    /// Returns the limit now in force.
    @discardableResult
    public static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// A client that vanishes mid-response must cost an EPIPE, not the process.
    public static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// The text of an errno value.
    public static func describeError(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(validatingCString: text) ?? "error \(code)"
    }
}
