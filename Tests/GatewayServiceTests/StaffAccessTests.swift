import Foundation
import KefuModel
import Testing

/// Staff access at the edges: login throttling that slows guessing without locking the owner out, a
/// disabled agent losing its sockets at once, and a just-assigned agent reading its history at once.
@Suite(.serialized)
struct StaffAccessTests {
    static func login(_ harness: GatewayHarness, _ username: String, _ password: String, client: String) async throws -> GatewayHarness.Reply {
        try await harness.request(
            "POST", "/api/v1/auth/login", json: .object(["username": .string(username), "password": .string(password)]),
            headers: ["X-Forwarded-For": client])
    }

    @Test func guessingFromOneClientDoesNotLockTheOwnerOut() async throws {
        let harness = try await GatewayHarness([
            "KEFU_TRUST_PROXY": "true", "KEFU_RATE_LOGIN_PER_MIN": "1", "KEFU_RATE_LOGIN_BURST": "5",
            "KEFU_RATE_LOGIN_FAILURES_PER_MIN": "1", "KEFU_RATE_LOGIN_FAILURES_BURST": "8",
        ])
        defer { Task { await harness.shutdown() } }
        let admin = try await harness.login()
        _ = try await harness.makeAgent("carol", admin: admin.access)
        var statuses: [Int] = []
        for _ in 0..<6 { statuses.append(try await Self.login(harness, "carol", "wrong-password", client: "203.0.113.7").status) }
        #expect(statuses == [401, 401, 401, 401, 401, 429], "\(statuses)")
        let owner = try await Self.login(harness, "carol", "agent-password-1", client: "198.51.100.20")
        #expect(owner.status == 200, "the owner from another client is locked out: \(owner.text)")
        // Failed attempts per client, whatever the username: 5 on carol + 3 unknown names empty the bucket.
        for name in ["nobody-1", "nobody-2", "nobody-3"] {
            #expect(try await Self.login(harness, name, "x-password", client: "203.0.113.7").status == 401)
        }
        let blocked = try await Self.login(harness, "nobody-4", "x-password", client: "203.0.113.7")
        #expect(blocked.status == 429)
        #expect(blocked.header("Retry-After") != nil)
        #expect(try await Self.login(harness, "nobody-4", "x-password", client: "198.51.100.21").status == 401)
    }

    @Test func unknownUsernamesCostNoBcrypt() async throws {
        let harness = try await GatewayHarness(["KEFU_BCRYPT_COST": "12", "KEFU_TRUST_PROXY": "true"])
        defer { Task { await harness.shutdown() } }
        _ = try await harness.login()
        let pid = harness.instances[0].process.pid
        func cpuSeconds() throws -> Double {
            let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
            return (Double(fields[11])! + Double(fields[12])!) / 100
        }
        let wrongStart = ContinuousClock.now
        #expect(try await Self.login(harness, "admin", "wrong-password", client: "192.0.2.1").status == 401)
        let wrongDuration = ContinuousClock.now - wrongStart
        let before = try cpuSeconds()
        let started = ContinuousClock.now
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<10 {
                group.addTask { try await Self.login(harness, "ghost-\(index)", "some-password", client: "192.0.2.\(index + 10)").status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - started
        let used = try cpuSeconds() - before
        #expect(statuses.allSatisfy { $0 == 401 })
        #expect(used < 0.5, "10 unknown-user logins used \(used) s of CPU; a bcrypt at cost 12 took \(wrongDuration)")
        #expect(elapsed >= wrongDuration / 3, "an unknown user answers faster (\(elapsed)) than a wrong password (\(wrongDuration))")
    }

    @Test func disablingAnAgentClosesItsSocketsAtOnceOnEveryInstance() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.addInstance()
        harness.responder.answer { request in
            request.name == "sessions.mine" ? .success(.object(["items": .array([])])) : nil
        }
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("dave", admin: admin.access)
        let here = SocketProbe(url: "\(harness.wsBase(0))/api/v1/agent/ws", bearer: agent.access)
        let there = SocketProbe(url: "\(harness.wsBase(1))/api/v1/agent/ws", bearer: agent.access)
        #expect(await here.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        #expect(await there.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        let started = ContinuousClock.now
        let disabled = try await harness.request(
            "PATCH", "/api/v1/admin/accounts/\(agent.agentID)", token: admin.access, json: .object(["disabled": true]))
        #expect(disabled.status == 200, "\(disabled.text)")
        #expect(try await harness.eventually(timeout: .seconds(2)) { here.isClosed }, "the socket on the instance that disabled it stayed open")
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(!there.isClosed)
        // Routing's agent.updated tells every instance.
        try await harness.publishEvent("agent.updated", [
            "agent_id": .string(agent.agentID), "name": "客服dave", "status": "offline", "present": false, "capacity": 3, "load": 0,
            "enabled": false,
        ])
        #expect(try await harness.eventually(timeout: .seconds(3)) { there.isClosed }, "the other instance kept the socket")
        let upsert = try await harness.entries("commands").last { $0["type"]?.stringValue == "admin.upsert_agent" }
        #expect(upsert?["data"]?["enabled"] == .bool(false))
        #expect(try await harness.request("GET", "/api/v1/agent/me", token: agent.access).status == 401)
    }

    @Test func aJustAssignedAgentReadsTheHistoryAtOnce() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("erin", admin: admin.access)
        let other = try await harness.makeAgent("frank", admin: admin.access)
        let session = UUID().uuidString.lowercased()
        // Store has not recorded the assignment yet: it refuses agents, answers admins.
        harness.responder.answer { request in
            switch request.name {
            case "history.page":
                return request.actor?["role"]?.stringValue == "admin"
                    ? .success(.object(["items": .array([]), "last_seq": 1]))
                    : .failure(code: "forbidden", message: "you never served this visitor")
            case "session.get":
                return .success(.object(["session_id": .string(session), "agent_id": .string(agent.agentID), "state": "assigned"]))
            default:
                return nil
            }
        }
        try await harness.publishEvent("session.assigned", [
            "session_id": .string(session), "seq": 2, "channel": "web-pc", "visitor_id": "v_x", "agent_id": .string(agent.agentID),
        ])
        try await Task.sleep(for: .milliseconds(300))
        let history = try await harness.request("GET", "/api/v1/agent/sessions/\(session)/history", token: agent.access)
        #expect(history.status == 200, "\(history.text)")
        let stranger = try await harness.request("GET", "/api/v1/agent/sessions/\(session)/history", token: other.access)
        #expect(stranger.status == 403)
    }
}
