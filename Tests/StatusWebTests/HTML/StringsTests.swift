import Foundation
import Testing
@testable import StatusWeb

@Suite struct StringsTests {
    @Test func bothLanguagesHaveTheSameKeysAndNoEmptyString() {
        let indonesian = Strings.of(.indonesian).table, english = Strings.of(.english).table
        #expect(Set(indonesian.keys).subtracting(english.keys).isEmpty)
        #expect(Set(english.keys).subtracting(indonesian.keys).isEmpty)
        #expect(indonesian.filter { $0.value.isEmpty }.isEmpty)
        #expect(english.filter { $0.value.isEmpty }.isEmpty)
    }

    /// Every `{{t.key}}` in the built-in templates names a string.
    @Test func everyTemplateStringExists() throws {
        let keys = Set(Strings.of(.english).table.keys)
        let pattern = try NSRegularExpression(pattern: #"\{\{\s*t\.([A-Za-z0-9_]+)\s*\}\}"#)
        var used = 0
        for (name, source) in try Assets().templateSources {
            let range = NSRange(source.startIndex..., in: source)
            for match in pattern.matches(in: source, range: range) {
                let key = String(source[Range(match.range(at: 1), in: source)!])
                used += 1
                #expect(keys.contains(key), "templates/\(name).html uses t.\(key), which no table has")
            }
        }
        #expect(used > 20)
    }

    @Test func placeholdersAreFilled() {
        let strings = Strings.of(.english)
        #expect(strings.format("overdue", ["duration": "47 min", "time": "14:59 WIB"])
            == "Update overdue by 47 min — last update 14:59 WIB")
        #expect(Strings.of(.indonesian).format("next_update", ["time": "16:00 WIB"])
            == "Pembaruan berikutnya paling lambat 16:00 WIB")
    }
}
