import Foundation

/// What a mail says in one language. `text` and `html` hold `MailContent.manageLink` where
/// the subscriber's own link goes (and `MailContent.unsubscribeLink` for leaving), so one
/// rendering serves every subscriber of that language.
public struct MailContent: Sendable, Equatable, Codable {
    /// Replaced by the subscriber's `/subscriptions/{token}` URL. Control characters, which
    /// no staff text or name may hold (`Rules.body`), so it can only be where the renderer
    /// put it.
    public static let manageLink = "\u{1}manage\u{1}"
    /// Replaced by the subscriber's `/subscriptions/{token}/unsubscribe` URL.
    public static let unsubscribeLink = "\u{1}unsubscribe\u{1}"

    public var subject: String
    public var text: String
    public var html: String

    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }

    /// The content with the links of one subscriber put in (`html`: the same URLs, which
    /// hold no character HTML needs escaped: they are the base URL and a token).
    public func personalised(manage: String, unsubscribe: String) -> MailContent {
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: Self.manageLink, with: manage)
                .replacingOccurrences(of: Self.unsubscribeLink, with: unsubscribe)
        }
        return MailContent(subject: subject, text: fill(text), html: fill(html))
    }
}
