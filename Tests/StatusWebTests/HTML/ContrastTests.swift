import Foundation
import Testing
@testable import StatusWeb

/// WCAG 2.2 AA contrast of the built-in style sheet, in both themes: text 4.5:1 against
/// every background it is shown on (SC 1.4.3), the uptime bar's colours 3:1 against the
/// page (SC 1.4.11). Read from `Public/style.css` itself, so a colour change that breaks
/// contrast fails here.
@Suite struct ContrastTests {
    /// The custom properties of the first `:root { … }` after `marker` in the style sheet.
    static func palette(after marker: String) throws -> [String: String] {
        let css = String(decoding: try #require(try Assets()["/style.css"]).contents, as: UTF8.self)
        let start = try #require(css.range(of: marker))
        let root = try #require(css[start.upperBound...].range(of: ":root {"))
        let end = try #require(css[root.upperBound...].firstIndex(of: "}"))
        var colors: [String: String] = [:]
        for declaration in css[root.upperBound..<end].split(separator: ";") {
            let parts = declaration.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if parts.count == 2, parts[0].hasPrefix("--"), parts[1].hasPrefix("#") { colors[parts[0]] = parts[1] }
        }
        return colors
    }

    static func ratio(_ a: String, _ b: String) throws -> Double {
        let first = SnapshotPages.relativeLuminance(try #require(SnapshotPages.hexColor(a)))
        let second = SnapshotPages.relativeLuminance(try #require(SnapshotPages.hexColor(b)))
        return (max(first, second) + 0.05) / (min(first, second) + 0.05)
    }

    @Test(arguments: ["light", "dark"])
    func textAndStatusColoursMeetAA(_ theme: String) throws {
        let light = try Self.palette(after: "/*")
        let dark = try Self.palette(after: "prefers-color-scheme: dark")
        // The dark theme overrides some properties; the rest keep their light values.
        let colors = theme == "light" ? light : light.merging(dark) { $1 }
        func color(_ name: String) throws -> String { try #require(colors[name], "\(name) in the \(theme) theme") }
        let statuses = ["--ok", "--minor", "--major", "--critical", "--maint"]
        for background in ["--bg", "--card"] {
            for text in ["--fg", "--muted"] + statuses {
                let ratio = try Self.ratio(color(text), color(background))
                #expect(ratio >= 4.5, "\(theme): \(text) on \(background) is \(ratio):1")
            }
        }
        // The overall banner writes the background colour on the status colour.
        for status in statuses {
            let ratio = try Self.ratio(color("--bg"), color(status))
            #expect(ratio >= 4.5, "\(theme): --bg on \(status) is \(ratio):1")
            #expect(try Self.ratio(color(status), color("--bg")) >= 3, "\(theme): bar \(status)")
        }
    }

    @Test func themeTextColourFollowsTheAccent() {
        #expect(SnapshotPages.themeCSS(accent: "#0B5CAD") == ":root{--accent:#0b5cad;--accent-fg:#ffffff}\n")
        #expect(SnapshotPages.themeCSS(accent: "#f5d90a") == ":root{--accent:#f5d90a;--accent-fg:#000000}\n")
        #expect(SnapshotPages.themeCSS(accent: nil) == ":root{}\n")
        #expect(SnapshotPages.themeCSS(accent: "red;}body{display:none") == ":root{}\n")
    }
}
