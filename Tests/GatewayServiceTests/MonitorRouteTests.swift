import Foundation
import KefuModel
import Testing

/// The supervisor monitor (监控) through the gateway with the real `kefu-routing` and `kefu-reporting`: an admin
/// creates a supervisor, who reads the snapshot, gets the queue and assignment events on a monitor socket with
/// today's counters, and ends a session; agents get 403 and the supervisor gets no admin settings.
@Suite(.serialized)
struct MonitorRouteTests {
    @Test func supervisorWatchesAndEnds() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.launchService("routing")
        try await harness.launchService("reporting")
        let admin = try await harness.login()
        let created = try await harness.request("POST", "/api/v1/admin/accounts", token: admin.access, json: .object([
            "username": "boss", "display_name": "主管", "role": "supervisor", "password": "boss-password-1", "capacity": .integer(0),
        ]))
        #expect(created.status == 201 && created.json?["role"]?.stringValue == "supervisor", "\(created.text)")
        let boss = try await harness.login("boss", "boss-password-1")
        let agent = try await harness.makeAgent("mona", admin: admin.access)
        var online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
        let accepted = try await harness.eventually(timeout: .seconds(15)) {
            if online.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(200))
            online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
            return online.status == 200
        }
        #expect(accepted, "status: \(online.status) \(online.text)")
        let workbench = SocketProbe(url: "\(harness.wsBase())/api/v1/agent/ws", bearer: agent.access)
        #expect(await workbench.wait { $0.contains { $0["type"]?.stringValue == "hello" } })

        #expect(try await harness.request("GET", "/api/v1/supervisor/monitor", token: agent.access).status == 403)
        #expect(try await harness.request("GET", "/api/v1/admin/settings", token: boss.access).status == 403)

        let monitor = SocketProbe(url: "\(harness.wsBase())/api/v1/agent/ws?monitor=1", bearer: boss.access)
        #expect(await monitor.wait { $0.contains { $0["type"]?.stringValue == "hello" && $0["monitor"] == .bool(true) } })

        let visitor = try await harness.visitor()
        let human = try await harness.request("POST", "/api/v1/visitor/request-human", token: visitor.token, json: .object([:]))
        #expect(human.status == 200, "\(human.text)")
        let session = try #require(human.json?["session_id"]?.stringValue)
        #expect(await monitor.wait(timeout: .seconds(15)) { frames in
            frames.contains { $0["event"]?.stringValue == "session.assigned" && $0["data"]?["session_id"]?.stringValue == session }
        }, "\(monitor.received)")

        let snapshot = try await harness.request("GET", "/api/v1/supervisor/monitor", token: boss.access)
        #expect(snapshot.status == 200, "\(snapshot.text)")
        let agents = snapshot.json?["agents"]
        var mona: JSONValue?
        if case .array(let list)? = agents { mona = list.first { $0["agent_id"]?.stringValue == agent.agentID } }
        #expect(mona?["load"] == .integer(1) && mona?["status"]?.stringValue == "online", "\(snapshot.text)")
        if case .array(let sessions)? = mona?["sessions"] {
            #expect(sessions.map { $0["session_id"]?.stringValue } == [session])
        } else {
            Issue.record("no sessions: \(snapshot.text)")
        }
        var queue: JSONValue?
        if case .array(let queues)? = snapshot.json?["queues"] { queue = queues.count == 1 ? queues[0] : nil }
        #expect(queue?["group"] == .null && queue?["length"] == .integer(0), "\(snapshot.text)")
        #expect(snapshot.json?["totals"]?["load"] == .integer(1))

        let read = try await harness.request("GET", "/api/v1/supervisor/sessions/\(session)", token: boss.access)
        #expect(read.status == 200 && read.json?["agent_id"]?.stringValue == agent.agentID, "\(read.text)")
        let notMine = try await harness.request("POST", "/api/v1/supervisor/sessions/\(session)/transfer", token: agent.access,
                                                 json: .object(["to_agent_id": .string(agent.agentID)]))
        #expect(notMine.status == 403)

        // 内部备注 from the monitor: the supervisor writes into a session they do not serve; the serving agent sees it.
        let note = try await harness.request("POST", "/api/v1/agent/sessions/\(session)/notes", token: boss.access,
                                             json: .object(["client_note_id": "mon-1", "text": "请核对订单号"]))
        #expect(note.status == 200, "\(note.text)")
        #expect(note.json?["seq"]?.intValue != nil, "\(note.text)")
        #expect(await workbench.wait(timeout: .seconds(15)) { frames in
            frames.contains { $0["event"]?.stringValue == "note.added" && $0["data"]?["text"]?.stringValue == "请核对订单号" }
        }, "\(workbench.received)")

        let end = try await harness.request("POST", "/api/v1/supervisor/sessions/\(session)/end", token: boss.access)
        #expect(end.status == 200, "\(end.text)")
        #expect(await monitor.wait(timeout: .seconds(15)) { frames in
            frames.contains { $0["event"]?.stringValue == "session.ended" && $0["data"]?["session_id"]?.stringValue == session }
        })
        #expect(await monitor.wait(timeout: .seconds(15)) { frames in
            frames.contains { $0["type"]?.stringValue == "monitor.counters" && $0["counters"]?["sessions"] == .integer(1) }
        }, "\(monitor.received)")
        #expect(await workbench.wait { frames in frames.contains { $0["event"]?.stringValue == "session.ended" } })
        let again = try await harness.request("POST", "/api/v1/supervisor/sessions/\(session)/end", token: boss.access)
        #expect(again.status == 409 && again.errorCode == "session_not_active", "\(again.text)")
        await monitor.close()
        await workbench.close()
    }
}
