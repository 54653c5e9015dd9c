import FuzzSupport
import HTTPServer
@testable import StatusWeb

/// Fuzzes form bodies (`application/x-www-form-urlencoded` with the bracket convention), from
/// bytes to the fields the management API reads.
///
/// Beyond "does not crash": a body the parser accepts decodes to the same value as its JSON
/// form, so a client gets the same answer whichever it sends.
func fuzzFormBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = FormDecoding.pairs(Substring(decoding: bytes, as: UTF8.self))
    if let value = try? FormParser.parse(bytes) { checkDecodedBody(value) }
    return 0
}

// Last, so that the globals above are initialized before libFuzzer calls in.
runFuzzer(fuzzFormBody)
