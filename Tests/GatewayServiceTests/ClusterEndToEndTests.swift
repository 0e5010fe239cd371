import Foundation
import KefuModel
import Redis
import Testing
import TestSupport

/// The five real service binaries on a 3-master Redis Cluster (started by the test) with
/// `KEFU_STREAM_PARTITIONS=6`: a visitor's message and request for a human reach routing through the
/// partitioned `inbound` stream, and the agent's workbench on the gateway is told of the assignment.
@Suite(.serialized)
struct ClusterEndToEndTests {
    @Test func visitorMessageIsAssignedToAnAgentOnAClusterWithSixPartitions() async throws {
        let cluster = try await ClusterTestServer()
        let harness: GatewayHarness
        do {
            harness = try await GatewayHarness(redisURL: cluster.url, partitions: 6)
        } catch {
            await cluster.cleanup()
            throw error
        }
        do {
            for service in ["routing", "store", "knowledge", "reporting"] { try await harness.launchService(service) }
            let names = harness.names
            var owners: Set<Int> = []
            for stream in names.partitions(of: .inbound) { owners.insert(try await cluster.owner(of: ClusterKeySlot.slot(of: stream))) }
            #expect(owners.count == 3, "the partitions of inbound span the three masters")
            #expect(try await harness.redis.send(["GET", names.partitionKey]).string == "6")

            let admin = try await harness.login()
            let agent = try await harness.makeAgent("ling", admin: admin.access)
            let workbench = SocketProbe(url: "\(harness.wsBase(0))/api/v1/agent/ws", bearer: agent.access)
            #expect(await workbench.wait { $0.contains { $0["type"]?.stringValue == "hello" } }, "\(workbench.received)")
            var online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
            let accepted = try await harness.eventually(timeout: .seconds(20)) {
                if online.status == 200 { return true }
                try await Task.sleep(for: .milliseconds(200))
                online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
                return online.status == 200
            }
            #expect(accepted, "status: \(online.status) \(online.text)")

            let visitor = try await harness.visitor(instance: 0)
            let widget = SocketProbe(url: "\(harness.wsBase(0))/api/v1/visitor/ws?token=\(visitor.token)")
            #expect(await widget.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
            let first = try await harness.request(
                "POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": "c1", "text": "你好"]))
            #expect(first.status == 200, "\(first.text)")
            #expect(await widget.wait(timeout: .seconds(20)) { frames in frames.contains { $0["event"]?.stringValue == "session.created" } },
                    "\(widget.received)")
            let session = try #require(widget.received.first { $0["event"]?.stringValue == "session.created" }?["session_id"]?.stringValue)
            let human = try await harness.request(
                "POST", "/api/v1/visitor/request-human", token: visitor.token, json: .object(["session_id": .string(session)]))
            #expect(human.status == 200, "\(human.text)")
            #expect(await workbench.wait(timeout: .seconds(20)) { frames in
                frames.contains { $0["event"]?.stringValue == "session.assigned" && $0["session_id"]?.stringValue == session }
            }, "workbench: \(workbench.received)")
            // The visitor's entries went to partitions of inbound (counted by `entries-added`, which trimming does
            // not lower), none to the unpartitioned name.
            var added: Int64 = 0
            for stream in names.partitions(of: .inbound) {
                let info = try await harness.redis.send(["XINFO", "STREAM", stream]).array ?? []
                added += info.firstIndex { $0.string == "entries-added" }.flatMap { info[$0 + 1].int } ?? 0
            }
            #expect(added >= 2, "inbound partitions received the visitor's entries: \(added)")
            #expect(try await harness.redis.send(["EXISTS", names.inbound]).int == 0)
            await widget.close()
            await workbench.close()
        } catch {
            await harness.shutdown()
            await cluster.cleanup()
            throw error
        }
        await harness.shutdown()
        await cluster.cleanup()
    }

    @Test func aServiceRefusesToStartOnAClusterWithUncoveredSlots() async throws {
        let cluster = try await ClusterTestServer(assignSlots: false)
        do {
            _ = try await cluster.command(cluster.nodes[0].port, ["CLUSTER", "ADDSLOTSRANGE", "0", "8191"]).throwingOnError()
            let process = try TestProcess(executable: TestProcess.product("kefu-routing"), environment: [
                "REDIS_URL": cluster.url, "DATABASE_URL": "postgres://kefu:secret@127.0.0.1:1/kefu",
                "HTTP_PORT": "\(HTTPProbe.freePort())", "KEFU_STREAM_PREFIX": "{uncovered}", "KEFU_STREAM_PARTITIONS": "6",
            ])
            defer { process.terminate() }
            #expect(await process.waitForExit(timeout: .seconds(20)) == 2)
            let lines = process.output().split(separator: "\n").filter { $0.contains("slots have no master") }
            #expect(lines == ["kefu-routing: Redis Cluster unavailable: 8192 of 16384 slots have no master (slots 8192-16383); assign every slot (redis-cli --cluster fix) before starting"], "\(process.output())")
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }
}
