@testable import HTTPServer
import Testing

/// Entity tags are the length and two standard checksums, so their values can be checked
/// against the checksums' published check values.
@Suite struct EntityTagTests {
    @Test func theTagIsTheLengthTheCRC32AndTheAdler32OfTheBytes() {
        // "123456789": CRC-32 check value cbf43926 (ISO-HDLC), Adler-32 091e01de.
        #expect(EntityTag.strong(for: Array("123456789".utf8)) == #""9-cbf43926091e01de""#)
        // Empty: CRC-32 0, Adler-32 1.
        #expect(EntityTag.strong(for: []) == #""0-0000000000000001""#)
    }

    @Test func oneChangedByteChangesTheTag() {
        let page = Array(repeating: UInt8(ascii: "a"), count: 100_000)
        var changed = page
        changed[54_321] = UInt8(ascii: "b")
        #expect(EntityTag.strong(for: page) != EntityTag.strong(for: changed))
        #expect(EntityTag.strong(for: page) == EntityTag.strong(for: Array(page)))
    }
}
