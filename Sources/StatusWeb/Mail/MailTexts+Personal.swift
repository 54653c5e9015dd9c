import Foundation
import StatusCore

// The mails to one subscriber: the confirmation of a sign-up (double opt-in) and the notice
// to an address that signed up again. Neither holds the address: the recipient knows it.

extension MailTexts {
    /// A confirmation: "someone asked for updates at this address…", the link to the page
    /// with the Confirm button (following it alone confirms nothing, so a mail scanner that
    /// opens every link cannot subscribe anyone), and what happens when it is ignored. A
    /// notice: "this address is subscribed already", what it receives, the link to change
    /// that. The manage link is in the body, so the footer has only the unsubscribe link.
    func personalMail(_ kind: MailDelivery.Kind, _ subscriber: MailSubscriber, _ context: Context) throws -> MailContent {
        let language = Language(tag: subscriber.language) ?? context.defaultLanguage
        let strings = context.strings(language)
        let page = ["page": context.page.name]
        var mail = MailDocument(language: language)
        mail.paragraph(strings.format("mail_\(kind.rawValue)_request", choices(subscriber, language, context, strings)))
        switch kind {
        case .confirmation:
            mail.link(strings["mail_confirm"], to: MailContent.manageLink, prominent: true)
            mail.paragraph(strings["mail_confirmation_button"])
            let remaining = subscriber.expiresAt.map { $0.timeIntervalSince(context.now) } ?? Store.confirmationPeriod
            let hours = max(1, Int((remaining / 3600).rounded(.up)))
            mail.paragraph(strings.format("mail_confirmation_ignore", ["hours": String(hours)]))
        case .notice:
            mail.link(strings["mail_manage"], to: MailContent.manageLink, prominent: true)
            mail.paragraph(strings["mail_notice_ignore"])
        case .event:
            throw NotPersonal()
        }
        mail.footer(reason: strings.format("mail_reason_\(kind.rawValue)", page),
                    links: Self.subscriptionLinks(strings, manage: false))
        return mail.content(subject: strings.format("mail_subject_\(kind.rawValue)", page))
    }

    /// The page, the components and the language a subscription chose, for its sentences.
    private func choices(_ subscriber: MailSubscriber, _ language: Language, _ context: Context,
                         _ strings: Strings) -> [String: String] {
        let components: String
        if let chosen = subscriber.componentIDs {
            let names = context.componentNames(chosen, in: language)
            components = names.isEmpty ? strings["mail_no_components"] : names.joined(separator: ", ")
        } else {
            components = strings["mail_all_components"]
        }
        return ["page": context.page.name, "components": components, "language": strings.mailLanguageName(language)]
    }
}
