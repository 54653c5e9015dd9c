/// The fuzz targets and the properties each checks on one input. libFuzzer runs them in
/// `make fuzz`; `make test` replays every file of `Fuzz/corpus/` and `Fuzz/regressions/`
/// through the same checks, so a regression input is never forgotten.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case httpRequestParser = "http-request-parser"
    case formBody = "form-body"
    case jsonBody = "json-body"

    /// Runs the target's checks on `bytes`; throws the first property the input breaks.
    public func check(_ bytes: [UInt8]) throws {
        switch self {
        case .httpRequestParser: try checkHTTPRequestParser(bytes)
        case .formBody: try checkFormBody(bytes)
        case .jsonBody: try checkJSONBody(bytes)
        }
    }

    /// `check`, for libFuzzer: a broken property stops the run with its description.
    public func checkOrTrap(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        do {
            try check(Array(UnsafeBufferPointer(start: data, count: size)))
        } catch {
            preconditionFailure("\(rawValue): \(error)")
        }
    }
}
