import Foundation
import StatusCore

/// The pages of mail subscriptions: the sign-up form (`/subscribe`), what follows it, and the
/// pages a subscriber's link opens (`/subscriptions/{token}`). They are rendered per request,
/// never kept: each shows one person's form or subscription.
extension PageRenderer {
    /// A subscription form as it was sent, so a refused one comes back filled in as it was,
    /// each problem beside its field.
    public struct SubscriptionForm: Sendable, Equatable {
        public enum Field: String, Sendable, CaseIterable {
            case email, language, components

            /// The id of the control a problem's link leads to.
            var controlID: String {
                switch self {
                case .email: return "email"
                case .language: return "language-id"
                case .components: return "components-all"
                }
            }
        }

        public var email: String
        /// The language as sent (`id` or `en` when valid).
        public var language: String
        /// All components, including any added later; else `componentIDs`.
        public var allComponents: Bool
        public var componentIDs: [String]
        /// Each problem's `Strings` key, by field.
        public var problems: [Field: String]

        public init(email: String = "", language: String, allComponents: Bool = true, componentIDs: [String] = [],
                    problems: [Field: String] = [:]) {
            self.email = email
            self.language = language
            self.allComponents = allComponents
            self.componentIDs = componentIDs
            self.problems = problems
        }

        /// The form of a subscription as it stands.
        public init(_ subscriber: MailSubscriber) {
            self.init(email: subscriber.email, language: subscriber.language,
                      allComponents: subscriber.componentIDs == nil, componentIDs: subscriber.componentIDs ?? [])
        }
    }

    /// What a subscriber's page says it just did.
    public enum SubscriptionDone: String, Sendable {
        case confirmed, saved
    }

    // MARK: Sign-up

    /// `/subscribe`: the form, empty or as sent with its problems.
    public func subscribePage(_ form: SubscriptionForm, _ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let context = layout(language, title: strings["subscribe_title"] + " · " + state.page.name, path: "/subscribe",
                             extra: ["form": subscriptionFields(form, language, withEmail: true,
                                                                action: Self.link("/subscribe", language))])
        return render("subscribe", context)
    }

    /// `/subscribe/sent`: check your mailbox.
    public func subscribeSentPage(_ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let context = layout(language, title: strings["subscribe_sent_title"] + " · " + state.page.name,
                             path: "/subscribe/sent", extra: ["sent": true])
        return render("subscribe", context)
    }

    /// Too many sign-ups from the reader's network: when to try again, in the page's zone.
    public func signUpLimitedPage(retryAt: Date, _ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let time = pageTime(language)
        let when = timeElement(retryAt, time: time, text: time.dateTime(retryAt, sameDayAs: now))
        let context = layout(language, title: strings["subscribe_limited_title"] + " · " + state.page.name,
                             path: "/subscribe", extra: [
                                 "limited": .html(Self.substitute(strings.format("subscribe_limited_body", ["time": "\u{1}"]), when)),
                                 "signUp": .text(Self.link("/subscribe", language)),
                             ])
        return render("subscribe", context)
    }

    /// The small form on `/`: an address, every component, the page's language; the full
    /// form is a link away.
    func subscribeTeaser(_ language: Language) -> TemplateValue {
        [
            "action": .text(Self.link("/subscribe", language)),
            "language": .text(language.tag),
        ]
    }

    // MARK: A subscriber's link

    /// `/subscriptions/{token}`: an unconfirmed subscription with its Confirm button, an
    /// active one with its form and Leave, a quarantined one with Leave.
    ///
    /// - Parameters:
    ///   - path: `/subscriptions/{token}`, where the forms post.
    ///   - keepLanguage: whether the reader chose `language` (`?lang=`), so the forms keep it.
    ///   - form: the manage form as sent, when it was refused; else the subscription's.
    ///   - problem: the `Strings` key of what was wrong with a request that was no form.
    public func subscriptionPage(_ subscriber: MailSubscriber, path: String, keepLanguage: Bool, done: SubscriptionDone?,
                                 form: SubscriptionForm? = nil, problem: String? = nil, _ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let action = Self.formAction(path, keepLanguage, language)
        // Leaving always names the page's language: once the address is deleted, a second
        // click has no subscriber whose language could be read.
        let leave: TemplateValue = ["action": .text(Self.link(path + "/unsubscribe", language))]
        var extra: [String: TemplateValue] = [
            "done": done.map { TemplateValue.text(strings["subscribe_" + $0.rawValue]) } ?? false,
            "problem": problem.map { TemplateValue.text(strings[$0]) } ?? false,
        ]
        switch subscriber.state {
        case .unconfirmed:
            var pending = subscriptionSummary(subscriber, language)
            pending["action"] = .text(action)
            if let expiresAt = subscriber.expiresAt {
                let time = pageTime(language)
                let until = timeElement(expiresAt, time: time, text: time.dateTime(expiresAt))
                pending["expires"] = .html(Self.substitute(strings.format("subscribe_expires", ["time": "\u{1}"]), until))
            }
            extra["pending"] = .object(pending)
        case .active:
            extra["active"] = subscriptionFields(form ?? SubscriptionForm(subscriber), language, withEmail: false,
                                                 action: action)
            extra["address"] = .text(subscriber.email)
            extra["leave"] = leave
        case .quarantined:
            extra["quarantined"] = .text(strings.format("subscribe_quarantined", ["address": subscriber.email]))
            extra["leave"] = leave
        }
        let context = layout(language, title: strings["subscribe_manage_title"] + " · " + state.page.name, path: path,
                             extra: extra)
        return render("subscription", context)
    }

    /// `/subscriptions/{token}/unsubscribe`: one Leave button (posting with the page's
    /// language, as on the subscriber's page).
    public func unsubscribePage(path: String, _ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let context = layout(language, title: strings["subscribe_leave_title"] + " · " + state.page.name, path: path,
                             extra: ["leavePage": ["action": .text(Self.link(path, language))]])
        return render("subscription", context)
    }

    /// After leaving: the address is deleted, or was already (`alreadyEnded`).
    public func leftPage(alreadyEnded: Bool, path: String, _ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let key = alreadyEnded ? "subscribe_ended" : "subscribe_left"
        let context = layout(language, title: strings[key + "_title"] + " · " + state.page.name, path: path, extra: [
            "left": ["title": .text(strings[key + "_title"]), "body": .text(strings[key + "_body"])],
        ])
        return render("subscription", context)
    }

    /// A link that names no subscription (expired, ended, or never genuine).
    public func invalidLinkPage(_ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let context = layout(language, title: strings["subscribe_invalid_title"] + " · " + state.page.name,
                             path: "/subscribe", extra: ["invalid": ["signUp": .text(Self.link("/subscribe", language))]])
        return render("subscription", context)
    }

    // MARK: Pieces

    /// Where a subscriber's form posts: its page, with `?lang=` only when the reader chose
    /// one, so the subscriber's own language stays the default.
    static func formAction(_ path: String, _ keepLanguage: Bool, _ language: Language) -> String {
        keepLanguage ? Self.link(path, language) : path
    }

    /// What an unconfirmed subscription asks for, in words.
    func subscriptionSummary(_ subscriber: MailSubscriber, _ language: Language) -> [String: TemplateValue] {
        let strings = Strings.of(language)
        let components = subscriber.componentIDs.map { ids in
            ids.compactMap { componentsByID[$0]?.name(in: language.tag) }.joined(separator: ", ")
        } ?? strings["subscribe_all_components"]
        return [
            "address": .text(subscriber.email),
            "languageName": .text(Self.languageName(subscriber.language)),
            "components": .text(components),
        ]
    }

    /// A language named in itself, as the forms offer it.
    static func languageName(_ tag: String) -> String {
        switch Language(rawValue: tag) {
        case .indonesian?: return "Bahasa Indonesia"
        case .english?: return "English"
        case nil: return tag
        }
    }

    /// What `subscription-fields` shows: the problems first, then the address (on
    /// `/subscribe`), the language and the components, by group as the page shows them.
    func subscriptionFields(_ form: SubscriptionForm, _ language: Language, withEmail: Bool,
                            action: String) -> TemplateValue {
        let strings = Strings.of(language)
        let chosen = Set(form.componentIDs)
        func box(_ component: Component) -> TemplateValue {
            ["isGroup": false, "id": .text(component.id), "name": .text(component.name(in: language.tag)),
             "checked": .bool(chosen.contains(component.id))]
        }
        var rows: [TemplateValue] = []
        for row in componentRows {
            switch row {
            case .group(let group, let children):
                guard !children.isEmpty else { continue }
                rows.append(["isGroup": true, "name": .text(group.name(in: language.tag)),
                             "components": .list(children.map(box))])
            case .component(let component):
                // A group's members follow its row; only ungrouped components stand alone.
                guard component.groupID == nil || !state.groups.contains(where: { $0.id == component.groupID }) else {
                    continue
                }
                rows.append(box(component))
            }
        }
        var fields: [String: TemplateValue] = [
            "action": .text(action),
            "withEmail": .bool(withEmail),
            "email": .text(form.email),
            "languages": .list(Language.allCases.map { option in
                ["value": .text(option.tag), "label": .text(Self.languageName(option.tag)),
                 "checked": .bool(form.language == option.tag)]
            }),
            "allChecked": .bool(form.allComponents),
            "hasComponents": .bool(!rows.isEmpty),
            "rows": .list(rows),
        ]
        let problems = SubscriptionForm.Field.allCases.compactMap { field in
            form.problems[field].map { (field, strings[$0]) }
        }
        for (field, text) in problems { fields[field.rawValue + "Problem"] = .text(text) }
        fields["problems"] = Self.nonEmpty(problems.map { field, text in
            ["href": .text("#" + field.controlID), "text": .text(text)]
        })
        return .object(fields)
    }
}
