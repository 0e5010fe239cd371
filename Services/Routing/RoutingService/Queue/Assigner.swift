import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// What one drain did.
public struct DrainReport: Sendable, Equatable {
    /// Sessions assigned.
    public var assigned = 0
    /// Transactions run.
    public var transactions = 0
    /// Times the head of the queue or the best agent was locked by a handler and the drain waited.
    public var busyRetries = 0
}

/// Assignment: strict FIFO by (priority, enqueue time, id) to the online, present, enabled agent with
/// spare capacity, no required summary due (`summaries_due = 0`) and the fewest sessions, ties to the longest idle.
///
/// Assignments happen in short transactions that first take the queue's transaction-level advisory lock,
/// so the assigners of all instances take turns and the head of the queue is only ever assigned by one of
/// them, in order (FIFO across instances). A turn plans up to `assignmentsPerTransaction` assignments from
/// one read of the queue head and of the assignable agents, then locks exactly the planned session and
/// agent rows with `FOR UPDATE SKIP LOCKED`, re-checking them under the lock (session still `queued`;
/// agent online, present, enabled, `load < capacity` and the load the plan was made from). The plan is kept
/// up to the first row that is held elsewhere or moved, so no assignment ever uses a stale row, exceeds a
/// capacity or assigns a session twice. The assigner never waits on a row a handler holds (it ends its
/// turn and retries 2 ms later), and handlers never take the advisory lock, so the two cannot deadlock.
extension RoutingEngine {
    /// The advisory lock key of the queue (per schema).
    var queueLockKey: String { "kefu.\(schema).queue" }

    /// Assigns queued sessions while there is capacity; returns what it did. Safe to call from any number
    /// of instances and tasks at once.
    @discardableResult
    public func drainQueue(using postgres: PostgresClient) async throws -> DrainReport {
        var report = DrainReport()
        while true {
            let outcome = try await transaction(postgres) { connection in
                try self.assignBatch(on: connection)
            }
            report.transactions += 1
            report.assigned += outcome.assigned
            switch outcome.stop {
            case .exhausted:
                return report
            case .busy:
                report.busyRetries += 1
                try await Task.sleep(for: .milliseconds(2))
            case .batchFull:
                continue
            }
        }
    }

    /// Why a batch transaction stopped.
    enum BatchStop: Sendable { case exhausted, busy, batchFull }

    /// One transaction: plans up to `assignmentsPerTransaction` assignments from one read of the queue head
    /// and of the assignable agents (FIFO heads, each to the agent with the fewest sessions, ties to the
    /// longest idle, as if assigned one by one), locks the planned rows with `SKIP LOCKED`, keeps the plan
    /// up to the first row that is locked elsewhere or changed since it was read, and applies it in a few
    /// set-based statements.
    func assignBatch(on connection: PostgresConnection) throws -> (assigned: Int, stop: BatchStop) {
        connection.queue("SELECT pg_advisory_xact_lock(hashtext($1))", [queueLockKey])
        let limit = tuning.assignmentsPerTransaction
        // The head of every group's queue ('' is the default queue), up to `limit` each, in queue order.
        var queues: [GroupQueue] = []
        var queueIndex: [String: Int] = [:]
        for row in try connection.query(
            """
            SELECT g.id, g.cap, h.id, (extract(epoch FROM h.enqueued_at) * 1000000)::bigint
            FROM (SELECT '' AS id, NULL::int AS cap UNION ALL SELECT id, agent_capacity FROM \(schema).groups) g
            CROSS JOIN LATERAL (
                SELECT s.id, s.enqueued_at FROM \(schema).sessions s
                WHERE s.state = 'queued' AND coalesce(s.group_id, '') = g.id
                ORDER BY s.priority, s.enqueued_at, s.id LIMIT $1) h
            """, [limit]) {
            let group: String = try row.decode(at: 0)
            if queueIndex[group] == nil {
                queueIndex[group] = queues.count
                queues.append(GroupQueue(id: group, cap: try row.decode(Int?.self, at: 1)))
            }
            queues[queueIndex[group]!].heads.append(
                (try row.decode(UUID.self, at: 2), try row.decode(Int64.self, at: 3)))
        }
        let headCount = queues.reduce(0) { $0 + $1.heads.count }
        guard headCount > 0 else { return (0, .exhausted) }
        // For each group, its best `min(heads, limit) + 5` eligible agents are enough: each planned assignment
        // changes one agent's key (and only lowers its eligibility), so the agents left unchanged among them
        // always rank at least as well as any eligible agent not read, and the five best candidates of every
        // step (for the audit) are among them too.
        var pool: [PlannedAgent] = []
        var poolIndex: [UUID: Int] = [:]
        for row in try connection.query(
            """
            SELECT g.id, a.id, a.load, a.capacity, a.idle_since
            FROM unnest($1::text[], $2::int[]) AS g(id, cap)
            CROSS JOIN LATERAL (
                SELECT id, load, capacity, idle_since FROM \(schema).agents
                WHERE status = 'online' AND enabled AND present_until > now() AND load < capacity AND summaries_due = 0
                  AND load < coalesce(g.cap, capacity) AND (g.id = '' OR g.id = ANY(groups))
                ORDER BY load, idle_since, id LIMIT $3) a
            """, [Self.textArray(queues.map(\.id)), "{" + queues.map { $0.cap.map(String.init) ?? "NULL" }.joined(separator: ",") + "}",
                  min(headCount, limit) + 5]) {
            let id: UUID = try row.decode(at: 1)
            if poolIndex[id] == nil {
                poolIndex[id] = pool.count
                pool.append(PlannedAgent(id: id, load: try row.decode(Int.self, at: 2),
                                         capacity: try row.decode(Int.self, at: 3), idleSince: try row.decode(Date.self, at: 4)))
            }
            if let queue = queueIndex[try row.decode(String.self, at: 0)] { queues[queue].agents.append(poolIndex[id]!) }
        }
        guard !pool.isEmpty else { return (0, .exhausted) }
        let snapshot = Dictionary(uniqueKeysWithValues: pool.map { ($0.id, $0.load) })
        var plan: [PlannedAssignment] = []
        var tick = Date()
        // Each step serves the group whose head has waited longest, FIFO by (priority, enqueue time) within a
        // group; a group whose head finds no agent is done for this turn (its other visitors need the same ones).
        while plan.count < limit {
            var next: Int?
            for index in queues.indices where !queues[index].done && queues[index].cursor < queues[index].heads.count {
                guard let best = next else { next = index; continue }
                let (candidate, current) = (queues[index].heads[queues[index].cursor], queues[best].heads[queues[best].cursor])
                if (candidate.enqueued, candidate.id.uuidString) < (current.enqueued, current.id.uuidString) { next = index }
            }
            guard let index = next else { break }
            let ranked = PlannedAgent.best(5, of: pool, among: queues[index].agents, cap: queues[index].cap)
            guard let chosen = ranked.first else {
                queues[index].done = true
                continue
            }
            let head = queues[index].heads[queues[index].cursor]
            queues[index].cursor += 1
            let tie = ranked.count > 1 && pool[ranked[1]].load == pool[chosen].load
            plan.append(PlannedAssignment(
                session: head.id, agent: pool[chosen].id, rule: tie ? "fewest_sessions_then_longest_idle" : "fewest_sessions",
                candidates: ranked.map {
                    AuditCandidate(agentID: pool[$0].key, load: pool[$0].load, capacity: pool[$0].capacity, idleSince: pool[$0].idleSince)
                }))
            pool[chosen].load += 1
            tick = tick.addingTimeInterval(0.000_001)
            pool[chosen].idleSince = max(tick, Date())
        }
        guard !plan.isEmpty else { return (0, .exhausted) }

        // Lock what the plan touches, never waiting, and keep it up to the first row that moved.
        let lockedSessions = Set(try connection.query(
            "SELECT id FROM \(schema).sessions WHERE id = ANY($1::uuid[]) AND state = 'queued' FOR UPDATE SKIP LOCKED",
            [Self.uuidArray(plan.map(\.session))]).map { try $0.decode(UUID.self, at: 0) })
        let agentIDs = Array(Set(plan.map(\.agent)))
        var lockedAgents: [UUID: Int] = [:]
        for row in try connection.query(
            """
            SELECT id, load FROM \(schema).agents
            WHERE id = ANY($1::uuid[]) AND status = 'online' AND enabled AND present_until > now() AND load < capacity
              AND summaries_due = 0
            FOR UPDATE SKIP LOCKED
            """, [Self.uuidArray(agentIDs)]) {
            lockedAgents[try row.decode(UUID.self, at: 0)] = try row.decode(Int.self, at: 1)
        }
        var kept = 0
        for step in plan {
            guard lockedSessions.contains(step.session), let load = lockedAgents[step.agent], load == snapshot[step.agent] else { break }
            kept += 1
        }
        guard kept > 0 else { return (0, .busy) }
        let applied = Array(plan.prefix(kept))
        try apply(applied, on: connection)
        return (kept, kept < plan.count ? .busy : (plan.count < limit ? .exhausted : .batchFull))
    }

    /// Writes a checked plan: sessions assigned (each takes its next `seq`), agents' loads raised, history and
    /// audit rows, `session.assigned` per session and `agent.updated` per agent.
    private func apply(_ plan: [PlannedAssignment], on connection: PostgresConnection) throws {
        let sessions = Self.uuidArray(plan.map(\.session))
        let agents = Self.uuidArray(plan.map(\.agent))
        let assigned = try connection.query(
            """
            UPDATE \(schema).sessions s SET state = 'assigned', agent_id = v.agent, human = true, assigned_at = now(),
                first_assigned_at = coalesce(s.first_assigned_at, now()), last_seq = s.last_seq + 1,
                last_activity_at = now(), idle_warned_at = NULL, reply_wait_since = now(),
                published_position = NULL, published_ahead = NULL, published_eta = NULL
            FROM unnest($1::uuid[], $2::uuid[]) AS v(id, agent)
            WHERE s.id = v.id
            RETURNING s.id, s.last_seq, s.channel, s.visitor_id, s.agent_id, s.group_id
            """, [sessions, agents])
        var counts: [UUID: Int] = [:]
        for step in plan { counts[step.agent, default: 0] += 1 }
        let agentRows = try connection.query(
            """
            UPDATE \(schema).agents a SET load = a.load + v.n, last_assigned_at = now(), idle_since = now(), updated_at = now()
            FROM unnest($1::uuid[], $2::int[]) AS v(agent_key, n)
            WHERE a.id = v.agent_key
            RETURNING \(AgentRecord.columns)
            """, [Self.uuidArray(Array(counts.keys)), "{" + counts.values.map(String.init).joined(separator: ",") + "}"])
        connection.queue(
            """
            INSERT INTO \(schema).session_agents (session_id, agent_id, assigned_at, via)
            SELECT v.session, v.agent, clock_timestamp(), 'queue' FROM unnest($1::uuid[], $2::uuid[]) AS v(session, agent)
            """, [sessions, agents])
        let candidates = String(decoding: try JSONEncoder().encode(plan.map(\.candidates)), as: UTF8.self)
        connection.queue(
            """
            INSERT INTO \(schema).assignment_audit (session_id, agent_id, rule, candidates, visitor_priority, group_id)
            SELECT v.session, v.agent, v.rule, c.value, s.visitor_priority, s.group_id
            FROM unnest($1::uuid[], $2::uuid[], $3::text[]) WITH ORDINALITY AS v(session, agent, rule, n)
            JOIN jsonb_array_elements($4::jsonb) WITH ORDINALITY AS c(value, n) ON c.n = v.n
            LEFT JOIN \(schema).sessions s ON s.id = v.session
            ORDER BY v.n
            """, [sessions, agents, Self.textArray(plan.map(\.rule)), candidates])
        var byID: [UUID: AgentRecord] = [:]
        for row in agentRows {
            let agent = try AgentRecord(row: row)
            byID[agent.id.uuid] = agent
        }
        var publication = publication(cause: nil)
        var order: [UUID: Int] = [:]
        for (index, step) in plan.enumerated() { order[step.session] = index }
        let rows = try assigned.sorted { (order[try $0.decode(UUID.self, at: 0)] ?? 0) < (order[try $1.decode(UUID.self, at: 0)] ?? 0) }
        for row in rows {
            let agentID: UUID = try row.decode(at: 4)
            try publication.event(SessionAssigned(
                sessionID: SessionID(try row.decode(UUID.self, at: 0)), seq: try row.decode(at: 1), channel: try row.decode(at: 2),
                visitorID: try row.decode(at: 3), agentID: AgentID(agentID), agentName: byID[agentID]?.name ?? "客服",
                group: try row.decode(at: 5)))
        }
        for agent in byID.values.sorted(by: { $0.id.description < $1.id.description }) { try publication.event(agent.updated) }
        try publication.flush(to: outbox, on: connection)
    }

    static func uuidArray(_ ids: [UUID]) -> String {
        "{" + ids.map { $0.uuidString.lowercased() }.joined(separator: ",") + "}"
    }
}

/// One group's queue as the planner sees it: its heads in queue order and its eligible agents (pool indexes).
struct GroupQueue {
    let id: String
    /// The group's `agent_capacity`, if any.
    let cap: Int?
    var heads: [(id: UUID, enqueued: Int64)] = []
    var agents: [Int] = []
    var cursor = 0
    var done = false
}

/// One planned assignment.
struct PlannedAssignment {
    let session: UUID
    let agent: UUID
    let rule: String
    let candidates: [AuditCandidate]
}

/// An assignable agent as the planner sees it.
struct PlannedAgent {
    let id: UUID
    /// The id as text, the last tie-breaker.
    let key: String
    var load: Int
    let capacity: Int
    var idleSince: Date

    init(id: UUID, load: Int, capacity: Int, idleSince: Date) {
        self.id = id
        key = id.uuidString.lowercased()
        self.load = load
        self.capacity = capacity
        self.idleSince = idleSince
    }

    /// Fewest sessions first, then the longest idle, then the id.
    static func before(_ lhs: PlannedAgent, _ rhs: PlannedAgent) -> Bool {
        if lhs.load != rhs.load { return lhs.load < rhs.load }
        if lhs.idleSince != rhs.idleSince { return lhs.idleSince < rhs.idleSince }
        return lhs.key < rhs.key
    }

    /// Indexes of the `count` best agents with spare capacity, best first (one pass, no full sort).
    static func best(_ count: Int, of pool: [PlannedAgent]) -> [Int] {
        best(count, of: pool, among: Array(pool.indices), cap: nil)
    }

    /// Indexes of the `count` best of `candidates` (indexes into `pool`) below their capacity and below `cap`.
    static func best(_ count: Int, of pool: [PlannedAgent], among candidates: [Int], cap: Int?) -> [Int] {
        var top: [Int] = []
        top.reserveCapacity(count + 1)
        for index in candidates where pool[index].load < min(pool[index].capacity, cap ?? Int.max) {
            if top.count == count, let last = top.last, !before(pool[index], pool[last]) { continue }
            let position = top.firstIndex { before(pool[index], pool[$0]) } ?? top.count
            top.insert(index, at: position)
            if top.count > count { top.removeLast() }
        }
        return top
    }
}
