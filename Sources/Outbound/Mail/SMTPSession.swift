import CCurl
import Foundation

/// One connection to the relay, reused for each message: libcurl keeps the connection of an
/// easy handle open between transfers, so a second message starts at `MAIL FROM` without a
/// new TCP and TLS handshake or a new login. After a failed message libcurl closes it, and
/// the next message opens a new one.
///
/// One thread at a time: the sender that owns it. Dropping the session ends the connection
/// with `QUIT`.
public final class SMTPSession {
    private let relay: SMTPRelay
    private var handle: UnsafeMutableRawPointer?
    /// Where libcurl writes why a transfer failed; read for its own words only (which
    /// command failed), never passed on.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(relay: SMTPRelay) {
        self.relay = relay
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
        errorBuffer.deallocate()
    }

    /// Sends `message` (the bytes of `MailMessage.rendered()`) to `recipient` alone, with
    /// `envelopeFrom` as the return path (RFC 5321 §3.3). Blocks until the relay has answered
    /// the data or the configured timeout passes. libcurl does the dot-stuffing (RFC 5321
    /// §4.5.2) and ends the data.
    ///
    /// When the failure is that a reused connection had been closed by the relay before it
    /// answered anything (an idle timeout), the message is sent once more on a new connection:
    /// nothing of it had been accepted, so it cannot arrive twice.
    public func send(envelopeFrom: String, recipient: String, message: [UInt8]) -> SMTPOutcome {
        for (field, address) in [("sender", envelopeFrom), ("recipient", recipient)] {
            do {
                try MailMessage.checkAddress(address, field: field)
            } catch {
                return .permanent(code: 0, reason: "invalid \(field) address: \(error.problem)")
            }
        }
        guard let handle = prepared() else { return .temporary(code: nil, reason: "libcurl could not be set up") }

        let recipients = curl_slist_append(nil, "<\(recipient)>")
        defer {
            warta_curl_setopt_list(handle, CURLOPT_MAIL_RCPT, nil)
            curl_slist_free_all(recipients)
        }
        warta_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(envelopeFrom)>")
        warta_curl_setopt_list(handle, CURLOPT_MAIL_RCPT, recipients)
        warta_curl_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))

        var attempt = transfer(message, on: handle)
        if attempt.reusedConnection, !attempt.bodyStarted, attempt.reply == 0,
           [CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR].contains(attempt.result) {
            attempt = transfer(message, on: handle)
        }
        return outcome(of: attempt)
    }

    /// What one `curl_easy_perform` left behind.
    private struct Attempt {
        var result: CURLcode
        /// The relay's last reply code, 0 if none.
        var reply: Int
        /// libcurl opened no new connection: it used the one kept from before.
        var reusedConnection: Bool
        /// libcurl had started reading the message, so the relay had answered `DATA` with 354.
        var bodyStarted: Bool
        /// libcurl's description of the failure (its own words, with a code at most).
        var failure: String
    }

    private func transfer(_ message: [UInt8], on handle: UnsafeMutableRawPointer) -> Attempt {
        let cursor = UploadCursor(message)
        errorBuffer[0] = 0
        warta_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(cursor).toOpaque())
        let result = withExtendedLifetime(cursor) { curl_easy_perform(handle) }
        warta_curl_setopt_pointer(handle, CURLOPT_READDATA, nil)
        var reply = 0, connects = 0
        warta_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        warta_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        return Attempt(result: result, reply: reply, reusedConnection: connects == 0, bodyStarted: cursor.started,
                       failure: String(cString: errorBuffer))
    }

    /// The easy handle with everything that does not change from one message to the next.
    private func prepared() -> UnsafeMutableRawPointer? {
        if let handle { return handle }
        guard CurlTransfer.initialized, let handle = curl_easy_init() else { return nil }
        let configuration = relay.configuration
        warta_curl_setopt_string(handle, CURLOPT_URL, relay.endpoint)
        warta_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        // An empty proxy overrides the environment's (https://curl.se/libcurl/c/CURLOPT_PROXY.html).
        warta_curl_setopt_string(handle, CURLOPT_PROXY, "")
        warta_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        let milliseconds = max(1, Int(configuration.timeout * 1000))
        warta_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
        warta_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        warta_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        warta_curl_setopt_read_function(handle, readMessage)
        // A refused recipient fails the message: there is only one.
        warta_curl_setopt_mail_rcpt_allowfails(handle, 0)
        warta_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        if let username = configuration.username, let password = configuration.password {
            warta_curl_setopt_string(handle, CURLOPT_USERNAME, username)
            warta_curl_setopt_string(handle, CURLOPT_PASSWORD, password)
        }
        if configuration.insecure {
            // STARTTLS when offered, plain text otherwise; no certificate check either way.
            warta_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
            warta_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            warta_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            // STARTTLS or fail (RFC 3207), so no one on the path can strip it.
            warta_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
            warta_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
            warta_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
            if let caFile = configuration.caFile { warta_curl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        }
        warta_curl_setopt_long(handle, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        self.handle = handle
        return handle
    }

    /// Sorts a transfer's end into sent, retry later, or give up, in Warta's words.
    private func outcome(of attempt: Attempt) -> SMTPOutcome {
        let reply = attempt.reply
        let code: Int? = (400..<600).contains(reply) ? reply : nil
        switch attempt.result {
        case CURLE_OK:
            return .sent
        case CURLE_USE_SSL_FAILED:
            // Temporary: the relay's TLS is the operator's to fix, and the message is not at fault.
            return .temporary(code: code, reason: code.map { "TLS required: the relay refused STARTTLS (\($0))" }
                              ?? "TLS required: the relay does not offer STARTTLS")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ISSUER_ERROR:
            return .temporary(code: nil, reason: "TLS failed: certificate not trusted")
        case CURLE_SSL_CACERT_BADFILE:
            return .temporary(code: nil, reason: "TLS failed: the CA file cannot be used")
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER:
            return .temporary(code: nil, reason: "TLS failed: handshake")
        case CURLE_LOGIN_DENIED:
            // Temporary: wrong credentials fail every message alike until the operator fixes them.
            return .temporary(code: code, reason: code.map { "relay refused the login (\($0))" }
                              ?? "relay offers no login method libcurl can use")
        case CURLE_COULDNT_RESOLVE_HOST:
            return .temporary(code: nil, reason: "relay name not resolved")
        case CURLE_COULDNT_CONNECT:
            return .temporary(code: nil, reason: "connection failed")
        case CURLE_OPERATION_TIMEDOUT:
            return .temporary(code: code, reason: "timed out")
        default:
            break
        }
        guard let code else {
            switch attempt.result {
            case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_WEIRD_SERVER_REPLY:
                return .temporary(code: nil, reason: "connection lost")
            default:
                return .temporary(code: nil, reason: "transfer failed (curl \(attempt.result.rawValue))")
            }
        }
        if code < 500 { return .temporary(code: code, reason: "relay answered \(code)") }
        // 5xx is permanent only when it concerns this message: its recipient, or its data.
        // Refusing the sender or asking for a login (RFC 4954 §6: 530, 534, 535, 538) concerns
        // Warta's own settings and every message alike, as does a 5xx to the greeting or EHLO.
        if [530, 534, 535, 538].contains(code) { return .temporary(code: code, reason: "relay requires a login (\(code))") }
        if attempt.bodyStarted { return .permanent(code: code, reason: "relay refused the message (\(code))") }
        if attempt.failure.hasPrefix("RCPT failed") { return .permanent(code: code, reason: "relay refused the recipient (\(code))") }
        if attempt.failure.hasPrefix("DATA failed") { return .permanent(code: code, reason: "relay refused the message (\(code))") }
        if attempt.failure.hasPrefix("MAIL failed") { return .temporary(code: code, reason: "relay refused the sender (\(code))") }
        return .temporary(code: code, reason: "relay answered \(code)")
    }
}

/// The message and how much of it libcurl has read.
private final class UploadCursor {
    let bytes: [UInt8]
    var offset = 0
    var started = false

    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// libcurl's read callback (<https://curl.se/libcurl/c/CURLOPT_READFUNCTION.html>): the next
/// bytes of the message; 0 at its end.
private let readMessage: curl_read_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let cursor = Unmanaged<UploadCursor>.fromOpaque(context).takeUnretainedValue()
    cursor.started = true
    let length = min(size * count, cursor.bytes.count - cursor.offset)
    guard length > 0 else { return 0 }
    cursor.bytes.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + cursor.offset, byteCount: length)
    }
    cursor.offset += length
    return length
}
