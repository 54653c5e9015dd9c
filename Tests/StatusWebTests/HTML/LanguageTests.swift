import HTTPServer
import Testing
@testable import StatusWeb

@Suite struct LanguageTests {
    @Test(arguments: [
        ("id", Language.indonesian), ("ID", .indonesian), ("id-ID", .indonesian), ("in", .indonesian),
        ("en", .english), ("en-GB", .english), ("EN-us", .english),
    ])
    func tagsNameOurLanguages(_ tag: String, _ language: Language) {
        #expect(Language(tag: tag) == language)
    }

    @Test(arguments: ["", "fr", "ms", "ind", "english", "*", "-"])
    func otherTagsAreNotOurs(_ tag: String) {
        #expect(Language(tag: tag) == nil)
    }

    @Test(arguments: [
        ("en-GB,en;q=0.9", Language?.some(.english)),
        ("fr, en;q=0.5", .english),
        ("fr-CA, fr;q=0.9, id;q=0.8, en;q=0.7", .indonesian),
        ("en;q=0.4, id;q=0.6", .indonesian),
        ("en;q=0, id", .indonesian),
        ("id;q=0.5, en;q=0.5", .indonesian),
        ("en;q=0", nil),
        ("fr, de", nil),
        ("*", nil),
        ("en;q=abc", .english),
        ("en;q=2, id;q=0.5", .english),
        (",,;;,en", .english),
        ("", nil),
    ])
    func acceptLanguagePreferences(_ header: String, _ expected: Language?) {
        #expect(Language.preferred(acceptLanguage: header) == expected)
    }

    static func request(query: String?, acceptLanguage: String?) -> HTTPRequest {
        var request = HTTPRequest(method: .get, target: "/" + (query.map { "?" + $0 } ?? ""), path: "/", query: query)
        if let acceptLanguage { request.headers.add(.acceptLanguage, acceptLanguage) }
        return request
    }

    @Test func queryThenHeaderThenFallback() {
        #expect(Language.negotiate(Self.request(query: "lang=en", acceptLanguage: "id"), fallback: .indonesian) == .english)
        #expect(Language.negotiate(Self.request(query: "lang=xx", acceptLanguage: "en"), fallback: .indonesian) == .english)
        #expect(Language.negotiate(Self.request(query: nil, acceptLanguage: "fr"), fallback: .english) == .english)
        #expect(Language.negotiate(Self.request(query: nil, acceptLanguage: nil), fallback: .indonesian) == .indonesian)
        #expect(Language.negotiate(Self.request(query: "page=2&lang=id", acceptLanguage: "en"), fallback: .english) == .indonesian)
    }
}
