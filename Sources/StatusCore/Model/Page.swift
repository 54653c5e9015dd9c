import Foundation

/// The page's settings: what every representation reads.
public struct Page: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The public URL without a trailing slash; empty until configured.
    public var url: String = ""
    /// An IANA time zone, e.g. `Asia/Jakarta`.
    public var timeZone: String = "Asia/Jakarta"
    /// `id` or `en`: the language of the primary text of incidents and updates.
    public var defaultLanguage: String = "id"
    public var logoURL: String?
    /// `#rrggbb`.
    public var accentColor: String?
    public var headerLinks: [HeaderLink] = []
    public var stylesheetURL: String?
    /// Whether automatic checks appear on the public page and in the v2 documents; when
    /// false, only the management API and staff webhooks see them.
    public var checksPublic = true
    /// Minutes after an open incident's latest update at which the page itself promises the
    /// next one, when staff promised none; 0: no such promise.
    public var maxSilence = 60
    /// Minutes a check may fail on a component no open incident lists before the page says
    /// staff have not spoken.
    public var statementGrace = 15
    public var createdAt: Date
    public var updatedAt: Date

    public struct HeaderLink: Sendable, Equatable {
        public var label: String
        public var url: String

        public init(label: String, url: String) {
            self.label = label
            self.url = url
        }
    }
}
