import Foundation
import HTTPServer

/// Lines about the process itself (start, stop, failures), logfmt on standard error like the
/// access log.
enum Log {
    static func line(_ fields: String) {
        let milliseconds = System.wallClockMilliseconds()
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let time = date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        FileHandle.standardError.write(Data("time=\(time)Z \(fields)\n".utf8))
    }
}
