import Hummingbird
import Synchronization

/// Every `(method, path)` the gateway serves, recorded as routes are added, so a test can check them
/// against `docs/openapi.yaml`.
public final class RouteCatalog: Sendable {
    private let entries = Mutex<[(method: String, path: String)]>([])

    /// Creates an empty catalog.
    public init() {}

    func record(_ method: HTTPRequest.Method, _ path: String) {
        entries.withLock { $0.append((method.rawValue, path)) }
    }

    /// The routes, in the order they were added; paths use `{name}` for parameters, as OpenAPI does.
    public var routes: [(method: String, path: String)] { entries.withLock { $0 } }
}

/// Adds routes under a path prefix and records them in the catalog.
struct RouteGroup {
    let router: Router<GatewayRequestContext>
    let prefix: String
    let catalog: RouteCatalog

    typealias Handler = @Sendable (Request, GatewayRequestContext) async throws -> Response

    func on(_ path: String, method: HTTPRequest.Method, _ handler: @escaping Handler) {
        let full = path.isEmpty ? prefix : prefix + "/" + path
        router.on(RouterPath(full), method: method, use: handler)
        let documented = full.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
        catalog.record(method, "/" + documented.joined(separator: "/"))
    }

    func get(_ path: String, _ handler: @escaping Handler) { on(path, method: .get, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { on(path, method: .post, handler) }
    func put(_ path: String, _ handler: @escaping Handler) { on(path, method: .put, handler) }
    func patch(_ path: String, _ handler: @escaping Handler) { on(path, method: .patch, handler) }
    func delete(_ path: String, _ handler: @escaping Handler) { on(path, method: .delete, handler) }
}
