import Logging
import StatusWeb

/// Lines about the process itself (start, stop, failures), through swift-log with Warta's
/// logfmt handler: the same format as the access log, on standard error.
enum Log {
    /// Installs the handler; first thing in `main`, before any logger exists.
    static func bootstrap() {
        LoggingSystem.bootstrap(LogfmtHandler.init)
    }

    static let process = Logger(label: "warta")
}
