import CCurl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One GET or HEAD through a libcurl easy handle, blocking until it is answered or its time
/// is up: the probe of an http check, and a remote prober's reads of the management API.
///
/// Unlike webhook deliveries, it connects wherever the URL leads (checks watch the
/// organisation's own services, loopback and private addresses included), and directly:
/// the proxy variables of the environment are ignored, since a probe measures the path from
/// this machine. It never sends cookies (libcurl's cookie engine stays off) or credentials
/// (no `.netrc`; a check's URL may not carry user information).
struct HTTPFetch {
    enum Method: String {
        case get = "GET"
        case head = "HEAD"
    }

    var url: String
    var method: Method = .get
    /// Whole header fields, `Name: value`.
    var headers: [String] = []
    /// Follow up to `maximumRedirects` redirects, to http and https only.
    var followRedirects = false
    /// The time allowed for everything: resolving, connecting, TLS, the whole answer.
    var timeout: TimeInterval
    /// The most of a body that is read; the transfer stops there and counts as answered.
    var bodyLimit: Int

    static let maximumRedirects = 5

    struct Response {
        var status: Int
        /// The body's first `bodyLimit` bytes.
        var body: [UInt8]
    }

    func perform() -> Result<Response, ProbeFailure> {
        guard CurlTransfer.initialized, let handle = curl_easy_init() else {
            return .failure(.other("libcurl could not be started"))
        }
        defer { curl_easy_cleanup(handle) }
        let sink = BodySink(limit: bodyLimit)
        var headerList: UnsafeMutablePointer<curl_slist>?
        for field in headers { headerList = curl_slist_append(headerList, field) }
        defer { curl_slist_free_all(headerList) }

        warta_curl_setopt_string(handle, CURLOPT_URL, url)
        CurlTransfer.limit(handle, timeout: timeout)
        warta_curl_setopt_string(handle, CURLOPT_PROXY, "")
        warta_curl_setopt_list(handle, CURLOPT_HTTPHEADER, headerList)
        warta_curl_setopt_long(handle, CURLOPT_NOBODY, method == .head ? 1 : 0)
        warta_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, followRedirects ? 1 : 0)
        warta_curl_setopt_long(handle, CURLOPT_MAXREDIRS, Self.maximumRedirects)
        warta_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        warta_curl_setopt_write_function(handle, collectBody)
        warta_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
        warta_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, sink.errorText)

        let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }
        // Stopping at the limit makes libcurl report a write error; the answer is all there is.
        if code == CURLE_OK || (code == CURLE_WRITE_ERROR && sink.isFull) {
            var status = 0
            warta_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return .success(Response(status: status, body: sink.bytes))
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(.timedOut)
        case CURLE_COULDNT_RESOLVE_HOST:
            return .failure(.nameNotResolved)
        case CURLE_COULDNT_CONNECT:
            var number = 0
            warta_curl_getinfo_long(handle, CURLINFO_OS_ERRNO, &number)
            return .failure(number != 0 ? ProbeFailure(systemError: Int32(number)) : .other(sink.curlText(or: code)))
        default:
            return .failure(.other(sink.curlText(or: code)))
        }
    }
}

/// What the write callback fills: the body up to its limit, and libcurl's error text.
private final class BodySink {
    let limit: Int
    var bytes: [UInt8] = []
    var isFull = false
    /// CURLOPT_ERRORBUFFER: at least CURL_ERROR_SIZE bytes, alive as long as the transfer.
    let errorText: UnsafeMutablePointer<CChar>

    init(limit: Int) {
        self.limit = limit
        errorText = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit { errorText.deallocate() }

    /// The error buffer's text, or libcurl's general words for `code` when it is empty.
    func curlText(or code: CURLcode) -> String {
        let text = String(cString: errorText).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? String(cString: curl_easy_strerror(code)) : text
    }
}

/// Keeps the body up to the sink's limit; returning less than was offered stops the transfer
/// there (<https://curl.se/libcurl/c/CURLOPT_WRITEFUNCTION.html>).
private let collectBody: curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let sink = Unmanaged<BodySink>.fromOpaque(context).takeUnretainedValue()
    let offered = size * count
    let room = sink.limit - sink.bytes.count
    guard let data, offered > 0 else { return offered }
    guard room > 0 else {
        sink.isFull = true
        return 0
    }
    let kept = min(room, offered)
    data.withMemoryRebound(to: UInt8.self, capacity: kept) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: kept)) }
    if kept < offered {
        sink.isFull = true
        return 0
    }
    return offered
}
