import Foundation

/// A short text document a Warta server publishes, read by one GET: `warta verify --key URL`
/// reads the signing key from `/.well-known/warta-signing-key` this way.
///
/// Like a probe (`HTTPFetch`), it connects wherever the URL leads, loopback included: the
/// operator typed the URL on their own machine, so there is no one to guard against.
/// Redirects to http and https are followed (a site moved to https).
public enum PublishedText {
    /// The body of a 200 answer from `url`, at most `limit` bytes, as UTF-8.
    /// - Throws: `PublishedTextError` naming what went wrong.
    public static func read(_ url: String, timeout: TimeInterval = 10, limit: Int = 4096) throws(PublishedTextError) -> String {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            throw PublishedTextError("\(url) is not an http(s) URL")
        }
        let fetch = HTTPFetch(url: url, followRedirects: true, timeout: timeout, bodyLimit: limit)
        switch fetch.perform() {
        case .failure(let failure):
            throw PublishedTextError("\(url): \(failure)")
        case .success(let response) where response.status != 200:
            throw PublishedTextError("\(url): HTTP \(response.status)")
        case .success(let response):
            return String(decoding: response.body, as: UTF8.self)
        }
    }
}

/// Why `PublishedText.read` has no text.
public struct PublishedTextError: Error, Equatable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
