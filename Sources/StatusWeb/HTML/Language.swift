import Foundation
import HTTPServer

/// The languages of the public pages: Bahasa Indonesia and English.
public enum Language: String, CaseIterable, Sendable {
    case indonesian = "id"
    case english = "en"

    /// The BCP 47 tag, for `<html lang>`, `Content-Language` and `xml:lang`.
    public var tag: String { rawValue }

    /// A language tag or an `Accept-Language` range (`id`, `en-GB`, `in`, `EN`); nil for
    /// anything else. `in` is Indonesian's withdrawn ISO 639 code, still sent by old Java
    /// and Android clients.
    public init?(tag: some StringProtocol) {
        let primary = tag.split(separator: "-", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        switch primary {
        case "id", "in": self = .indonesian
        case "en": self = .english
        default: return nil
        }
    }

    /// The page's language for `request`: `?lang=` when it names one, then the client's
    /// `Accept-Language` preferences (RFC 9110 §12.5.4), then `fallback`.
    public static func negotiate(_ request: HTTPRequest, fallback: Language) -> Language {
        if let requested = request.queryValue("lang"), let language = Language(tag: requested) {
            return language
        }
        if let header = request.headers[.acceptLanguage] {
            return preferred(acceptLanguage: header) ?? fallback
        }
        return fallback
    }

    /// The best of ours in an `Accept-Language` value: the highest `q` (default 1), the
    /// earlier range on a tie; `q=0` excludes. A `*` range stands for the first language the
    /// client did not name or exclude, here read as no preference.
    public static func preferred(acceptLanguage: String) -> Language? {
        var best: (language: Language, quality: Double)?
        for element in acceptLanguage.split(separator: ",") {
            let parts = element.split(separator: ";")
            guard let range = parts.first?.trimmingCharacters(in: .whitespaces), !range.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingCharacters(in: .whitespaces)
                if pair.lowercased().hasPrefix("q="), let value = Double(pair.dropFirst(2)), value >= 0, value <= 1 {
                    quality = value
                }
            }
            guard quality > 0, let language = Language(tag: range) else { continue }
            if best == nil || quality > best!.quality { best = (language, quality) }
        }
        return best?.language
    }
}

extension HTTPHeaderName {
    public static let contentLanguage: HTTPHeaderName = "Content-Language"
}
