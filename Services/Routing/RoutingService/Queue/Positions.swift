import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Live queue positions: every queued visitor gets `queue.position` (position, people ahead, ETA and the
/// filled-in prompt) whenever one of these changed since the last one published for them — never "once".
extension RoutingEngine {
    var positionsLockKey: String { "kefu.\(schema).positions" }

    /// Recomputes the queue and publishes what changed; returns how many positions were published. One
    /// instance at a time does it (a transaction-level advisory try-lock); the others skip the round.
    @discardableResult
    public func publishPositions(using postgres: PostgresClient) async throws -> Int {
        try await transaction(postgres) { connection in
            try self.publishPositions(on: connection)
        }
    }

    func publishPositions(on connection: PostgresConnection) throws -> Int {
        let lock = try connection.query("SELECT pg_try_advisory_xact_lock(hashtext($1))", [positionsLockKey])
        guard try lock.first?.decode(Bool.self, at: 0) == true else { return 0 }
        let settings = try self.settings.current(on: connection)
        let average = try connection.query(
            "SELECT avg(seconds) FROM (SELECT seconds FROM \(schema).handle_times ORDER BY ended_at DESC LIMIT $1) recent",
            [tuning.handleTimeSamples]
        ).first?.decode(Double?.self, at: 0)
        let staffing = try connection.query(
            """
            SELECT count(*), coalesce(sum(greatest(capacity - load, 0)), 0), coalesce(sum(capacity), 0)
            FROM \(schema).agents WHERE status = 'online' AND enabled AND present_until > now()
            """
        ).first
        let capacity = QueueCapacitySnapshot(
            agentsOnline: try staffing?.decode(Int.self, at: 0) ?? 0, freeSlots: try staffing?.decode(Int.self, at: 1) ?? 0,
            totalCapacity: try staffing?.decode(Int.self, at: 2) ?? 0)
        let queue = try connection.query(
            """
            SELECT id, published_position, published_ahead, published_eta, group_id FROM \(schema).sessions
            WHERE state = 'queued' ORDER BY coalesce(group_id, ''), priority, enqueued_at, id
            """)
        // Positions count within each skill group's queue.
        var changed: [(id: UUID, position: Int, ahead: Int, eta: Int?, group: String?)] = []
        var currentGroup: String??
        var index = -1
        for row in queue {
            let group: String? = try row.decode(at: 4)
            if currentGroup != .some(group) {
                currentGroup = .some(group)
                index = -1
            }
            index += 1
            let position = index + 1
            let eta = Self.roundedETA(position: position, capacity: capacity, averageHandleSeconds: average)
            let old = (try row.decode(Int?.self, at: 1), try row.decode(Int?.self, at: 2), try row.decode(Int?.self, at: 3))
            if old.0 != position || old.1 != index || old.2 != eta {
                changed.append((try row.decode(UUID.self, at: 0), position, index, eta, group))
            }
        }
        guard !changed.isEmpty else { return 0 }
        let wanted = Dictionary(changed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let locked = try connection.query(
            """
            SELECT id, channel, visitor_id, last_seq FROM \(schema).sessions
            WHERE id = ANY($1::uuid[]) AND state = 'queued' FOR UPDATE SKIP LOCKED
            """, ["{" + changed.map { $0.id.uuidString.lowercased() }.joined(separator: ",") + "}"])
        var publication = publication(cause: nil)
        var ids: [String] = [], seqs: [String] = [], positions: [String] = [], aheads: [String] = [], etas: [String] = []
        for row in locked {
            let id: UUID = try row.decode(at: 0)
            guard let change = wanted[id] else { continue }
            let seq = try row.decode(Int.self, at: 3) + 1
            try publication.event(QueuePosition(
                sessionID: SessionID(id), seq: seq, channel: try row.decode(at: 1), visitorID: try row.decode(at: 2),
                position: change.position, ahead: change.ahead, etaSeconds: change.eta,
                prompt: settings.queuePrompt(position: change.position, etaSeconds: change.eta, group: change.group)))
            ids.append(id.uuidString.lowercased())
            seqs.append(String(seq))
            positions.append(String(change.position))
            aheads.append(String(change.ahead))
            etas.append(change.eta.map(String.init) ?? "NULL")
        }
        guard !ids.isEmpty else { return 0 }
        let array = { (values: [String]) in "{" + values.joined(separator: ",") + "}" }
        connection.queue(
            """
            UPDATE \(schema).sessions s SET last_seq = v.seq, published_position = v.position, published_ahead = v.ahead,
                published_eta = v.eta
            FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::int[], $5::int[]) AS v(id, seq, position, ahead, eta)
            WHERE s.id = v.id
            """, [array(ids), array(seqs), array(positions), array(aheads), array(etas)])
        try publication.flush(to: outbox, on: connection)
        return ids.count
    }

    /// The ETA rounded up to whole minutes, so the prompt does not change with every ended session.
    static func roundedETA(position: Int, capacity: QueueCapacitySnapshot, averageHandleSeconds: Double?) -> Int? {
        guard let seconds = QueueETAEstimator.estimateSeconds(
            position: position, capacity: capacity, averageHandleSeconds: averageHandleSeconds)
        else { return nil }
        return (seconds + 59) / 60 * 60
    }
}
