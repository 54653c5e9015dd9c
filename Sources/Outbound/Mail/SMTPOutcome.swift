/// What became of one message handed to the relay, and so what the sender does next.
///
/// `reason` is in Warta's own words with the reply code at most ("relay answered 451",
/// "relay refused the recipient (550)", "TLS failed: certificate not trusted"): never the
/// relay's text, which may repeat the recipient's address, and never a credential.
public enum SMTPOutcome: Sendable, Equatable, CustomStringConvertible {
    /// The relay accepted the message (250 after the data).
    case sent
    /// Try again later: a 4xx reply (RFC 5321 §4.2.1), no connection, a timeout, or a failure
    /// that every message would meet alike and the operator must fix (TLS, the login, a 5xx
    /// to the sender address or to EHLO): not this recipient's fault, so nothing to give up
    /// on for them. `code` is the relay's last reply code when it gave one.
    case temporary(code: Int?, reason: String)
    /// Do not try again: a 5xx reply to this message's RCPT or DATA, or to its data. `code`
    /// is 0 when Warta refused before asking the relay (an envelope address it cannot send).
    case permanent(code: Int, reason: String)

    public var description: String {
        switch self {
        case .sent: return "sent"
        case .temporary(_, let reason): return "temporary failure: \(reason)"
        case .permanent(_, let reason): return "permanent failure: \(reason)"
        }
    }
}
