import Foundation
import StatusCore

extension PageRenderer {
    /// `/embed`: one line for another site's `<iframe>`, with no script: the overall status
    /// in words beside its icon, the newest open incident's name (and how many more there
    /// are), the soonest promised update. Links open in the framing page's place
    /// (`target="_top"`), since a status page squeezed into a banner is of no use. The page
    /// reloads itself each minute (`<meta http-equiv="refresh">`, which needs no script).
    public func embed(_ language: Language) -> [UInt8] {
        let strings = Strings.of(language)
        let open = openIncidents
        var incident: TemplateValue = false
        if let newest = open.first {
            let name = localized(newest.name, translations: newest.nameTranslations, in: language)
            incident = [
                "name": .text(name.text),
                "nameLang": name.textLanguage == language ? false : .text(name.textLanguage.tag),
                "href": .text(Self.link("/incidents/" + newest.id, language)),
                "more": open.count > 1 ? .text(strings.format("text_more", ["count": String(open.count - 1)])) : false,
            ]
        }
        let context = layout(language, title: state.page.name + ": " + strings.indicator(pageStatus.indicator),
                             path: "/embed", extra: [
            "overall": [
                "text": .text(strings.indicator(pageStatus.indicator)),
                "class": .text("o-" + pageStatus.indicator.rawValue),
            ],
            "incident": incident,
            "promise": .optional(soonestPromise(language)),
        ])
        return render("embed", context)
    }
}
