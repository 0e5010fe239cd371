import Foundation
import Hummingbird

/// The operational endpoints every service serves on its HTTP port.
///
/// - `GET /health`: 200 while the process runs (liveness).
/// - `GET /ready`: 200 when Redis and PostgreSQL are reachable, migrations applied and consumer groups
///   joined; 503 otherwise. The body lists each check.
/// - `GET /metrics`: Prometheus text format.
public enum OperationalRoutes {
    /// Adds the three routes to `router`.
    public static func add<Context: RequestContext>(
        to router: Router<Context>, service: String, readiness: Readiness
    ) {
        router.get("health") { _, _ in
            jsonResponse(.ok, ["status": "ok", "service": service])
        }
        router.get("ready") { _, _ in
            let checks = readiness.checks
            let ready = checks.values.allSatisfy { $0 }
            return jsonResponse(ready ? .ok : .serviceUnavailable, ["ready": ready, "service": service, "checks": checks])
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: Observability.prometheusText())))
        }
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
