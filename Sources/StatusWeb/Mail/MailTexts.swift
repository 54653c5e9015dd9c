import Foundation
import Outbound
import StatusCore

/// What the mails to subscribers say, in Bahasa Indonesia and English: StatusWeb's side of
/// Outbound's mail sender, which asks once per event, when the event's mail is fixed, and
/// sends the same words to every subscriber of a language.
///
/// So nothing in a mail is about one subscriber: not the address, not the components it
/// chose. Where each subscriber's own links go, the content holds `MailContent.manageLink`
/// and `MailContent.unsubscribeLink`, which the sender fills in. Confirmations and notices
/// are written for one subscriber (`personalContent`), and still hold the markers.
///
/// The words are the page's: status labels, times on the page's wall clock (`PageTime`),
/// the text staff wrote in the reader's language when they wrote one (as `PageRenderer`
/// chooses it), the next-update promise (`UpdatePromise`).
public struct MailTexts: MailRenderer {
    private let store: Store
    /// The page's public URL, without a trailing slash: a mail's links are absolute.
    let baseURL: String

    public init(store: Store, baseURL: String) {
        self.store = store
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }

    /// The mail of `event` in each language, keyed `id` and `en`; nil when the incident is
    /// gone, when none of the updates it reports is left, or when a reminder's maintenance
    /// is no longer ahead (it started or completed, or its start has passed).
    public func content(of event: MailEvent, now: Date) throws -> [String: MailContent]? {
        let incident: Incident
        do {
            incident = try store.incident(id: event.incidentID)
        } catch let error as ValidationError where error.kind == .notFound {
            return nil
        }
        let context = try Context(store: store, now: now)
        var contents: [String: MailContent] = [:]
        for language in Language.allCases {
            let mail: MailContent?
            switch event.kind {
            case .incident: mail = incidentMail(incident, updateIDs: event.updateIDs, context, language)
            case .reminder: mail = reminderMail(incident, context, language)
            }
            guard let mail else { return nil }
            contents[language.tag] = mail
        }
        return contents
    }

    /// A confirmation (`.confirmation`) or a notice that the address is subscribed already
    /// (`.notice`), in the subscriber's language.
    /// - Throws: `MailTexts.NotPersonal` for `.event`: an event's mail is `content(of:now:)`.
    public func personalContent(_ kind: MailDelivery.Kind, for subscriber: MailSubscriber,
                                now: Date) throws -> MailContent {
        try personalMail(kind, subscriber, try Context(store: store, now: now))
    }

    /// Asked for the personal content of an event's mail, which is shared.
    public struct NotPersonal: Error, CustomStringConvertible {
        public var description: String { "an event's mail is written once for all its subscribers, not for one" }
    }

    // MARK: Shared

    /// What every mail of one rendering reads: the page, its components, the instant, and
    /// the words and clock of each language.
    struct Context {
        let page: Page
        /// In display order.
        let components: [Component]
        let componentsByID: [String: Component]
        let defaultLanguage: Language
        let now: Date

        init(store: Store, now: Date) throws {
            page = try store.page()
            components = try store.components()
            componentsByID = Dictionary(components.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            defaultLanguage = Language(tag: page.defaultLanguage) ?? .indonesian
            self.now = now
        }

        func strings(_ language: Language) -> Strings { MailStrings.of(language) }

        func time(_ language: Language) -> PageTime {
            PageTime(timeZoneIdentifier: page.timeZone, strings: strings(language))
        }

        /// The names in `language` of the components of `ids` that still exist, in display order.
        func componentNames(_ ids: [String], in language: Language) -> [String] {
            let wanted = Set(ids)
            return components.filter { wanted.contains($0.id) }.map { $0.name(in: language.tag) }
        }

        /// Staff text in `language`, or in the page's language when they wrote none in it.
        func localized(_ primary: String, translations: [String: String], in language: Language)
            -> (text: String, textLanguage: Language) {
            let chosen = PageRenderer.localized(primary, translations: translations, in: language,
                                                defaultLanguage: defaultLanguage)
            return (chosen.text, chosen.textLanguage)
        }
    }

    /// `<base>/incidents/{id}?lang=…`.
    func incidentLink(_ incident: Incident, _ language: Language) -> String {
        baseURL + PageRenderer.link("/incidents/" + incident.id, language)
    }

    /// The footer's links: change the subscription or leave it (RFC 8058's one click is the
    /// second); `manage: false` when the mail's body already carries the manage link.
    static func subscriptionLinks(_ strings: Strings, manage: Bool = true) -> [(label: String, url: String)] {
        (manage ? [(strings["mail_manage"], MailContent.manageLink)] : [])
            + [(strings["mail_unsubscribe"], MailContent.unsubscribeLink)]
    }
}
