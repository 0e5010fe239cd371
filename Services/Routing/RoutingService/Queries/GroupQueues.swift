import Foundation
import KefuModel
import Postgres

/// The visitors waiting in one skill group's queue (`group` nil: the default queue).
public struct GroupQueueSummary: Sendable, Equatable {
    /// The group id, nil for the default queue.
    public var group: String?
    /// The group's name (nil for the default queue).
    public var name: String?
    /// Visitors waiting.
    public var waiting: Int
    /// Seconds the longest-waiting one has waited (0 when nobody waits).
    public var oldestWaitSeconds: Int
    /// Enabled members online and present (for the default queue: every such agent).
    public var agentsOnline: Int
}

extension RoutingEngine {
    /// Waiting visitors per skill group: every configured group (also when nobody waits) and the default queue,
    /// in one statement. For the supervisor monitor and the `queue.groups` query.
    public func waitingPerGroup(on connection: PostgresConnection) throws -> [GroupQueueSummary] {
        try connection.query(
            """
            SELECT g.id, g.name, coalesce(q.waiting, 0), coalesce(q.oldest, 0),
                   (SELECT count(*) FROM \(schema).agents a
                    WHERE a.status = 'online' AND a.enabled AND a.present_until > now() AND (g.id = '' OR g.id = ANY(a.groups)))
            FROM (SELECT '' AS id, NULL::text AS name UNION ALL SELECT id, name FROM \(schema).groups) g
            LEFT JOIN (SELECT coalesce(group_id, '') AS id, count(*) AS waiting,
                              extract(epoch FROM now() - min(enqueued_at))::bigint AS oldest
                       FROM \(schema).sessions WHERE state = 'queued' GROUP BY 1) q ON q.id = g.id
            ORDER BY g.id
            """
        ).map { row in
            let id: String = try row.decode(at: 0)
            return GroupQueueSummary(
                group: id.isEmpty ? nil : id, name: try row.decode(at: 1), waiting: try row.decode(at: 2),
                oldestWaitSeconds: try row.decode(at: 3), agentsOnline: try row.decode(at: 4))
        }
    }

    /// `queue.groups` (agents, admins): ``waitingPerGroup(on:)`` as JSON.
    func queueGroups(actor: Actor, on connection: PostgresConnection) throws -> JSONValue {
        guard actor.role == .agent || actor.role == .admin else {
            throw Refusal(.forbidden, "only agents and admins may do this")
        }
        return .members([("groups", .array(try waitingPerGroup(on: connection).map { summary in
            .members([
                ("group", JSONValue(summary.group)), ("name", JSONValue(summary.name)), ("waiting", .int(summary.waiting)),
                ("oldest_wait_seconds", .int(summary.oldestWaitSeconds)), ("agents_online", .int(summary.agentsOnline)),
            ])
        }))])
    }
}
