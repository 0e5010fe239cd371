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
/// spare capacity and the fewest sessions, ties to the longest idle.
///
/// Every assignment happens inside a short transaction that first takes the queue's transaction-level
/// advisory lock, so assigners of all instances take turns: the head of the queue is only ever assigned
/// by one of them, in order (FIFO across instances). The session and the agent rows are locked with
/// `FOR UPDATE SKIP LOCKED` and re-checked under the lock (state `queued`; online, present, enabled and
/// `load < capacity`), so an assignment never uses a stale row and never exceeds a capacity. The assigner
/// never waits on a row a handler holds (it gives up the turn and retries shortly), and handlers never
/// take the advisory lock, so the two cannot deadlock.
extension RoutingEngine {
    /// The advisory lock key of the queue (per schema).
    var queueLockKey: String { "kefu.\(schema).queue" }

    /// Assigns queued sessions while there is capacity; returns what it did. Safe to call from any number
    /// of instances and tasks at once.
    @discardableResult
    public func drainQueue(using postgres: PostgresClient) async throws -> DrainReport {
        var report = DrainReport()
        while true {
            let outcome = try await postgres.transaction { connection in
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

    /// One transaction: up to `assignmentsPerTransaction` assignments.
    func assignBatch(on connection: PostgresConnection) throws -> (assigned: Int, stop: BatchStop) {
        try connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [queueLockKey])
        var publication = publication(cause: nil)
        var assigned = 0
        var stop = BatchStop.batchFull
        while assigned < tuning.assignmentsPerTransaction {
            let step = try assignHead(into: &publication, on: connection)
            if case .assigned = step { assigned += 1; continue }
            stop = step == .busy ? .busy : .exhausted
            break
        }
        try publication.flush(to: outbox, on: connection)
        return (assigned, stop)
    }

    enum AssignStep: Equatable { case assigned, busy, emptyQueue, noAgent }

    /// Assigns the head of the queue to the best agent, if both exist and neither is locked elsewhere.
    func assignHead(into publication: inout Publication, on connection: PostgresConnection) throws -> AssignStep {
        guard let head = try connection.query(
            "SELECT id FROM \(schema).sessions WHERE state = 'queued' ORDER BY priority, enqueued_at, id LIMIT 1"
        ).first.map({ SessionID(try $0.decode(UUID.self, at: 0)) }) else { return .emptyQueue }
        let candidates = try connection.query(
            """
            SELECT id, load, capacity, idle_since FROM \(schema).agents
            WHERE status = 'online' AND enabled AND present_until > now() AND load < capacity
            ORDER BY load, idle_since, id LIMIT 5
            """
        ).map { row in
            (id: AgentID(try row.decode(UUID.self, at: 0)), load: try row.decode(Int.self, at: 1),
             capacity: try row.decode(Int.self, at: 2), idleSince: try row.decode(Date.self, at: 3))
        }
        guard let best = candidates.first else { return .noAgent }
        guard var session = try connection.query(
            "SELECT \(SessionRecord.columns) FROM \(schema).sessions WHERE id = $1 AND state = 'queued' FOR UPDATE SKIP LOCKED",
            [head.uuid]
        ).first.map(SessionRecord.init(row:)) else { return .busy }
        guard let agentRow = try connection.query(
            """
            SELECT \(AgentRecord.columns) FROM \(schema).agents
            WHERE id = $1 AND status = 'online' AND enabled AND present_until > now() AND load < capacity
            FOR UPDATE SKIP LOCKED
            """, [best.id.uuid]
        ).first else { return .busy }
        var agent = try AgentRecord(row: agentRow)
        agent.load += 1
        try connection.execute(
            "UPDATE \(schema).agents SET load = $2, last_assigned_at = now(), idle_since = now(), updated_at = now() WHERE id = $1",
            [agent.id.uuid, agent.load])
        session.state = .assigned
        session.agentID = agent.id
        session.human = true
        let seq = session.nextSeq()
        try connection.execute(
            """
            UPDATE \(schema).sessions SET state = 'assigned', agent_id = $2, human = true, assigned_at = now(),
                first_assigned_at = coalesce(first_assigned_at, now()), enqueued_at = NULL, last_seq = $3,
                last_activity_at = now(), idle_warned_at = NULL,
                published_position = NULL, published_ahead = NULL, published_eta = NULL
            WHERE id = $1
            """, [session.id.uuid, agent.id.uuid, session.lastSeq])
        try connection.execute(
            "INSERT INTO \(schema).session_agents (session_id, agent_id, assigned_at, via) VALUES ($1, $2, clock_timestamp(), 'queue')",
            [session.id.uuid, agent.id.uuid])
        let audit = candidates.map { AuditCandidate(agentID: $0.id.description, load: $0.load, capacity: $0.capacity, idleSince: $0.idleSince) }
        let rule = candidates.count > 1 && candidates[1].load == best.load ? "fewest_sessions_then_longest_idle" : "fewest_sessions"
        try connection.execute(
            "INSERT INTO \(schema).assignment_audit (session_id, agent_id, rule, candidates) VALUES ($1, $2, $3, $4::jsonb)",
            [session.id.uuid, agent.id.uuid, rule, String(decoding: try JSONEncoder().encode(audit), as: UTF8.self)])
        try publication.event(SessionAssigned(
            sessionID: session.id, seq: seq, channel: session.channel, visitorID: session.visitorID, agentID: agent.id,
            agentName: agent.name))
        try publication.event(agent.updated)
        return .assigned
    }
}
