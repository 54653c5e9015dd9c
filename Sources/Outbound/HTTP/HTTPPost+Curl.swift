import CCurl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One POST as a libcurl easy handle, and the state its callbacks share with it.
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    /// What the socket callback checks each connected address against; nil through a proxy.
    let destinations: DestinationPolicy?
    /// Set by the socket callback when it refuses the address libcurl was about to connect.
    var refused: IPAddress.Scope?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?

    private init(handle: UnsafeMutableRawPointer, destinations: DestinationPolicy?) {
        self.handle = handle
        self.destinations = destinations
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
    }

    /// `curl_global_init` before the first handle; libcurl requires it once per process.
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    static func sendAll(_ posts: [HTTPPost], destinations: DestinationPolicy, proxy: String?,
                        timeout: TimeInterval) -> [Result<Int, OutboundFailure>] {
        var results = [Result<Int, OutboundFailure>](repeating: .failure(.transferFailed(code: -1)), count: posts.count)
        guard initialized, let multi = curl_multi_init() else { return results }
        defer { curl_multi_cleanup(multi) }
        var transfers: [(index: Int, transfer: CurlTransfer)] = []
        for (index, post) in posts.enumerated() {
            switch prepare(post, destinations: destinations, proxy: proxy, timeout: timeout) {
            case .success(let transfer):
                transfers.append((index, transfer))
                curl_multi_add_handle(multi, transfer.handle)
            case .failure(let failure):
                results[index] = .failure(failure)
            }
        }
        var running: Int32 = transfers.isEmpty ? 0 : 1
        while running > 0 {
            guard curl_multi_perform(multi, &running) == CURLM_OK else { break }
            if running > 0 { _ = curl_multi_poll(multi, nil, 0, 1000, nil) }
        }
        var codes: [UnsafeMutableRawPointer: CURLcode] = [:]
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            if message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle {
                codes[easy] = message.pointee.data.result
            }
        }
        for (index, transfer) in transfers {
            curl_multi_remove_handle(multi, transfer.handle)
            results[index] = transfer.outcome(codes[transfer.handle] ?? CURLE_OPERATION_TIMEDOUT)
        }
        return results
    }

    /// Resolves and checks the destination, then configures a handle pinned to it (or
    /// aimed at `proxy`, after the checks that need no DNS).
    private static func prepare(_ post: HTTPPost, destinations: DestinationPolicy, proxy: String?,
                                timeout: TimeInterval) -> Result<CurlTransfer, OutboundFailure> {
        guard let components = URLComponents(string: post.url),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              var host = components.host, !host.isEmpty
        else { return .failure(.invalidURL) }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let proxy {
            if let refusal = destinations.refusal(forEndpoint: post.url) { return .failure(.destinationRefused(refusal.scope)) }
            guard let handle = curl_easy_init() else { return .failure(.transferFailed(code: -1)) }
            let transfer = CurlTransfer(handle: handle, destinations: nil)
            warta_curl_setopt_string(handle, CURLOPT_PROXY, proxy)
            // Every host through the proxy: `no_proxy` from the environment would let some
            // connect directly, where nothing checks them.
            warta_curl_setopt_string(handle, CURLOPT_NOPROXY, "")
            return .success(transfer.configure(post, timeout: timeout))
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        let addresses = HostResolver.addresses(of: host)
        guard !addresses.isEmpty else { return .failure(.nameNotResolved) }
        if let refusal = addresses.lazy.compactMap(destinations.refusal(for:)).first {
            return .failure(.destinationRefused(refusal.scope))
        }
        guard let handle = curl_easy_init() else { return .failure(.transferFailed(code: -1)) }
        let transfer = CurlTransfer(handle: handle, destinations: destinations)
        // An empty proxy overrides the environment's (https://curl.se/libcurl/c/CURLOPT_PROXY.html).
        warta_curl_setopt_string(handle, CURLOPT_PROXY, "")
        if IPAddress(host) == nil {
            let pinned = addresses.map { $0.isIPv4 ? $0.description : "[\($0)]" }.joined(separator: ",")
            transfer.resolveList = curl_slist_append(nil, "\(host):\(port):\(pinned)")
            warta_curl_setopt_list(handle, CURLOPT_RESOLVE, transfer.resolveList)
        }
        return .success(transfer.configure(post, timeout: timeout))
    }

    /// Everything but where to connect: the request, its limits, and the callbacks.
    private func configure(_ post: HTTPPost, timeout: TimeInterval) -> CurlTransfer {
        // `Expect:` off: curl would otherwise wait for 100-continue before a body over 1 KiB.
        for field in post.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, field)
        }
        warta_curl_setopt_list(handle, CURLOPT_HTTPHEADER, headerList)
        warta_curl_setopt_string(handle, CURLOPT_URL, post.url)
        warta_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        Self.limit(handle, timeout: timeout)
        warta_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(post.body.count))
        post.body.withUnsafeBytes { bytes in
            // COPYPOSTFIELDS copies, so the body need not outlive this call.
            _ = warta_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS,
                                          UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
        }
        warta_curl_setopt_write_function(handle, discardBody)
        if destinations != nil {
            warta_curl_setopt_open_socket_function(handle, openCheckedSocket)
            warta_curl_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, Unmanaged.passUnretained(self).toOpaque())
        }
        return self
    }

    /// What every handle Warta makes shares: http and https only, no signals (libcurl runs on
    /// threads that are not the main one), and the whole transfer within `timeout`.
    static func limit(_ handle: UnsafeMutableRawPointer, timeout: TimeInterval) {
        warta_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        warta_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        let milliseconds = max(1, Int(timeout * 1000))
        warta_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
        warta_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
    }

    private func outcome(_ code: CURLcode) -> Result<Int, OutboundFailure> {
        if code == CURLE_OK {
            var status = 0
            warta_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return .success(status)
        }
        if let refused { return .failure(.destinationRefused(refused)) }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST: return .failure(.nameNotResolved)
        case CURLE_COULDNT_CONNECT: return .failure(.connectionFailed)
        case CURLE_OPERATION_TIMEDOUT: return .failure(.timedOut)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .failure(.tlsFailed)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_WEIRD_SERVER_REPLY, CURLE_PARTIAL_FILE,
             CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .failure(.noValidResponse)
        default: return .failure(.transferFailed(code: Int(code.rawValue)))
        }
    }
}

/// The response body is not kept: nothing a receiver says is stored.
private let discardBody: curl_write_callback = { _, size, count, _ in size * count }

/// libcurl's socket callback: the last check, against the very address about to be
/// connected (<https://curl.se/libcurl/c/CURLOPT_OPENSOCKETFUNCTION.html>).
private let openCheckedSocket: curl_opensocket_callback = { context, _, address in
    guard let context, let address else { return CURL_SOCKET_BAD }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    guard let destinations = transfer.destinations else { return CURL_SOCKET_BAD }
    let socketAddress = UnsafeRawPointer(address) + MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr)!
    guard let connected = IPAddress(socketAddress: socketAddress) else { return CURL_SOCKET_BAD }
    if let refusal = destinations.refusal(for: connected) {
        transfer.refused = refusal.scope
        return CURL_SOCKET_BAD
    }
    return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
}
