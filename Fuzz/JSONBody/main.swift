import FuzzChecks
import FuzzSupport

/// libFuzzer's entry: the checks of `FuzzTarget.jsonBody` (Fuzz/Checks/) on every input.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.jsonBody.checkOrTrap(data, size)
    return 0
}

// Last, so that the globals above are initialized before libFuzzer calls in.
runFuzzer(fuzz)
