import Foundation
import KefuModel
import Testing

/// Logins, token refresh and revocation, and accounts, against a running gateway.
@Suite(.serialized)
struct AuthTests {
    @Test func loginRefreshLogoutAndRevocation() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }

        let wrong = try await harness.request("POST", "/api/v1/auth/login", json: .object(["username": "admin", "password": "nope-nope"]))
        #expect(wrong.status == 401)
        #expect(wrong.errorCode == "unauthorized")
        let unknown = try await harness.request("POST", "/api/v1/auth/login", json: .object(["username": "ghost", "password": "whatever1"]))
        #expect(unknown.status == 401)

        let first = try await harness.login()
        let me = try await harness.request("GET", "/api/v1/admin/accounts", token: first.access)
        #expect(me.status == 200, "\(me.text)")

        let refreshed = try await harness.request("POST", "/api/v1/auth/refresh", json: .object(["refresh_token": .string(first.refresh)]))
        #expect(refreshed.status == 200)
        let second = try #require(refreshed.json?["access_token"]?.stringValue)
        let secondRefresh = try #require(refreshed.json?["refresh_token"]?.stringValue)
        #expect(second != first.access)
        #expect(try await harness.request("GET", "/api/v1/admin/accounts", token: first.access).status == 401, "old access token still works")
        #expect(try await harness.request("GET", "/api/v1/admin/accounts", token: second).status == 200)

        // Reusing a rotated refresh token revokes the whole login.
        let reuse = try await harness.request("POST", "/api/v1/auth/refresh", json: .object(["refresh_token": .string(first.refresh)]))
        #expect(reuse.status == 401)
        #expect(try await harness.request("GET", "/api/v1/admin/accounts", token: second).status == 401)
        #expect(try await harness.request("POST", "/api/v1/auth/refresh", json: .object(["refresh_token": .string(secondRefresh)])).status == 401)

        // Logout revokes that login only.
        let a = try await harness.login()
        let b = try await harness.login()
        #expect(try await harness.request("POST", "/api/v1/auth/logout", token: a.access).status == 204)
        #expect(try await harness.request("GET", "/api/v1/admin/accounts", token: a.access).status == 401)
        #expect(try await harness.request("POST", "/api/v1/auth/refresh", json: .object(["refresh_token": .string(a.refresh)])).status == 401)
        #expect(try await harness.request("GET", "/api/v1/admin/accounts", token: b.access).status == 200)

        // Garbage tokens.
        for token in ["kfa_nope", "v1.x.y", "", "Bearer"] {
            #expect(try await harness.request("GET", "/api/v1/agent/sessions", token: token).status == 401)
        }
    }

    @Test func accountsPublishUpsertAgentAndDisableRevokes() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("alice", admin: admin.access)

        let duplicate = try await harness.request("POST", "/api/v1/admin/accounts", token: admin.access, json: .object([
            "username": "ALICE", "display_name": "x", "role": "agent", "password": "another-password",
        ]))
        #expect(duplicate.status == 409)
        #expect(duplicate.errorCode == "username_taken")
        let badCapacity = try await harness.request("PATCH", "/api/v1/admin/accounts/\(agent.agentID)", token: admin.access, json: .object(["capacity": 99]))
        #expect(badCapacity.status == 400)
        let wrongType = try await harness.request("PATCH", "/api/v1/admin/accounts/\(agent.agentID)", token: admin.access, json: .object(["capacity": "five"]))
        #expect(wrongType.status == 400)
        #expect(wrongType.errorCode == "invalid_field", "\(wrongType.text)")

        let renamed = try await harness.request("PATCH", "/api/v1/admin/accounts/\(agent.agentID)", token: admin.access, json: .object([
            "display_name": "小王", "capacity": 7,
        ]))
        #expect(renamed.status == 200)
        #expect(renamed.json?["display_name"]?.stringValue == "小王")

        let published = try await harness.eventually {
            let commands = try await harness.entries("commands").filter { $0["type"]?.stringValue == "admin.upsert_agent" }
            return commands.contains { $0["data"]?["agent_id"]?.stringValue == agent.agentID && $0["data"]?["capacity"]?.intValue == 7 }
        }
        #expect(published, "admin.upsert_agent with the new capacity was not published")

        let disabled = try await harness.request("PATCH", "/api/v1/admin/accounts/\(agent.agentID)", token: admin.access, json: .object(["disabled": true]))
        #expect(disabled.status == 200)
        #expect(try await harness.request("GET", "/api/v1/agent/queue", token: agent.access).status == 401)
        let login = try await harness.request("POST", "/api/v1/auth/login", json: .object(["username": "alice", "password": "agent-password-1"]))
        #expect(login.status == 403)
        let disabledEvent = try await harness.eventually {
            try await harness.entries("commands").contains {
                $0["data"]?["agent_id"]?.stringValue == agent.agentID && $0["data"]?["enabled"] == .bool(false)
            }
        }
        #expect(disabledEvent)

        let selfLockout = try await harness.request("PATCH", "/api/v1/admin/accounts/\(admin.agentID)", token: admin.access, json: .object(["disabled": true]))
        #expect(selfLockout.status == 409)
    }

    @Test func passwordGuessingIsLimitedPerUsername() async throws {
        let harness = try await GatewayHarness(["KEFU_RATE_LOGIN_PER_MIN": "6", "KEFU_RATE_LOGIN_BURST": "3"])
        defer { Task { await harness.shutdown() } }
        var statuses: [Int] = []
        for _ in 0..<6 {
            statuses.append(try await harness.request("POST", "/api/v1/auth/login", json: .object(["username": "victim", "password": "guess-guess"])).status)
        }
        #expect(statuses.prefix(3).allSatisfy { $0 == 401 }, "\(statuses)")
        #expect(statuses.suffix(2).allSatisfy { $0 == 429 }, "\(statuses)")
        let other = try await harness.request("POST", "/api/v1/auth/login", json: .object(["username": "someone", "password": "guess-guess"]))
        #expect(other.status == 401)
    }
}
