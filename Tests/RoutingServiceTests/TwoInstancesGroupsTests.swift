import Foundation
import KefuModel
import Logging
import Postgres
import Redis
import RoutingService
import Synchronization
import Testing
import TestSupport

/// Skill groups under two `kefu-routing` processes: 3 groups, 60 agents (16 of them in two groups), 2,000
/// visitors across the groups and priorities 0–9, sessions ended by their agent soon after the assignment (a quarter of
/// group c's), until every visitor was served.
/// Group `c` overflows to `a` after 10 s. Checked from the database and the events: no agent ever over capacity,
/// no session with two agents, every assignment to a member of the session's group, FIFO within each
/// (group, priority), and every overflow after the configured wait (not before, and within a few ticks).
@Suite(.serialized) struct TwoInstancesGroupsTests {
    static let visitors = 2_000
    static let overflowSeconds = 10.0

    @Test(.timeLimit(.minutes(10))) func groupsHoldCapacityFIFOAndOverflowAcrossTwoInstances() async throws {
        let redisServer = try await RedisTestServer.shared()
        let database = try await PostgresTestServer.shared().makeDatabase(prefix: "routing_groups")
        let prefix = "g\(UInt32.random(in: 0...UInt32.max))"
        let partitions = ProcessInfo.processInfo.environment["KEFU_STREAM_PARTITIONS"].flatMap(Int.init) ?? 1
        let streams = try StreamNames(prefix: prefix, partitions: partitions)
        var processes: [TestProcess] = []
        var ports: [Int] = []
        for name in ["ga", "gb"] {
            let port = HTTPProbe.freePort()
            ports.append(port)
            processes.append(try TestProcess(executable: TestProcess.product("kefu-routing"), environment: [
                "REDIS_URL": redisServer.url, "DATABASE_URL": database, "HTTP_PORT": "\(port)", "KEFU_STREAM_PREFIX": prefix,
                "KEFU_INSTANCE": name, "KEFU_STREAM_BLOCK_MS": "100", "KEFU_ROUTING_POSITION_MS": "2000",
                "KEFU_DB_POOL_SIZE": "6", "LOG_LEVEL": "warning",
            ]))
        }
        defer { processes.forEach { $0.terminate() } }
        for (index, port) in ports.enumerated() {
            let ready = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60))
            #expect(ready != nil, "instance \(index) not ready: \(processes[index].output())")
        }
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisServer.url), poolSize: 4, logger: Logger(label: "test"))
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: database), logger: Logger(label: "test"))
        let sender = TwoInstancesTests.Sender(redis: redis, names: streams)
        let admin = AgentID.random()

        var settings = RoutingSettings.defaults
        settings.queue.maxLength = 10_000
        settings.queue.timeoutSeconds = 86_400
        settings.session.idleTimeoutSeconds = 0
        settings.session.idleWarningSeconds = 0
        settings.session.presenceGraceSeconds = 3_600
        settings.groups = [
            "a": RoutingGroupSettings(name: "A组"),
            "b": RoutingGroupSettings(name: "B组", agentCapacity: 2),
            "c": RoutingGroupSettings(name: "C组", overflow: RoutingGroupOverflow(afterSeconds: Int(Self.overflowSeconds), to: "a")),
        ]
        try await sender.send([AdminUpdateSettings(actorID: admin, settings: try JSONValue(encoding: settings))], to: streams.commands)
        try await waitUntil(seconds: 60) {
            try await postgres.query("SELECT count(*) FROM routing.groups").first?.decode(Int.self, at: 0) == 3
        }

        // 60 agents: 18 in a, 18 in b, 8 in c, 8 in a+b, 8 in b+c; capacities 1–3.
        let agents = (0..<60).map { _ in AgentID.random() }
        func groups(_ index: Int) -> [String] {
            switch index {
            case 0..<18: ["a"]
            case 18..<36: ["b"]
            case 36..<44: ["c"]
            case 44..<52: ["a", "b"]
            default: ["b", "c"]
            }
        }
        try await sender.send(agents.enumerated().map { index, id in
            AdminUpsertAgent(actorID: admin, agentID: id, name: "客服\(index)", capacity: Int.random(in: 1...3), enabled: true, groups: groups(index))
        }, to: streams.commands)
        try await waitUntil(seconds: 60) {
            try await postgres.query("SELECT count(*) FROM routing.agents").first?.decode(Int.self, at: 0) == agents.count
        }
        try await sender.send(agents.map { AgentSetStatus(agentID: $0, status: .online) }, to: streams.commands)
        try await waitUntil(seconds: 60) {
            try await postgres.query("SELECT count(*) FROM routing.agents WHERE status = 'online'").first?.decode(Int.self, at: 0) == agents.count
        }
        try await sender.send(agents.map { AgentHeartbeat(agentID: $0, ttlSeconds: 300) }, to: streams.commands)
        try await waitUntil(seconds: 60) {
            try await postgres.query("SELECT count(*) FROM routing.agents WHERE present_until > now()").first?.decode(Int.self, at: 0) == agents.count
        }

        let stop = TwoInstancesTests.StopFlag()
        let sampler = Task { () -> (samples: Int, violations: Int) in
            var samples = 0, violations = 0
            while !stop.isSet {
                let bad = try await postgres.query(
                    """
                    SELECT count(*) FROM routing.agents a
                    WHERE a.load > a.capacity
                       OR a.load <> (SELECT count(*) FROM routing.sessions s WHERE s.state = 'assigned' AND s.agent_id = a.id)
                    """).first?.decode(Int.self, at: 0) ?? 0
                samples += 1
                violations += bad
                try await Task.sleep(for: .milliseconds(20))
            }
            return (samples, violations)
        }
        // Sessions of a and b are ended by their agent a little after the assignment, a quarter of c's: slots keep
        // freeing, c's queue backs up and overflows, and everyone is served in the end.
        let ender = Task { () -> Int in
            var tail = EventStreamReader(redis: redis, names: streams)
            var ends = 0
            while !stop.isSet {
                let envelopes = try await tail.next()
                guard !envelopes.isEmpty else {
                    try await Task.sleep(for: .milliseconds(50))
                    continue
                }
                var endings: [AgentEndSession] = []
                for raw in envelopes {
                    guard let header = try? EnvelopeCodec.decodeHeader(raw), header.type == .sessionAssigned,
                          let assigned = try? EnvelopeCodec.decode(raw, as: SessionAssigned.self).data,
                          assigned.group != "c" || Int.random(in: 0..<4) == 0
                    else { continue }
                    endings.append(AgentEndSession(sessionID: assigned.sessionID, agentID: assigned.agentID))
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 100...400)))
                try await sender.send(endings, to: streams.commands)
                ends += endings.count
            }
            return ends
        }

        // 2,000 visitors: 35 % to a, 30 % to b, 35 % to c; priority 0 mostly, some 1–9.
        let visitorGroups = ["a", "a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b", "c", "c", "c", "c", "c", "c", "c"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<8 {
                group.addTask {
                    let messages = stride(from: part, to: Self.visitors, by: 8).map { index in
                        VisitorMessage(
                            channel: "web-pc", visitorID: "visitor-\(index)", clientMessageID: "m-\(index)", content: .text("人工"),
                            priority: index % 3 == 0 ? Int.random(in: 0...9) : 0, group: visitorGroups[index % visitorGroups.count])
                    }
                    for chunk in stride(from: 0, to: messages.count, by: 25) {
                        try await sender.send(Array(messages[chunk..<min(messages.count, chunk + 25)]), to: streams.inbound)
                        try await Task.sleep(for: .milliseconds(30))
                    }
                }
            }
            try await group.waitForAll()
        }
        try await waitUntil(seconds: 180) {
            try await postgres.query("SELECT count(DISTINCT visitor_id) FROM routing.sessions WHERE state <> 'bot'")
                .first?.decode(Int.self, at: 0) == Self.visitors
        }
        // Overflows happen and every queue drains.
        try await waitUntil(seconds: 240) {
            try await postgres.query("SELECT count(*) FROM routing.sessions WHERE state = 'queued'").first?.decode(Int.self, at: 0) == 0
        }
        stop.set()
        let ends = try await ender.value
        let (samples, violations) = try await sampler.value
        #expect(samples > 50)
        #expect(violations == 0, "agents over capacity or with a wrong load in \(violations) samples")

        // Group b's rule: nobody ever served more than 2 of b's visitors at once.
        let bOverCap = try await postgres.query(
            """
            SELECT count(*) FROM routing.session_agents x JOIN routing.assignment_audit au ON au.session_id = x.session_id
              AND au.agent_id = x.agent_id AND au.group_id = 'b'
            WHERE (SELECT count(*) FROM routing.session_agents y JOIN routing.assignment_audit av
                     ON av.session_id = y.session_id AND av.agent_id = y.agent_id AND av.group_id = 'b'
                   WHERE y.agent_id = x.agent_id AND y.assigned_at <= x.assigned_at
                     AND (y.released_at IS NULL OR y.released_at > x.assigned_at)) > 2
            """).first?.decode(Int.self, at: 0)
        #expect(bOverCap == 0)
        // Every assignment went to a member of the session's group.
        let outsiders = try await postgres.query(
            """
            SELECT count(*) FROM routing.assignment_audit au JOIN routing.agents a ON a.id = au.agent_id
            WHERE au.rule <> 'transfer' AND NOT (au.group_id = ANY(a.groups))
            """).first?.decode(Int.self, at: 0)
        #expect(outsiders == 0)
        // No session ever had two agents at once.
        let overlaps = try await postgres.query(
            """
            SELECT count(*) FROM routing.session_agents a JOIN routing.session_agents b
              ON a.session_id = b.session_id AND a.assigned_at < b.assigned_at
             AND (a.released_at IS NULL OR a.released_at > b.assigned_at)
            """).first?.decode(Int.self, at: 0)
        #expect(overlaps == 0)

        // FIFO within each (group, priority) among visitors who came straight to their group (an overflowed visitor
        // keeps their older enqueue time in the new group, by design). Entries stamped within one commit window
        // (under half a second apart) may appear in either order and are counted apart.
        let order = try await postgres.query(
            """
            SELECT au.group_id, s.priority, s.enqueued_at FROM routing.assignment_audit au JOIN routing.sessions s ON s.id = au.session_id
            WHERE au.rule <> 'transfer' AND s.queue_reason = 'keyword'
            ORDER BY au.id
            """).map { (try $0.decode(String.self, at: 0), try $0.decode(Int.self, at: 1), try $0.decode(Date.self, at: 2)) }
        var latest: [String: Date] = [:]
        var inversions = 0, nearInversions = 0
        for (group, priority, enqueued) in order {
            let key = "\(group)/\(priority)"
            if let last = latest[key], enqueued < last {
                if last.timeIntervalSince(enqueued) > 0.5 { inversions += 1 } else { nearInversions += 1 }
            }
            latest[key] = max(latest[key] ?? .distantPast, enqueued)
        }
        #expect(inversions == 0, "assignments out of (group, priority) order by more than the commit window")
        for row in try await postgres.query(
            """
            SELECT group_id, priority, min(enqueued_at) FROM routing.sessions
            WHERE state = 'queued' AND queue_reason = 'keyword' GROUP BY 1, 2
            """) {
            let key = "\(try row.decode(String.self, at: 0))/\(try row.decode(Int.self, at: 1))"
            if let served = latest[key] {
                #expect(served.timeIntervalSince(try row.decode(Date.self, at: 2)) < 0.5, "an older visitor of \(key) waits while newer ones were served")
            }
        }

        // Overflow from c to a: never before 10 s in c, and within a few ticks after.
        try await waitUntil(seconds: 60) {
            try await postgres.query("SELECT count(*) FROM routing.outbox WHERE published_at IS NULL").first?.decode(Int.self, at: 0) == 0
        }
        var lastQueued: [String: (Date, String?)] = [:]
        var overflows = 0, early = 0, late = 0, lateAssignments = 0, assignedFromC = 0
        var seenIDs = Set<EventID>()
        for raw in try await EventStreamReader(redis: redis, names: streams).all() {
            let header = try EnvelopeCodec.decodeHeader(raw)
            guard seenIDs.insert(header.id).inserted else { continue }
        switch header.type {
        case .sessionQueued:
            let queued = try EnvelopeCodec.decode(raw, as: SessionQueued.self).data
            let key = queued.sessionID.description
            if queued.reason == .overflow, let (since, group) = lastQueued[key] {
                overflows += 1
                #expect(group == "c" && queued.group == "a")
                let waited = header.time.date.timeIntervalSince(since)
                if waited < Self.overflowSeconds - 0.01 { early += 1 }
                if waited > Self.overflowSeconds + 5 { late += 1 }
            }
            lastQueued[key] = (header.time.date, queued.group)
        case .sessionAssigned:
            let assigned = try EnvelopeCodec.decode(raw, as: SessionAssigned.self).data
            if assigned.group == "c", let (since, _) = lastQueued[assigned.sessionID.description] {
                assignedFromC += 1
                if header.time.date.timeIntervalSince(since) > Self.overflowSeconds + 5 { lateAssignments += 1 }
            }
        default: break
        }
        }
        #expect(overflows > 0, "the test should make group c overflow")
        #expect(early == 0, "overflowed before the configured wait")
        #expect(late == 0, "overflowed long after the configured wait")
        #expect(lateAssignments == 0, "assigned from c after it should have overflowed")
        let states = try await postgres.query(
            "SELECT coalesce(group_id, '-') || '/' || state, count(*) FROM routing.sessions GROUP BY 1 ORDER BY 1")
        let counts = try states.map { "\(try $0.decode(String.self, at: 0))=\(try $0.decode(Int.self, at: 1))" }
        print("""
            two routing instances with groups: \(Self.visitors) visitors, 60 agents, \(ends) ends, \(samples) capacity samples, \
            \(violations) violations; FIFO: \(order.count) assignments, \(inversions) inversions, \(nearInversions) within the commit \
            window; \(overflows) overflows c → a, \(assignedFromC) assigned from c; sessions \(counts.joined(separator: ", "))
            """)
        for process in processes { process.send(SIGTERM) }
        for process in processes { #expect(await process.waitForExit(timeout: .seconds(30)) == 0, "\(process.output().suffix(2000))") }
        await redis.shutdown()
        try await postgres.shutdown()
    }

    private func waitUntil(seconds: Int, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("condition not met within \(seconds) s")
    }
}
