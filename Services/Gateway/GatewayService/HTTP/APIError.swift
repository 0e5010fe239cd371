import Foundation
import Hummingbird

/// An error the API answers with `{ "error": { "code", "message" } }` and a 4xx or 5xx status.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable snake_case code.
    public var code: String
    /// A sentence a person can act on.
    public var message: String
    /// Extra response headers (e.g. `Retry-After`).
    public var headers: HTTPFields

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// 400 with `code`.
    public static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code, message) }
    /// 401: no usable credentials.
    public static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, "unauthorized", message, headers: [.wwwAuthenticate: "Bearer"])
    }
    /// 403: authenticated but not allowed.
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    /// 404 with `code`.
    public static func notFound(_ code: String = "not_found", _ message: String) -> APIError { APIError(.notFound, code, message) }
    /// 409 with `code`.
    public static func conflict(_ code: String, _ message: String) -> APIError { APIError(.conflict, code, message) }
    /// 413: body over `limit` bytes.
    public static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, "payload_too_large", "the request body must be at most \(limit) bytes")
    }
    /// 504: the service did not answer in time.
    public static func upstreamTimeout(_ service: String) -> APIError {
        APIError(.gatewayTimeout, "upstream_timeout", "the \(service) service did not answer in time; try again")
    }
    /// 503: a dependency is down.
    public static func unavailable(_ message: String) -> APIError { APIError(.serviceUnavailable, "unavailable", message) }

    /// The JSON response.
    public func response() -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body())))
    }

    /// The JSON body bytes.
    public func body() -> [UInt8] {
        let object = ["error": ["code": code, "message": message]]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(object)) ?? Data(#"{"error":{"code":"internal_error","message":"error"}}"#.utf8))
    }

    /// The API error for a status the framework raised (no route, body too large…).
    static func framework(_ status: HTTPResponse.Status, request: Request) -> APIError {
        switch status {
        case .notFound: return .notFound("not_found", "no route for \(request.method) \(request.uri.path)")
        case .methodNotAllowed: return APIError(status, "method_not_allowed", "\(request.method) is not allowed here")
        case .contentTooLarge: return APIError(status, "payload_too_large", "the request body is too large")
        case .badRequest: return .badRequest("bad_request", "the request is malformed")
        default: return APIError(status, "http_\(status.code)", status.reasonPhrase)
        }
    }

    /// The status for a service's refusal code, as `docs/queries.md` defines (specific codes map by suffix).
    public static func status(forCode code: String) -> HTTPResponse.Status {
        switch code {
        case "forbidden", "not_your_actor", "visitor_blocked": return .forbidden
        case "cannot_block_self", "cannot_block_agent", "category_too_deep", "overflow_cycle", "agent_in_no_group": return .badRequest
        case "payload_too_large": return .contentTooLarge
        case "unsupported_file", "file_type_not_allowed": return .unsupportedMediaType
        case "session_not_active", "not_your_session", "agent_unavailable", "agent_full", "rating_repeated",
             "rating_not_invited", "version_conflict", "already_claimed", "duplicate_keyword", "queue_full",
             "no_service", "transfer_to_self_conflict", "feedback_repeated", "category_deleted":
            return .conflict
        default: break
        }
        if code.hasPrefix("unknown_") || code.hasSuffix("_not_found") { return .notFound }
        if code.hasPrefix("invalid_") || code.hasSuffix("_out_of_range") || code == "transfer_to_self" { return .badRequest }
        if code.hasSuffix("_conflict") || code.hasPrefix("already_") || code.hasPrefix("duplicate_") { return .conflict }
        if code.hasSuffix("_forbidden") { return .forbidden }
        if code.hasSuffix("_too_large") { return .contentTooLarge }
        return .badGateway
    }
}
