import Foundation
import HTTPServer
import Testing
@testable import StatusWeb

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValueInOrder() throws {
        let value = try JSONParser.parse(Array(#" {"b": [1, -2.5e3, true, false, null], "a": "x\"\u00e9\ud83d\ude00\n"} "#.utf8))
        #expect(value == .object([
            ("b", .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
            ("a", .string("x\"é😀\n")),
        ]))
    }

    /// Found while fuzzing (Fuzz/regressions/json-body-huge-exponent): a number far outside
    /// Double's range is valid JSON; it is kept as sent and written back unchanged, and the
    /// field readers refuse it as a number rather than trap.
    /// What the fuzz targets check of every accepted body: written back as JSON (with the
    /// writer's HTML-safe escapes), it parses to the same value.
    @Test func writtenBackItParsesToTheSameValue() throws {
        let value = BodyValue.object([
            ("metadata", .object([("<key & \"quote\">", .array([.string("</script>\u{2028}\n"), .number("-1.5e3"),
                                                             .bool(true), .null]))])),
        ])
        #expect(value.jsonText == #"{"metadata":{"\u003ckey \u0026 \"quote\"\u003e":["\u003c/script\u003e\u2028\n",-1.5e3,true,null]}}"#)
        #expect(try JSONParser.parse(Array(value.jsonText.utf8)) == value)
    }

    @Test func hugeExponentIsKeptAsSent() throws {
        let input = "[1.57777777E7777777777777777777]"
        let value = try JSONParser.parse(Array(input.utf8))
        #expect(value == .array([.number("1.57777777E7777777777777777777")]))
        #expect(value.jsonText == input)
        let body = try JSONParser.parse(Array(#"{"component": {"position": 1e999999999999}}"#.utf8))
        let fields = try #require(try FieldReader(body, root: "component"))
        #expect(throws: APIError.self) { try fields.int("position") }
    }

    @Test(arguments: [
        ("{\"a\":1,}", "a member name was expected"),
        ("[1,]", "a value was expected"),
        ("{\"a\":1,\"a\":2}", "appears twice"),
        ("01", "unexpected text"),
        ("\"\u{01}\"", "control character"),
        ("\"\\ud800\"", "low surrogate"),
        ("\"\\x\"", "invalid escape"),
        ("{\"a\" 1}", "\":\" was expected"),
        ("nul", "invalid literal"),
        ("1.", "decimal point"),
        ("", "a value was expected"),
        ("{} {}", "unexpected text"),
    ])
    func refusesInvalidJSON(input: String, expected: String) {
        #expect {
            _ = try JSONParser.parse(Array(input.utf8))
        } throws: { error in
            (error as? BodySyntaxError)?.message.contains(expected) == true
        }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: BodySyntaxError.self) { _ = try JSONParser.parse([0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: BodySyntaxError.self) { _ = try JSONParser.parse(Array(deep.utf8)) }
        let allowed = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { _ = try JSONParser.parse(Array(allowed.utf8)) }
    }
}

@Suite struct FormParserTests {
    @Test func decodesBracketsIntoNestedObjectsAndLists() throws {
        let body = "incident%5Bname%5D=DB+down&incident[components][abc123def456]=major_outage"
            + "&incident[component_ids][]=abc123def456&incident[component_ids][]=zzz&incident[body]=a%26b%3Dc"
        let value = try FormParser.parse(Array(body.utf8))
        #expect(value == .object([("incident", .object([
            ("name", .string("DB down")),
            ("components", .object([("abc123def456", .string("major_outage"))])),
            ("component_ids", .array([.string("abc123def456"), .string("zzz")])),
            ("body", .string("a&b=c")),
        ]))]))
    }

    @Test(arguments: [
        "a=1&a=2",
        "a=1&a[b]=2",
        "a[b]=1&a[]=2",
        "a[b=1",
        "[x]=1",
        "a=%zz",
        "a=%ff",
    ])
    func refusesAmbiguousOrBrokenForms(_ body: String) {
        #expect(throws: BodySyntaxError.self) { _ = try FormParser.parse(Array(body.utf8)) }
    }
}

@Suite struct FieldReaderTests {
    static func reader(_ json: String) throws -> FieldReader {
        try #require(try FieldReader(JSONParser.parse(Array(json.utf8)), root: "incident"))
    }

    @Test func readsTypedFieldsAndNamesTheFieldOnError() throws {
        let reader = try Self.reader(#"{"incident": {"name": "x", "deliver_notifications": false, "limit": 5, "scheduled_for": "2026-11-29T21:59:00.000+07:00", "description": null}}"#)
        #expect(try reader.string("name") == "x")
        #expect(try reader.bool("deliver_notifications") == false)
        #expect(try reader.int("limit") == 5)
        #expect(try reader.date("scheduled_for") == .some(Date(timeIntervalSince1970: 1_795_964_340)))
        #expect(try reader.nullableString("description") == .some(nil))
        #expect(try reader.string("missing") == nil)
        #expect(throws: APIError.invalid("incident[name]", "incident[name] must be true or false, not \"x\".")) {
            _ = try reader.bool("name")
        }
    }

    @Test func formStringsReadAsBooleansAndNumbers() throws {
        let value = try FormParser.parse(Array("incident[deliver_notifications]=0&incident[limit]=7&incident[flag]=maybe".utf8))
        let reader = try #require(try FieldReader(value, root: "incident"))
        #expect(try reader.bool("deliver_notifications") == false)
        #expect(try reader.int("limit") == 7)
        #expect(throws: APIError.self) { _ = try reader.bool("flag") }
    }

    @Test func badDateIsRefusedWithTheFieldName() throws {
        let reader = try Self.reader(#"{"incident": {"scheduled_for": "tomorrow"}}"#)
        #expect {
            _ = try reader.date("scheduled_for")
        } throws: { error in
            (error as? APIError)?.field == "incident[scheduled_for]" && (error as? APIError)?.status == .unprocessableContent
        }
    }
}

@Suite struct RequestBodyTests {
    @Test func contentTypeDecidesTheDecoder() throws {
        var request = HTTPRequest(method: .post, target: "/", path: "/", headers: [.contentType: "application/json; charset=utf-8"],
                                  body: Array(#"{"a":"b"}"#.utf8))
        #expect(try RequestBody.decode(request) == .object([("a", .string("b"))]))
        request.headers.set(.contentType, "application/x-www-form-urlencoded")
        request.body = Array("a=b".utf8)
        #expect(try RequestBody.decode(request) == .object([("a", .string("b"))]))
        request.headers.set(.contentType, "text/plain")
        #expect {
            _ = try RequestBody.decode(request)
        } throws: { error in
            (error as? APIError)?.status == .unsupportedMediaType
        }
        request.headers.set(.contentType, "application/json")
        request.body = Array("{".utf8)
        #expect {
            _ = try RequestBody.decode(request)
        } throws: { error in
            (error as? APIError)?.status == .badRequest
        }
    }
}
