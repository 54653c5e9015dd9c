import Foundation
import StatusCore

/// What a shared link shows in a chat or a social feed before anyone opens it: OpenGraph
/// (ogp.me) and Twitter card fields in `<head>`, in the request's language. On WhatsApp,
/// Telegram or X the preview is often all a reader sees, so it states the status and the
/// next update, not just the page's name.
extension PageRenderer {
    /// Characters of the latest update a preview quotes before the promise.
    static let previewUpdateLength = 200

    /// The preview of `/`: "Major system outage: Imigrasi", then the latest update of the open
    /// incidents and active maintenance (its first 200 characters) and its next-update promise.
    func overviewPreview(_ language: Language) -> TemplateValue {
        let strings = Strings.of(language)
        let current = openIncidents + state.incidents.filter(\.isActiveMaintenance)
        let latest = current.max { ($0.updates.first?.displayAt ?? $0.startedAt) < ($1.updates.first?.displayAt ?? $1.startedAt) }
        let description = latest.map { previewDescription($0, language) } ?? strings["preview_no_incidents"]
        return linkPreview(title: strings.indicator(pageStatus.indicator) + ": " + state.page.name,
                           description: description, path: "/", type: "website", language)
    }

    /// The preview of `/incidents/{id}`: "Identified: Autogates down", then its latest update
    /// and its next-update promise.
    func incidentPreview(_ incident: Incident, _ language: Language) -> TemplateValue {
        let strings = Strings.of(language)
        return linkPreview(title: strings.incidentStatus(incident.status) + ": " + incidentName(incident, language),
                           description: previewDescription(incident, language), path: "/incidents/" + incident.id,
                           type: "article", language)
    }

    /// The latest update's text, its lines joined and cut to `previewUpdateLength`
    /// characters, then what the incident promises of its next update.
    func previewDescription(_ incident: Incident, _ language: Language) -> String {
        var parts: [String] = []
        if let update = incident.updates.first {
            let body = localized(update.body, translations: update.bodyTranslations, in: language).text
            let line = body.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !line.isEmpty { parts.append(Self.shortened(line, to: Self.previewUpdateLength)) }
        }
        if let promise = promiseText(incident, language) { parts.append(promise) }
        return parts.isEmpty ? incidentName(incident, language) : parts.joined(separator: " ")
    }

    /// The fields `head.html` writes: `og:url` only when the site's address is known
    /// (`publicURL`), since a relative or guessed one would point previews elsewhere.
    func linkPreview(title: String, description: String, path: String, type: String,
                     _ language: Language) -> TemplateValue {
        let other = language == .indonesian ? Language.english : .indonesian
        return [
            "title": .text(title),
            "description": .text(description),
            "type": .text(type),
            "siteName": .text(state.page.name),
            "locale": .text(language.openGraphLocale),
            "alternateLocale": .text(other.openGraphLocale),
            "url": .optional(publicURL.map { $0 + Self.link(path, language) }),
        ]
    }
}

extension Language {
    /// The language as `og:locale` writes it: language and territory with an underscore.
    var openGraphLocale: String {
        switch self {
        case .indonesian: return "id_ID"
        case .english: return "en_US"
        }
    }
}
