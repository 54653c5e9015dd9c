import Foundation
import HTTPServer
@testable import StatusWeb

/// A form body's properties: one the parser accepts decodes to the same value as its JSON
/// form (so a client gets the same answer whichever it sends), and every field reader takes
/// it without trapping.
func checkFormBody(_ bytes: [UInt8]) throws {
    _ = FormDecoding.pairs(Substring(decoding: bytes, as: UTF8.self))
    if let value = try? FormParser.parse(bytes) { try checkDecodedBody(value) }
}

/// A JSON body's properties: every value the parser accepts writes back to JSON that parses
/// to the same value, and every field reader takes it without trapping.
func checkJSONBody(_ bytes: [UInt8]) throws {
    if let value = try? JSONParser.parse(bytes) { try checkDecodedBody(value) }
}

/// The checks every decoded body must pass: written back as JSON it parses to the same value
/// (so a form body and its JSON form are read alike), and every field reader takes it
/// without trapping.
func checkDecodedBody(_ value: BodyValue) throws {
    let json = Array(value.jsonText.utf8)
    let again: BodyValue
    do { again = try JSONParser.parse(json) } catch {
        throw PropertyViolation("the JSON form of an accepted body does not parse: \(error)")
    }
    try require(again == value, "the JSON form of an accepted body decodes differently")
    readEveryField(value)
}

/// Runs a decoded body through every reader the management API applies to a write, as the
/// handlers do before touching the store. Each may throw `APIError`; none may trap.
func readEveryField(_ body: BodyValue) {
    let now = Date(timeIntervalSince1970: 1_718_866_740)
    typealias API = ManagementAPI.Handlers
    for root in ["incident", "component", "component_group", "page", "subscriber"] {
        guard let fields = try? FieldReader(body, root: root) else { continue }
        _ = try? API.incidentPatch(fields, now: now)
        _ = try? API.componentStatuses(fields)
        _ = try? API.nextUpdate(fields, now: now)
        _ = try? API.translations(fields)
        _ = try? API.metadata(fields)
        _ = try? API.headerLinks(fields)
        for name in fields.fieldNames {
            _ = try? fields.string(name)
            _ = try? fields.bool(name)
            _ = try? fields.int(name)
            _ = try? fields.date(name)
            _ = try? fields.stringArray(name)
            _ = try? fields.stringMap(name)
            _ = try? fields.nested(name)
        }
    }
}
