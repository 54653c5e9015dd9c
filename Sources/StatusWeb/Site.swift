import HTTPServer
import StatusCore

/// Warta's routes: what each public and management path answers.
public enum Site {
    /// The router for a store and its assets, built once and then frozen.
    public static func router(store: Store, assets: Assets) -> Router {
        var router = Router()
        router.get("/healthz") { _, _ in
            .blocking { health(store) }
        }
        router.setFallback { request, _ in
            guard request.method == .get || request.method == .head else {
                if assets[request.path] != nil {
                    return .response(.problem(.methodNotAllowed,
                        detail: "\(request.method) is not allowed on \(request.path); allowed: GET, HEAD.",
                        headers: [.allow: "GET, HEAD"]))
                }
                return .response(.problem(.notFound, detail: "Nothing is found at \(request.path)."))
            }
            guard let asset = assets[request.path] else {
                return .response(.problem(.notFound, detail: "Nothing is found at \(request.path)."))
            }
            return .response(Assets.response(for: asset, to: request))
        }
        return router
    }

    /// `GET /healthz`: 200 when the database answers, 503 when it does not, so a load
    /// balancer takes the instance out of rotation.
    static func health(_ store: Store) -> HTTPResponse {
        let database: String
        let status: HTTPStatus
        switch store.check() {
        case .success:
            (database, status) = ("ok", .ok)
        case .failure(let error):
            (database, status) = ("\(error)", .serviceUnavailable)
        }
        let body = "{\"status\":\(jsonString(status == .ok ? "ok" : "error")),"
            + "\"version\":\(jsonString(Version.current)),\"database\":\(jsonString(database))}"
        return HTTPResponse(status: status, headers: [
            .contentType: "application/json",
            .cacheControl: "no-store",
        ], body: Array(body.utf8))
    }
}
