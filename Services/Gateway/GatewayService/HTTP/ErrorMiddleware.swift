import Hummingbird
import Logging

/// Turns every error thrown by a route into the API's JSON error shape, so clients see one format.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as any HTTPResponseError {
            return Self.translate(error.status, request: request).response()
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return APIError(.internalServerError, "internal_error", "the gateway failed to handle the request").response()
        }
    }

    /// The API error for a framework error status.
    static func translate(_ status: HTTPResponse.Status, request: Request) -> APIError {
        switch status {
        case .notFound: return .notFound("not_found", "no route for \(request.method) \(request.uri.path)")
        case .methodNotAllowed: return APIError(status, "method_not_allowed", "\(request.method) is not allowed here")
        case .contentTooLarge: return APIError(status, "payload_too_large", "the request body is too large")
        case .badRequest: return .badRequest("bad_request", "the request is malformed")
        default: return APIError(status, "http_\(status.code)", status.reasonPhrase)
        }
    }
}
