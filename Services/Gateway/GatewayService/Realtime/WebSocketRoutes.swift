import Hummingbird

extension Gateway {
    /// Serves `GET /api/v1/visitor/ws` or `/api/v1/agent/ws` for an authenticated `principal`: refuses
    /// origins outside `KEFU_CORS_ORIGINS` (other than the gateway's own host) with 403, a plain GET with 426,
    /// a malformed handshake with 400; otherwise switches the connection to a WebSocket and serves it until
    /// either side closes. Every refusal is the API's JSON error, on any request of a keep-alive connection.
    ///
    /// The socket is served by a task of its own, and this request's task ends right after the switch: a
    /// request's task stays as large as its deepest chain of async frames (server, responder, middleware,
    /// router, route) for as long as it lives, ≈ 17 KiB a socket. The switched connection's bridge keeps the
    /// HTTP layer from closing it as it finishes (see ``WebSocketBridge``).
    func webSocket(_ request: Request, context: GatewayRequestContext, principal: Principal) async throws -> Response {
        guard originAllowed(request) else {
            throw APIError(.forbidden, "origin_not_allowed", "this origin is not in KEFU_CORS_ORIGINS")
        }
        guard WebSocketUpgrade.isRequested(request) else {
            throw APIError(.upgradeRequired, "upgrade_required", "open this URL as a WebSocket")
        }
        let key = try WebSocketUpgrade.key(request)
        guard let channel = context.channel else { throw APIError.unavailable("this connection cannot be upgraded") }
        let socket = await openSubscriber(
            principal, resume: Self.resumePoints(request.query("resume")), monitor: request.query("monitor") == "1")
        let connection: WebSocketConnection
        do {
            connection = try await WebSocketUpgrade.switchProtocols(channel: channel, key: key, maxMessageBytes: 64 * 1024, sink: socket.input)
        } catch {
            await socket.cleanup()
            throw error
        }
        let gateway = self
        Task { await gateway.serveWebSocket(socket, connection: connection) }
        return Response(status: .switchingProtocols)
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
