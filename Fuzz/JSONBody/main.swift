import FuzzSupport
@testable import StatusWeb

/// Fuzzes JSON bodies, from bytes to the fields the management API reads.
///
/// Beyond "does not crash": every value the parser accepts writes back to JSON that parses
/// to the same value.
func fuzzJSONBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let value = try? JSONParser.parse(bytes) { checkDecodedBody(value) }
    return 0
}

// Last, so that the globals above are initialized before libFuzzer calls in.
runFuzzer(fuzzJSONBody)
