import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// RFC 8259 §7 escaping plus the HTML/JavaScript-safe escapes, structure and numbers.
@Suite struct JSONWriterTests {
    static func written(_ body: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter(timestampFormat: ZonedTimestamp(timeZoneIdentifier: "Etc/UTC"))
        body(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static let escapes: [(String, String)] = [
        ("plain text", #""plain text""#),
        ("", #""""#),
        ("\"", #""\"""#),
        ("\\", #""\\""#),
        ("\n", #""\n""#),
        ("\r", #""\r""#),
        ("\t", #""\t""#),
        ("\u{08}", #""\b""#),
        ("\u{0C}", #""\f""#),
        ("\u{00}", #""\u0000""#),
        ("\u{01}", #""\u0001""#),
        ("\u{1F}", #""\u001f""#),
        ("<", #""\u003c""#),
        (">", #""\u003e""#),
        ("&", #""\u0026""#),
        ("</script><!--", #""\u003c/script\u003e\u003c!--""#),
        ("\u{2028}", #""\u2028""#),
        ("\u{2029}", #""\u2029""#),
        ("a\u{2028}b\u{2029}c", #""a\u2028b\u2029c""#),
        // Neighbours of U+2028 in UTF-8 (E2 80 A7, E2 80 AA) pass through.
        ("\u{2027}\u{202A}", "\"\u{2027}\u{202A}\""),
        ("/", #""/""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("é 日本 🚀", "\"é 日本 🚀\""),
        ("Tom & \"Jerry\"\n<b>", #""Tom \u0026 \"Jerry\"\n\u003cb\u003e""#),
    ]

    @Test(arguments: escapes)
    func escapesString(_ input: String, _ expected: String) throws {
        let output = Self.written { $0.string(input) }
        #expect(output == expected)
        // And any JSON parser reads the original back.
        let parsed = try JSONSerialization.jsonObject(with: Data(output.utf8), options: .fragmentsAllowed)
        #expect(parsed as? String == input)
    }

    @Test func structureCommasAndNulls() {
        let output = Self.written { writer in
            writer.beginObject()
            writer.field("a", 1)
            writer.nullField("b")
            writer.key("c")
            writer.beginArray()
            writer.bool(true)
            writer.bool(false)
            writer.string("x")
            writer.beginObject()
            writer.endObject()
            writer.beginArray()
            writer.endArray()
            writer.endArray()
            writer.field("d", nil as String?)
            writer.field("e", "v" as String?)
            writer.field("f", timestamp: nil)
            writer.field("g", -42)
            writer.key("h")
            writer.raw(Array(#"{"x":[1]}"#.utf8))
            writer.endObject()
        }
        #expect(output == #"{"a":1,"b":null,"c":[true,false,"x",{},[]],"d":null,"e":"v","f":null,"g":-42,"h":{"x":[1]}}"#)
    }

    @Test func keysKeepTheOrderWritten() {
        let output = Self.written { writer in
            writer.beginObject()
            for _ in 0..<1 {
                writer.field("zeta", true)
                writer.field("alpha", false)
                writer.field("mid", 0)
            }
            writer.endObject()
        }
        #expect(output == #"{"zeta":true,"alpha":false,"mid":0}"#)
    }

    @Test func timestampValue() {
        let output = Self.written { writer in
            writer.beginArray()
            writer.timestamp(instant("2024-09-16T22:08:39.333Z"))
            writer.endArray()
        }
        #expect(output == #"["2024-09-16T22:08:39.333Z"]"#)
    }

    static let decimals: [(Double, String)] = [
        (275.0 / 3.0, "91.667"),
        (87.5, "87.5"),
        (100, "100"),
        (0, "0"),
        (99.9996, "100"),
        (99.9994, "99.999"),
        (0.05, "0.05"),
        (-1.25, "-1.25"),
        (-0.0001, "0"),
        (95.20672368845807, "95.207"),
        (.nan, "null"),
        (.infinity, "null"),
    ]

    @Test(arguments: decimals)
    func decimal(_ value: Double, _ expected: String) {
        #expect(Self.written { $0.decimal(value) } == expected)
    }

    @Test func keysFromDataAreEscapedAndStringObjectsAreSorted() {
        let output = Self.written { writer in
            writer.beginObject()
            writer.key(string: "a\"<b>")
            writer.object(["id": "Gangguan <b>", "en": "Outage & more"])
            writer.endObject()
        }
        #expect(output == #"{"a\"\u003cb\u003e":{"en":"Outage \u0026 more","id":"Gangguan \u003cb\u003e"}}"#)
    }

    @Test func quotedIsTheSameEscapingAsABody() {
        #expect(JSONWriter.quoted("line\n<script> & \"x\"") == #""line\n\u003cscript\u003e \u0026 \"x\"""#)
    }

    /// Problem details (RFC 9457) are written by the same writer: the management API's `field`
    /// member comes after the standard ones, and `detail` is escaped like every other string.
    @Test func problemDetailsUseTheWriter() {
        let response = APIError(.unprocessableContent, "incident[name] is <empty>.", field: "incident[name]").response
        #expect(response.status == .unprocessableContent)
        #expect(response.headers[.contentType] == "application/problem+json")
        #expect(response.headers[.cacheControl] == "no-store")
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"type":"about:blank","title":"Unprocessable Content","status":422,"#
            + #""detail":"incident[name] is \u003cempty\u003e.","field":"incident[name]"}"#)
        let notFound = HTTPResponse.notFound("/nothing")
        #expect(String(decoding: notFound.body, as: UTF8.self)
            == #"{"type":"about:blank","title":"Not Found","status":404,"detail":"Nothing is found at /nothing."}"#)
    }
}
