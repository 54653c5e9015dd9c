import Foundation

/// An instant from ISO 8601 text with or without milliseconds, e.g. `2026-11-29T05:31:03.123Z`,
/// read by Foundation so that it is independent of the timestamp code under test.
public func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
    return date
}
