import Foundation
import Hummingbird
import Logging
import NIOCore

/// The outermost responder: CORS (allow-list), per-IP rate limit on the API, security headers on every
/// response, and the JSON error shape for whatever the router throws.
struct GatewayResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == GatewayRequestContext {
    typealias Context = GatewayRequestContext

    let inner: Inner
    let corsOrigins: Set<String>
    let limiter: RateLimiter
    let ipRate: GatewayConfiguration.RateLimit
    let trustProxy: Bool

    /// Paths that may be framed by the allowed origins (the visitor widget's page).
    static func isWidgetPage(_ path: String) -> Bool {
        path == "/chat" || path.hasPrefix("/chat/") || path == "/widget.js"
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let isAPI = path.hasPrefix("/api/")
        let origin = request.headers[.origin]
        let allowedOrigin = origin.flatMap { corsOrigins.contains($0) ? $0 : nil }
        var response: Response
        if let problem = RequestTarget.problem(path: path, query: request.uri.query) {
            response = problem.response()
            response.headers[.connection] = "close"
        } else if request.method == .options, isAPI, origin != nil {
            response = preflight(allowed: allowedOrigin != nil)
        } else {
            do {
                if isAPI { try await limitIP(request, context: context) }
                response = try await inner.respond(to: request, context: context)
                if response.status.code >= 400, response.headers[.contentType] == nil {
                    // The router answers an unknown path with a bare 404: give it the API's error shape.
                    response = APIError.framework(response.status, request: request).response()
                }
            } catch let error as APIError {
                response = error.response()
            } catch let error as any HTTPResponseError {
                response = APIError.framework(error.status, request: request).response()
            } catch {
                context.logger.error("request failed", metadata: ["path": "\(path)", "error": "\(error)"])
                response = APIError(.internalServerError, "internal_error", "the gateway failed to handle the request").response()
            }
        }
        if let allowedOrigin, isAPI {
            response.headers[.accessControlAllowOrigin] = allowedOrigin
            response.headers[.accessControlExposeHeaders] = "Retry-After, Content-Disposition"
            response.headers[.vary] = "Origin"
        }
        addSecurityHeaders(&response, path: path, isAPI: isAPI)
        if WebSocketUpgrade.isRequested(request), response.status != .switchingProtocols {
            // The HTTP parser stops after an upgrade request: a refused one ends the connection.
            response.headers[.connection] = "close"
        }
        return response
    }

    private func preflight(allowed: Bool) -> Response {
        guard allowed else {
            return APIError(.forbidden, "origin_not_allowed", "this origin is not in KEFU_CORS_ORIGINS").response()
        }
        return Response(status: .noContent, headers: [
            .accessControlAllowMethods: "GET, POST, PUT, PATCH, DELETE, OPTIONS",
            .accessControlAllowHeaders: "Authorization, Content-Type, Idempotency-Key, Last-Event-ID",
            .accessControlMaxAge: "600",
        ])
    }

    private func limitIP(_ request: Request, context: Context) async throws {
        let ip = context.clientIP(request, trustProxy: trustProxy)
        do {
            try await limiter.take("ip:\(ip)", limit: ipRate)
        } catch let error as APIError {
            throw error
        } catch {
            context.logger.warning("rate limit unavailable; letting the request through", metadata: ["error": "\(error)"])
        }
    }


    private func addSecurityHeaders(_ response: inout Response, path: String, isAPI: Bool) {
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        if isAPI {
            response.headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
            response.headers[.xFrameOptions] = "DENY"
        } else if Self.isWidgetPage(path) {
            let ancestors = (["'self'"] + corsOrigins.sorted()).joined(separator: " ")
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors \(ancestors)"
        } else {
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'"
            response.headers[.xFrameOptions] = "DENY"
        }
    }
}

extension HTTPFields.Element.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let lastEventID = Self("Last-Event-ID")!
    static let idempotencyKey = Self("Idempotency-Key")!
}
