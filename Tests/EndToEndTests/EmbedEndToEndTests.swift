import Foundation
import TestSupport
import Testing

/// Another origin showing the status, against the built binary: it frames `/embed` with the
/// README's `<iframe>` line (allowed by `--embed-ancestors` while the pages keep
/// `--frame-ancestors`) and reads `summary.json` with `fetch` (a CORS preflight, then the
/// read); a shared link previews with `og:url` from `--base-url`.
@Suite(.serialized)
struct EmbedEndToEndTests {
    static func frameAncestors(_ response: (status: Int, headers: [String: String], body: String)) -> String? {
        response.headers["content-security-policy"]?.split(separator: ";")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("frame-ancestors ") }
            .map { String($0.dropFirst("frame-ancestors ".count)) }
    }

    /// The `src` of the README's `<iframe>` line, as a path and query on the site.
    static func readmeFrameTarget() throws -> String {
        let readme = try ReadmeTests.readme
        let line = try #require(readme.split(separator: "\n").first { $0.hasPrefix("<iframe ") })
        let source = try #require(line.firstRange(of: #"src=""#).map { line[$0.upperBound...] })
        let url = try #require(URL(string: String(source.prefix { $0 != "\"" })))
        #expect(url.path == "/embed")
        return url.path + (url.query.map { "?" + $0 } ?? "")
    }

    @Test func anotherOriginFramesTheBannerAndReadsTheSummary() throws {
        let warta = try WartaProcess(["--demo", "--frame-ancestors", "'self'",
                                      "--embed-ancestors", "https://www.imigrasi.example",
                                      "--base-url", "https://status.imigrasi.example"])
        defer { warta.stop() }

        let banner = parseCurlResponse(try curl(["-i", warta.baseURL + (try Self.readmeFrameTarget())]))
        #expect(banner.status == 200)
        #expect(banner.headers["content-type"] == "text/html; charset=utf-8")
        #expect(Self.frameAncestors(banner) == "https://www.imigrasi.example")
        #expect(banner.body.contains(#"<p class="banner o-"#))
        #expect(banner.body.contains(#"target="_top""#))
        #expect(!banner.body.contains("<script"))
        let front = parseCurlResponse(try curl(["-i", warta.baseURL + "/?lang=en"]))
        #expect(Self.frameAncestors(front) == "'self'")
        #expect(front.body.contains(#"<meta property="og:url" content="https://status.imigrasi.example/?lang=en">"#))

        let origin = "Origin: https://www.imigrasi.example"
        let preflight = parseCurlResponse(try curl([
            "-i", "-X", "OPTIONS", "-H", origin, "-H", "Access-Control-Request-Method: GET",
            "-H", "Access-Control-Request-Headers: if-none-match", warta.baseURL + "/api/v2/summary.json",
        ]))
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-origin"] == "*")
        #expect(preflight.headers["access-control-allow-headers"] == "if-none-match")
        let summary = parseCurlResponse(try curl(["-i", "-H", origin, warta.baseURL + "/api/v2/summary.json"]))
        #expect(summary.status == 200)
        #expect(summary.headers["access-control-allow-origin"] == "*")
        #expect(summary.body.hasPrefix(#"{"page":"#))

        let text = parseCurlResponse(try curl(["-i", warta.baseURL + "/status.txt?lang=en"]))
        #expect(text.status == 200)
        #expect(text.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(text.headers["access-control-allow-origin"] == "*")
        #expect(!text.body.isEmpty && text.body.count <= 160, "\(text.body.count): \(text.body)")
    }

    @Test func embedAncestorsThatWouldInjectADirectiveAreRefused() throws {
        let run = try PublicPagesEndToEndTests.runUntilExit(["serve", "--port", "0", "--embed-ancestors", "*; script-src *"])
        #expect(run.status != nil && run.status != 0, "exit status \(run.status.map(String.init) ?? "none: still running")")
        #expect(run.standardError.contains("embed-ancestors"), "\(run.standardError)")
        #expect(!run.standardOutput.contains("listening"))
    }
}
