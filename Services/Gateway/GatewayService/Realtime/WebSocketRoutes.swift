import Hummingbird
import HummingbirdWebSocket

extension Gateway {
    /// The two sockets: `/api/v1/visitor/ws` (visitor token) and `/api/v1/agent/ws` (access token). The
    /// token comes from `Authorization` or, for browsers, the `token` query parameter of the upgrade;
    /// `resume=<session>:<seq>,…` may resume at once. Upgrades from origins outside `KEFU_CORS_ORIGINS`
    /// (other than the gateway's own host) are refused.
    func addWebSocketRoutes(_ router: Router<GatewayRequestContext>) {
        router.ws("/api/v1/visitor/ws") { request, context in
            guard originAllowed(request), await underIPLimit(request, context),
                  (try? auth.visitor(request, allowQuery: true)) != nil else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let visitor = try? auth.visitor(context.request, allowQuery: true) else { return }
            try await serveWebSocket(
                .visitor(visitor), resume: Self.resumePoints(context.request.query("resume")), inbound: inbound, outbound: outbound)
        }
        router.ws("/api/v1/agent/ws") { request, context in
            guard originAllowed(request), await underIPLimit(request, context),
                  (try? await auth.staff(request, allowQuery: true)) != nil else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let staff = try? await auth.staff(context.request, allowQuery: true) else { return }
            try await serveWebSocket(
                .staff(staff), resume: Self.resumePoints(context.request.query("resume")), inbound: inbound, outbound: outbound)
        }
    }

    /// Whether the client's IP bucket has a token for this upgrade (a refused upgrade falls through to the
    /// HTTP route, which answers 429 with `Retry-After` when the bucket is still empty). A Redis failure lets
    /// it through, as for HTTP requests.
    func underIPLimit(_ request: Request, _ context: GatewayRequestContext) async -> Bool {
        let ip = context.clientIP(request, trustProxy: gateway.trustProxy)
        do {
            try await limiter.take("ip:\(ip)", limit: gateway.ipRate)
            return true
        } catch is APIError {
            return false
        } catch {
            return true
        }
    }

    /// Same host (any scheme or port), an allowed origin, or no `Origin` (not a browser).
    func originAllowed(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        if gateway.corsOrigins.contains(origin) { return true }
        guard let authority = request.head.authority, let schemeEnd = origin.range(of: "://") else { return false }
        return Self.hostOnly(origin[schemeEnd.upperBound...]) == Self.hostOnly(Substring(authority))
    }

    /// `host` from `host[:port]` (or `[v6]:port`), lowercased.
    static func hostOnly(_ authority: Substring) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return authority[...close].lowercased()
        }
        return (authority.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "").lowercased()
    }
}
