import Foundation
import HTTPServer
import StatusCore

/// `GET /.well-known/warta-signing-key` (the `.well-known` space, RFC 8615): the public key
/// that signs the site's static copies, as one line of base64, so anyone can check a mirror
/// with `warta verify DIR --key https://status.example/.well-known/warta-signing-key`.
extension StatusRoutes {
    static let signingKeyPath = "/" + CopyManifest.publicKeyPath

    /// How long a cache may keep the key: it changes only by `warta key create --replace`.
    static let signingKeyMaxAge = 300
    /// How long a cache may keep the answer that there is no key: a key made a minute ago
    /// should show soon.
    static let missingSigningKeyMaxAge = 60

    static func registerSigningKey(on router: inout Router, store: Store) {
        // Read from the database on each request, off the event loop, as tokens are:
        // `warta key create` writes the file from another process while the server runs.
        router.get(signingKeyPath) { request, _ in
            .blocking { signingKeyResponse(store: store, request: request) }
        }
    }

    static func signingKeyResponse(store: Store, request: HTTPRequest) -> HTTPResponse {
        let stored: (key: PublicSigningKey, createdAt: Date)?
        do {
            stored = try store.publicSigningKey()
        } catch {
            return unavailable(error)
        }
        guard let stored else {
            return HTTPResponse(status: .notFound, headers: [
                .contentType: "text/plain; charset=utf-8",
                .cacheControl: "public, max-age=\(missingSigningKeyMaxAge)",
            ], body: Array("This site has no signing key; its copies are unsigned.\n".utf8))
        }
        return Representation(body: CopyManifest.publicKeyFile(stored.key), headers: [
            .contentType: "text/plain; charset=utf-8",
            .cacheControl: "public, max-age=\(signingKeyMaxAge), stale-if-error=\(Snapshot.staleIfError)",
            .xContentTypeOptions: "nosniff",
        ], lastModified: Int(stored.createdAt.timeIntervalSince1970), compress: false).response(to: request)
    }
}
