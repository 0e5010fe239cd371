import Foundation
import KefuModel
import Postgres

/// The monitor's (监控) queries, for supervisors and admins: the counts in one statement (`monitor.summary`),
/// then the agents with their sessions (`monitor.agents`) and the queued visitors (`monitor.queue`) in pages
/// of at most ``pageBudget`` bytes so that every reply stays under the 64 KiB entry limit.
extension RoutingEngine {
    /// Bytes of items per page.
    static let pageBudget = 48 * 1024

    static let utcTime = #"to_char(%@ AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#

    private static func time(_ column: String) -> String { utcTime.replacingOccurrences(of: "%@", with: column) }

    func requireSupervisor(_ actor: Actor) throws {
        guard actor.role == .supervisor || actor.role == .admin, actor.agentID != nil else {
            throw Refusal(.forbidden, "only supervisors and admins may see the monitor")
        }
    }

    /// `monitor.summary`: agent counts at one moment and one queue per skill group (``waitingPerGroup(on:)``:
    /// the default queue, `group: null`, and every configured group, also when nobody waits) with its name,
    /// length, longest wait and members online.
    func monitorSummary(actor: Actor, on connection: PostgresConnection) throws -> JSONValue {
        try requireSupervisor(actor)
        let row = try connection.query(
            """
            SELECT \(Self.time("now()")),
                   (SELECT count(*) FROM \(schema).agents WHERE enabled),
                   (SELECT count(*) FROM \(schema).agents WHERE enabled AND status = 'online'),
                   (SELECT count(*) FROM \(schema).agents WHERE enabled AND present_until > now()),
                   (SELECT coalesce(sum(load), 0) FROM \(schema).agents WHERE enabled)::bigint,
                   (SELECT coalesce(sum(capacity), 0) FROM \(schema).agents WHERE enabled AND status = 'online')::bigint
            """).first
        guard let row else { return .object([:]) }
        let queues = try waitingPerGroup(on: connection).map { queue in
            JSONValue.members([
                ("group", JSONValue(queue.group)), ("name", JSONValue(queue.name)), ("length", .int(queue.waiting)),
                ("oldest_wait_seconds", .int(queue.oldestWaitSeconds)), ("agents_online", .int(queue.agentsOnline)),
            ])
        }
        return .members([
            ("at", .string(try row.decode(String.self, at: 0))),
            ("agents", .int(try row.decode(Int.self, at: 1))), ("online", .int(try row.decode(Int.self, at: 2))),
            ("present", .int(try row.decode(Int.self, at: 3))), ("load", .int(try row.decode(Int.self, at: 4))),
            ("online_capacity", .int(try row.decode(Int.self, at: 5))),
            ("queues", .array(queues)),
        ])
    }

    /// `monitor.agents`: every enabled agent by name with status, presence, load, capacity, skill groups and current
/// sessions, each with `waiting_since`: since when its visitor has waited for the agent's reply (null: answered).
    func monitorAgents(actor: Actor, params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        try requireSupervisor(actor)
        let offset = try Self.cursor(params) ?? 0
        let rows = try connection.query(
            """
            SELECT a.id::text, a.name, a.status, coalesce(a.present_until > now(), false), a.capacity, a.load,
                   array_to_json(a.groups)::text,
                   coalesce(json_agg(json_build_object(
                       'session_id', s.id, 'channel', s.channel, 'visitor_id', s.visitor_id,
                       'assigned_at', \(Self.time("s.assigned_at")),
                       'waiting_since', \(Self.time("s.reply_wait_since"))) ORDER BY s.assigned_at, s.id)
                       FILTER (WHERE s.id IS NOT NULL), '[]')::text
            FROM \(schema).agents a LEFT JOIN \(schema).sessions s ON s.agent_id = a.id AND s.state = 'assigned'
            WHERE a.enabled GROUP BY a.id ORDER BY a.name, a.id OFFSET $1 LIMIT 201
            """, [offset])
        var items: [JSONValue] = []
        var size = 0
        var next: Int64?
        for (index, row) in rows.enumerated() {
            if index == 200 { next = offset + Int64(index); break }
            let groups = try JSONDecoder().decode(JSONValue.self, from: Data(try row.decode(String.self, at: 6).utf8))
            let sessions = try JSONDecoder().decode(JSONValue.self, from: Data(try row.decode(String.self, at: 7).utf8))
            let item = JSONValue.members([
                ("agent_id", .string(try row.decode(String.self, at: 0))), ("name", .string(try row.decode(String.self, at: 1))),
                ("status", .string(try row.decode(String.self, at: 2))), ("present", .bool(try row.decode(Bool.self, at: 3))),
                ("capacity", .int(try row.decode(Int.self, at: 4))), ("load", .int(try row.decode(Int.self, at: 5))),
                ("groups", groups), ("sessions", sessions),
            ])
            let itemSize = try JSONEncoder().encode(item).count
            if size + itemSize > Self.pageBudget, !items.isEmpty { next = offset + Int64(index); break }
            size += itemSize
            items.append(item)
        }
        return .members([("items", .array(items)), ("next_cursor", next.map { .string(String($0)) })])
    }

    /// `monitor.queue`: queued visitors in assignment order (priority, then enqueue time), each naming its skill
    /// group. Without `group`, every queue's; with `group`, one queue's (`null` the default queue, a string a
    /// configured group, else `unknown_group`).
    func monitorQueue(actor: Actor, params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        try requireSupervisor(actor)
        var filter: String?
        switch params["group"] {
        case nil: filter = nil
        case .null?: filter = ""
        case .string(let group)?:
            let known = try connection.query("SELECT 1 FROM \(schema).groups WHERE id = $1", [group])
            guard !group.isEmpty, !known.isEmpty else { throw Refusal(.unknownGroup, "there is no skill group \"\(group)\"") }
            filter = group
        default: throw Refusal(.invalidParams, "group must be a skill group id or null")
        }
        let offset = try Self.cursor(params) ?? 0
        let rows = try connection.query(
            """
            SELECT id::text, channel, visitor_id, priority, \(Self.time("enqueued_at")), queue_reason, group_id
            FROM \(schema).sessions WHERE state = 'queued' AND ($2::text IS NULL OR coalesce(group_id, '') = $2)
            ORDER BY priority, enqueued_at, id OFFSET $1 LIMIT 501
            """, [offset, filter])
        var items: [JSONValue] = []
        var size = 0
        var next: Int64?
        for (index, row) in rows.enumerated() {
            if index == 500 { next = offset + Int64(index); break }
            let item = JSONValue.members([
                ("session_id", .string(try row.decode(String.self, at: 0))), ("channel", .string(try row.decode(String.self, at: 1))),
                ("visitor_id", .string(try row.decode(String.self, at: 2))), ("priority", .int(try row.decode(Int.self, at: 3))),
                ("enqueued_at", .string(try row.decode(String.self, at: 4))),
                ("reason", (try row.decode(String?.self, at: 5)).map(JSONValue.string)),
                ("group", (try row.decode(String?.self, at: 6)).map(JSONValue.string) ?? .null),
            ])
            let itemSize = try JSONEncoder().encode(item).count
            if size + itemSize > Self.pageBudget, !items.isEmpty { next = offset + Int64(index); break }
            size += itemSize
            items.append(item)
        }
        let group: JSONValue = filter.map { $0.isEmpty ? .null : .string($0) } ?? .null
        return .members([("group", group), ("items", .array(items)), ("next_cursor", next.map { .string(String($0)) })])
    }
}
