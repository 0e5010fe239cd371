import Foundation
import Hummingbird
import KefuModel

/// Finds who is calling from the `Authorization: Bearer …` header (or, for WebSocket upgrades only,
/// the `token` query parameter) and enforces roles.
struct Authenticator: Sendable {
    let tokens: TokenStore
    let secret: [UInt8]

    /// The bearer token of `request`; the query parameter is accepted only when `allowQuery`.
    static func bearer(_ request: Request, allowQuery: Bool = false) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
            return nil
        }
        if allowQuery { return request.query("token") }
        return nil
    }

    /// The visitor calling, or 401.
    func visitor(_ request: Request, allowQuery: Bool = false) throws -> VisitorToken {
        guard let token = Self.bearer(request, allowQuery: allowQuery) else {
            throw APIError.unauthorized("send the visitor token from POST /api/v1/visitor/sessions as `Authorization: Bearer …`")
        }
        guard let visitor = VisitorToken.verify(token, secret: secret) else {
            throw APIError.unauthorized("the visitor token is invalid or expired; start a new visitor session")
        }
        return visitor
    }

    /// The agent or admin calling, or 401; 403 for a valid visitor token, or when `admin` is required and the
    /// caller is an agent.
    func staff(_ request: Request, admin: Bool = false, allowQuery: Bool = false) async throws -> StaffIdentity {
        guard let token = Self.bearer(request, allowQuery: allowQuery) else {
            throw APIError.unauthorized("log in with POST /api/v1/auth/login and send `Authorization: Bearer <access_token>`")
        }
        if VisitorToken.verify(token, secret: secret) != nil {
            throw APIError.forbidden("a visitor token cannot be used here; this route is for agents and admins")
        }
        guard let staff = try await tokens.authenticate(access: token) else {
            throw APIError.unauthorized("the access token is invalid, expired or revoked; refresh it or log in again")
        }
        if admin, staff.role != .admin { throw APIError.forbidden("this needs an admin account") }
        return staff
    }
}
