import Foundation
import Hummingbird
import KefuModel

/// Reads request bodies with the API's rules: a size limit (413), JSON only (415), valid UTF-8 (400
/// `invalid_utf8`), well-formed JSON (400 `malformed_json`), an object at the top, and typed fields
/// (400 `missing_field` / `invalid_field` naming the field).
enum RequestBody {
    /// Collects at most `limit` bytes, or throws 413.
    static func bytes(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.tooLarge(limit: limit)
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.tooLarge(limit: limit)
        }
    }

    /// Decodes the JSON body as `T` (an empty body decodes as `{}`).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the body as application/json")
        }
        var bytes = try await bytes(request, limit: limit)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { bytes = Array("{}".utf8) }
        return try decode(type, bytes: bytes)
    }

    /// Decodes `bytes` as `T` with the API's error mapping.
    static func decode<T: Decodable>(_ type: T.Type, bytes: [UInt8]) throws -> T {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw APIError.badRequest("invalid_utf8", "the body is not valid UTF-8")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw APIError.badRequest("malformed_json", "the body is not well-formed JSON")
        }
        guard value.objectValue != nil else {
            throw APIError.badRequest("invalid_body", "the body must be a JSON object")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as APIError {
            throw error
        } catch let error as ContractError {
            throw APIError.badRequest(error.code, error.description)
        } catch let error as DecodingError {
            let mapped = DecodingErrorMapper.map(error, bytes: bytes)
            throw APIError.badRequest(mapped.code, mapped.description)
        }
    }
}

/// A JSON response with `status`.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(
        status: status,
        headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
        body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

/// An empty `204 No Content`.
func noContent() -> Response {
    Response(status: .noContent, headers: [.cacheControl: "no-store"])
}

extension Request {
    /// A query parameter.
    func query(_ name: String) -> String? {
        uri.queryParameters[Substring(name)].map(String.init)
    }

    /// A UUID path parameter, or 404 when it is not one.
    func uuidParameter<Tag>(_ name: String, _ context: some RequestContext, as: Identifier<Tag>.Type = Identifier<Tag>.self) throws -> Identifier<Tag> {
        guard let text = context.parameters.get(name), let id = Identifier<Tag>(text) else {
            throw APIError.notFound("not_found", "`\(name)` must be a UUID")
        }
        return id
    }
}
