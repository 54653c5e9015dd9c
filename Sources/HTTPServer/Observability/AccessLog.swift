#if canImport(Glibc)
import Glibc
#endif

/// One logfmt line per request, gathered per event-loop iteration and written to standard
/// error in one call, so that logging costs one syscall per batch, not per request.
///
/// No request header is ever logged (Authorization among them); the target is quoted, its
/// query with names only.
struct AccessLog {
    private var buffer: [UInt8] = []
    private var timestampSecond = -1
    private var timestampPrefix: [UInt8] = []
    let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled
        buffer.reserveCapacity(enabled ? 64 * 1024 : 0)
    }

    mutating func record(id: RequestID, method: HTTPMethod, target: String, status: Int, bytes: Int,
                         durationNanoseconds: UInt64, remote: String, wallClockMilliseconds: Int) {
        guard enabled else { return }
        appendTimestamp(wallClockMilliseconds)
        append(" request_id=")
        id.append(to: &buffer)
        append(" remote=")
        append(remote.isEmpty ? "-" : remote)
        append(" method=")
        append(method.rawValue)
        append(" path=\"")
        // The query's names, not its values: a value can be what the log must not keep (an
        // address a staff member searched for), and the names say what was asked.
        var inValue = false
        var inQuery = false
        for byte in target.utf8 {
            if inQuery {
                if byte == UInt8(ascii: "&") { inValue = false } else if byte == UInt8(ascii: "=") && !inValue {
                    inValue = true
                    continue
                }
                if inValue { continue }
            } else if byte == UInt8(ascii: "?") {
                inQuery = true
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { buffer.append(UInt8(ascii: "\\")) }
            buffer.append(byte)
        }
        append("\" status=")
        appendDecimal(status, to: &buffer)
        append(" bytes=")
        appendDecimal(bytes, to: &buffer)
        append(" duration_us=")
        appendDecimal(Int(durationNanoseconds / 1000), to: &buffer)
        buffer.append(.lf)
        if buffer.count > 60 * 1024 { flush() }
    }

    /// A line for an event that is not a request (a parse error, a timeout).
    mutating func note(_ message: String, remote: String, wallClockMilliseconds: Int) {
        guard enabled else { return }
        appendTimestamp(wallClockMilliseconds)
        append(" remote=")
        append(remote.isEmpty ? "-" : remote)
        append(" event=")
        append(JSONWriter.quoted(message))
        buffer.append(.lf)
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// `time=2026-11-29T05:31:03.123Z`, the seconds part formatted once a second.
    private mutating func appendTimestamp(_ milliseconds: Int) {
        let second = milliseconds / 1000
        if second != timestampSecond {
            timestampSecond = second
            var time = time_t(second)
            var parts = tm()
            gmtime_r(&time, &parts)
            func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
            timestampPrefix = Array(("time=\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))"
                + "T\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)).").utf8)
        }
        buffer.append(contentsOf: timestampPrefix)
        let fraction = milliseconds % 1000
        buffer.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        buffer.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        buffer.append(UInt8(ascii: "0") + UInt8(fraction % 10))
        buffer.append(UInt8(ascii: "Z"))
    }
}
