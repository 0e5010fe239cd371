import Foundation
import KefuModel
import Synchronization
import Testing
import TestSupport

/// `kefu-gateway-bench` against a gateway whose routing (the stand-in) loses one message: the benchmark
/// must fail, and still end its sessions and disable the accounts it created.
@Suite(.serialized)
struct GatewayBenchTests {
    @Test func partialDeliveryFailsTheBenchAndItCleansUp() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let sessions = Mutex<[String: String]>([:])
        let agentID = Mutex<String?>(nil)
        let seq = Mutex(2)
        harness.responder.answer { request in
            switch (request.type, request.name) {
            case ("query.request", "sessions.mine"):
                return .success(.object(["items": .array([])]))
            case ("query.request", "history.page"):
                return .success(.object(["items": .array([.object(["seq": 1])]), "last_seq": 99]))
            case ("agent.set_status", _):
                agentID.withLock { $0 = request.data["agent_id"]?.stringValue }
                return .success(.object([:]))
            case ("visitor.end", _):
                return .success(.object([:]))
            case ("visitor.message", _):
                guard let visitor = request.data["visitor_id"]?.stringValue, let text = request.data["text"]?.stringValue,
                      let clientID = request.data["client_message_id"]?.stringValue else { return nil }
                let session = sessions.withLock { $0[visitor, default: UUID().uuidString.lowercased()] }
                sessions.withLock { $0[visitor] = session }
                let base: [String: JSONValue] = ["session_id": .string(session), "channel": "web-pc", "visitor_id": .string(visitor)]
                if text == "人工", let agent = agentID.withLock({ $0 }) {
                    try? await harness.publishEvent("session.created", base.merging(["seq": 1]) { $1 })
                    try? await harness.publishEvent("session.assigned", base.merging(["seq": 2, "agent_id": .string(agent)]) { $1 })
                } else if !clientID.hasSuffix("-0-2") {
                    let next = seq.withLock { $0 += 1; return $0 }
                    try? await harness.publishEvent("message.accepted", base.merging([
                        "seq": .integer(Int64(next)), "sender": "visitor", "client_message_id": .string(clientID), "text": .string(text),
                    ]) { $1 })
                }
                return .success(.object(["session_id": .string(session)]))
            default:
                return nil
            }
        }
        _ = try await harness.login()
        let process = Process()
        process.executableURL = TestProcess.product("kefu-gateway-bench")
        process.arguments = ["--gateway", harness.base(), "--visitors", "2", "--agents", "1", "--messages", "3", "--wait", "3"]
        process.environment = ProcessInfo.processInfo.environment.merging(["KEFU_BENCH_ADMIN_PASSWORD": GatewayHarness.adminPassword]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0, "the bench exited 0 after losing a message:\n\(text)")
        #expect(text.contains("delivered 5 of 6"), "\(text)")
        #expect(harness.responder.requests.filter { $0.type == "visitor.end" }.count == 2, "\(text)")
        #expect(harness.responder.requests.contains { $0.type == "agent.set_status" && $0.data["status"]?.stringValue == "offline" })
        let admin = try await harness.login()
        let accounts = try await harness.request("GET", "/api/v1/admin/accounts", token: admin.access)
        guard case .array(let items)? = accounts.json?["items"] else { Issue.record("no accounts: \(accounts.text)"); return }
        let bench = items.filter { $0["username"]?.stringValue?.hasPrefix("bench") == true }
        #expect(bench.count == 1)
        #expect(bench.allSatisfy { $0["disabled"] == .bool(true) }, "\(bench)")
    }
}
