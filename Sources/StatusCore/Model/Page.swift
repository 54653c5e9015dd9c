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
