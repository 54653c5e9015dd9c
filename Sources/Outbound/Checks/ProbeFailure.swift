#if canImport(Glibc)
import Glibc
#endif

/// Why a probe got no answer, in the words its report gives (`detail`, which staff read).
enum ProbeFailure: Error, Equatable, CustomStringConvertible {
    case timedOut
    case connectionRefused
    case nameNotResolved
    /// Anything else, in libcurl's or the system's own words.
    case other(String)

    var description: String {
        switch self {
        case .timedOut: return "timed out"
        case .connectionRefused: return "connection refused"
        case .nameNotResolved: return "name not resolved"
        case .other(let text): return text
        }
    }
}

extension ProbeFailure {
    /// A connection's failure by the system's error number (`errno`, `SO_ERROR`).
    init(systemError number: Int32) {
        switch number {
        case ECONNREFUSED: self = .connectionRefused
        case ETIMEDOUT: self = .timedOut
        default: self = .other(String(cString: strerror(number)).lowercased())
        }
    }
}
