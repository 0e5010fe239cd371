import Foundation
import Hummingbird
import KefuModel

/// `POST /auth/login` body.
struct LoginBody: Decodable {
    var username: String
    var password: String
}

/// `POST /auth/refresh` body.
struct RefreshBody: Decodable {
    var refreshToken: String
    enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
}

extension Gateway {
    /// Staff login, token refresh and logout: `/api/v1/auth/…`.
    func addAuthRoutes(_ router: Router<GatewayRequestContext>) {
        let api = RouteGroup(router: router, prefix: "/api/v1/auth", catalog: catalog)
        api.post("login") { request, context in
            let body = try await RequestBody.decode(LoginBody.self, from: request, limit: gateway.maxJSONBytes)
            guard body.username.count <= 64, body.password.count <= 128 else {
                throw APIError.unauthorized("wrong username or password")
            }
            let client = context.clientIP(request, trustProxy: gateway.trustProxy)
            try await limitLogin(body.username, client: client, context: context)
            let found = try await accounts.credentials(username: body.username)
            var matches = false
            if let found {
                matches = try await accounts.hasher.verify(body.password, hash: found.hash)
            } else {
                await accounts.hasher.imitateVerify()
            }
            guard let account = found?.account, matches else {
                await countFailedLogin(client: client, context: context)
                throw APIError.unauthorized("wrong username or password")
            }
            guard !account.disabled else { throw APIError.forbidden("this account is disabled; ask an admin") }
            let pair = try await tokens.issue(account: account.agentID.uuid)
            return try jsonResponse(LoginResult(tokens: pair, account: account))
        }
        api.post("refresh") { request, _ in
            let body = try await RequestBody.decode(RefreshBody.self, from: request, limit: gateway.maxJSONBytes)
            guard let pair = try await tokens.refresh(body.refreshToken) else {
                throw APIError.unauthorized("the refresh token is invalid, expired or revoked; log in again")
            }
            return try jsonResponse(pair)
        }
        api.post("logout") { request, _ in
            let staff = try await staff(request)
            try await tokens.revoke(family: staff.family)
            return noContent()
        }
    }
}

extension Gateway {
    /// Takes a token from the bucket of this username from this client (so guessing from one client is
    /// slowed down while the account's owner, elsewhere, can still log in), and refuses a client whose
    /// failed logins emptied its own bucket; 429 with `Retry-After` either way.
    func limitLogin(_ username: String, client: String, context: GatewayRequestContext) async throws {
        do {
            try await limiter.check("loginfail:\(client)", limit: gateway.loginFailureRate)
            try await limiter.take("login:\(username.lowercased().prefix(64)):\(client)", limit: gateway.loginRate)
        } catch let error as APIError {
            throw error
        } catch {
            context.logger.warning("rate limit unavailable; letting the request through", metadata: ["error": "\(error)"])
        }
    }

    /// Takes a token from the client's failed-login bucket.
    func countFailedLogin(client: String, context: GatewayRequestContext) async {
        do {
            try await limiter.take("loginfail:\(client)", limit: gateway.loginFailureRate)
        } catch {
            context.logger.debug("failed login not counted", metadata: ["error": "\(error)"])
        }
    }
}

/// The answer to a login: the token pair and the account.
struct LoginResult: Encodable {
    var tokens: TokenStore.Pair
    var account: Account

    func encode(to encoder: any Encoder) throws {
        try tokens.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(account, forKey: .account)
    }

    enum CodingKeys: String, CodingKey { case account }
}
