import Foundation
import HTTPServer
import Logging

/// A swift-log handler writing one logfmt line per message to standard error, in the access
/// log's format: `time=... level=info event="..." key=value ...`, keys sorted, values quoted
/// when they need it. One `write(2)` per line, so lines from threads never interleave.
///
/// Bootstrap it once at startup: `LoggingSystem.bootstrap(LogfmtHandler.init)`.
public struct LogfmtHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "time=" + Self.timestamp() + " level=" + event.level.rawValue + " event=" + Self.value(.string("\(event.message)"))
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() {
            line += " " + key + "=" + Self.value(merged[key]!)
        }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Bare when it is a plain token, else a JSON string.
    static func value(_ value: Logger.Metadata.Value) -> String {
        let text = "\(value)"
        let plain = !text.isEmpty && text.utf8.allSatisfy { byte in
            byte > 0x20 && byte < 0x7f && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "=") && byte != UInt8(ascii: "\\")
        }
        return plain ? text : JSONWriter.quoted(text)
    }

    static func timestamp() -> String {
        let milliseconds = System.wallClockMilliseconds()
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)) + "Z"
    }
}
