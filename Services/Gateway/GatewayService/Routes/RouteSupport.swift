import Foundation
import Hummingbird
import KefuModel
import Postgres

/// Helpers every route uses: authentication with limits, bodies, query parameters and forwarding.
extension Gateway {
    /// The visitor calling (401 otherwise), after taking a token from their rate-limit bucket.
    func visitor(_ request: Request, context: GatewayRequestContext) async throws -> VisitorToken {
        let visitor = try auth.visitor(request)
        try await limitVisitor(visitor, context: context)
        return visitor
    }

    /// Takes a token from the visitor's bucket (429 when empty; let through if Redis is down).
    func limitVisitor(_ visitor: VisitorToken, context: GatewayRequestContext) async throws {
        do {
            try await limiter.take("visitor:\(visitor.channel):\(visitor.visitorID)", limit: gateway.visitorRate)
        } catch let error as APIError {
            throw error
        } catch {
            context.logger.warning("rate limit unavailable; letting the request through", metadata: ["error": "\(error)"])
        }
    }

    /// The agent or admin calling; `admin` requires the admin role (403).
    func staff(_ request: Request, admin: Bool = false) async throws -> StaffIdentity {
        try await auth.staff(request, admin: admin)
    }

    /// The JSON object body as parameters for a pass-through query.
    func objectBody(_ request: Request) async throws -> [String: JSONValue] {
        try await RequestBody.decode(JSONValue.self, from: request, limit: gateway.maxJSONBytes).objectValue ?? [:]
    }

    /// Query parameters: `strings` as strings, `ints` as integers (400 if not), `bools` as booleans.
    func queryParams(
        _ request: Request, strings: [String] = [], ints: [String] = [], bools: [String] = []
    ) throws -> [String: JSONValue] {
        var params: [String: JSONValue] = [:]
        for name in strings { if let value = request.query(name) { params[name] = .string(value) } }
        for name in ints {
            guard let text = request.query(name) else { continue }
            guard let value = Int64(text) else { throw APIError.badRequest("invalid_params", "`\(name)` must be an integer") }
            params[name] = .integer(value)
        }
        for name in bools {
            guard let text = request.query(name) else { continue }
            switch text {
            case "true", "1": params[name] = .bool(true)
            case "false", "0": params[name] = .bool(false)
            default: throw APIError.badRequest("invalid_params", "`\(name)` must be true or false")
            }
        }
        return params
    }

    /// Forwards a query and answers with its result as JSON.
    func forward(
        _ service: ServiceName, _ name: String, actor: Actor, params: [String: JSONValue] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        try jsonResponse(try await forwarder.query(service, name, actor: actor, params: params), status: status)
    }

    /// Runs a state-changing request at most once per (`scope`, `key`): a retry with the same request
    /// gets the first answer; with a different one, 409.
    func idempotent(
        scope: String, key: String, request: some Encodable, _ send: @Sendable (EventID) async throws -> JSONValue
    ) async throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let hash = SHA256.digest(Array(try encoder.encode(request)))
        let flight = scope + "\u{1F}" + key
        var isFirst = true
        let joined = await inFlight.join(flight, hash: hash, displayKey: key)
        if let joined {
            isFirst = false
            switch joined {
            case .response(let status, let body): return Self.replay(status: status, body: body)
            case .failure(let error): throw error
            }
        }
        var outcome: InFlightRequests.Outcome?
        defer { if isFirst { inFlight.finish(flight, outcome) } }
        switch try await idempotency.begin(scope: scope, key: key, hash: hash) {
        case .replay(let status, let body):
            outcome = .response(status: status, body: body)
            return Self.replay(status: status, body: body)
        case .proceed(let id):
            do {
                let result = try await send(id)
                let body = Array(try encoder.encode(result))
                try? await idempotency.finish(scope: scope, key: key, status: 200, body: body)
                outcome = .response(status: 200, body: body)
                return Response(
                    status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(bytes: body)))
            } catch let error as APIError {
                if (400..<500).contains(error.status.code) && error.status != .tooManyRequests {
                    try? await idempotency.finish(scope: scope, key: key, status: error.status.code, body: error.body())
                }
                outcome = .failure(error)
                throw error
            }
        }
    }

    /// A stored answer replayed (`Idempotent-Replay: true`).
    static func replay(status: Int, body: [UInt8]) -> Response {
        Response(
            status: .init(code: status),
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store", .idempotentReplay: "true"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension HTTPFields.Element.Name {
    static let idempotentReplay = Self("Idempotent-Replay")!
}

/// Turns a contract validation failure into a 400 naming the field.
func validated<T>(_ body: () throws(ContractError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw APIError.badRequest(error.code, error.description)
    }
}
