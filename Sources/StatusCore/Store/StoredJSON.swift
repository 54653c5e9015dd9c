import Foundation

/// The JSON columns' encodings: translations, header links, audit details, id lists.
///
/// Keys are sorted so equal values are stored as equal text (dumps compare, and nothing
/// changes when nothing changed). The empty object, by far the most common value, skips the
/// decoder: `state()` reads it for every incident and update.
enum StoredJSON {
    static func encodeTranslations(_ map: [String: String]) -> String {
        map.isEmpty ? "{}" : encode(map)
    }

    static func decodeTranslations(_ text: String) -> [String: String]? {
        if text == "{}" { return [:] }
        return try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    private struct StoredLink: Codable {
        var label: String
        var url: String
    }

    static func encodeHeaderLinks(_ links: [Page.HeaderLink]) -> String {
        links.isEmpty ? "[]" : encode(links.map { StoredLink(label: $0.label, url: $0.url) })
    }

    static func decodeHeaderLinks(_ text: String) -> [Page.HeaderLink]? {
        if text == "[]" { return [] }
        let links = try? JSONDecoder().decode([StoredLink].self, from: Data(text.utf8))
        return links?.map { Page.HeaderLink(label: $0.label, url: $0.url) }
    }

    /// A JSON array of strings, bound to `json_each(?)` so a list of ids can be passed to
    /// constant SQL (`WHERE id IN (SELECT value FROM json_each(?))`).
    static func array(_ strings: [String]) -> String {
        encode(strings)
    }

    /// Whether `text` is a JSON object (v1's `metadata` must be one).
    static func isObject(_ text: String) -> Bool {
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
            return false
        }
        return value is [String: Any]
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, arrays and dictionaries of strings cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
