import Foundation
@testable import StatusWeb

/// The checks every decoded body must pass: written back as JSON it parses to the same value
/// (so a form body and its JSON form are read alike), and every field reader takes it
/// without trapping.
public func checkDecodedBody(_ value: BodyValue) {
    let json = Array(value.jsonText.utf8)
    let again: BodyValue
    do { again = try JSONParser.parse(json) } catch {
        preconditionFailure("the JSON form of an accepted body does not parse: \(error)")
    }
    precondition(again == value, "the JSON form of an accepted body decodes differently")
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
