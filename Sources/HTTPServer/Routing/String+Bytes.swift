#if canImport(Glibc)
import Glibc
#endif

/// Paths compared as their UTF-8 bytes, which is what they are once percent-decoded.
/// `String`'s own `==`, `hasPrefix` and `hasSuffix` compare by Unicode canonical
/// equivalence, which for two separately made strings costs several times the `memcmp`
/// these are; routing does it on every request.
extension String {
    /// Whether both strings hold the same bytes.
    public func sameBytes(as other: String) -> Bool {
        var (left, right) = (self, other)
        return left.withUTF8 { a in
            right.withUTF8 { b in
                a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }

    /// `hasPrefix` on the bytes.
    public func startsWithBytes(_ prefix: StaticString) -> Bool { hasBytes(prefix, atEnd: false) }

    /// `hasSuffix` on the bytes.
    public func endsWithBytes(_ suffix: StaticString) -> Bool { hasBytes(suffix, atEnd: true) }

    private func hasBytes(_ expected: StaticString, atEnd: Bool) -> Bool {
        let count = expected.utf8CodeUnitCount
        var text = self
        return text.withUTF8 { bytes in
            guard bytes.count >= count else { return false }
            guard count > 0, let base = bytes.baseAddress else { return true }
            return memcmp(base + (atEnd ? bytes.count - count : 0), expected.utf8Start, count) == 0
        }
    }
}
