import Foundation
import KefuModel
import Postgres

/// `history.page` and `sessions.by_visitor`.
struct HistoryQueries: Sendable {
    /// Bytes of `items` a page may hold, so the reply stays under the 64 KiB entry limit with its envelope.
    static let pageBudget = 56_000
    /// RFC 3339 UTC with milliseconds, as the contract writes times.
    static let timeFormat = #"'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'"#

    let postgres: PostgresClient

    /// A page of a session's events in ascending seq after `after_seq`.
    ///
    /// Params: `session_id`; `after_seq` (default 0); `limit` (1-200, default 50); `kinds` (`messages`,
    /// the default, or `all`). Result: `{ items: [{ seq, type, time, data }], next_after_seq, last_seq }`,
    /// with `next_after_seq` absent on the last page. A page also ends early when its items reach
    /// ``pageBudget`` bytes (long messages), and then carries `next_after_seq` as well.
    ///
    /// A visitor never gets a staff-only event (an internal note, `note.added`): with `kinds=all` its page
    /// carries `hidden_seqs` instead, the `seq`s in the page's range that belong to such events, so that a
    /// client resuming by `seq` knows there is nothing missing there.
    func page(_ actor: Actor, _ params: QueryParams) async throws -> JSONValue {
        let sessionID = try params.uuid("session_id")
        let afterSeq = try params.int("after_seq", default: 0, range: 0...FieldRules.maxSafeInteger)
        let limit = try params.limit()
        let kinds = try params.choice("kinds", default: "messages", allowed: ["messages", "all"])
        let filter = kinds == "messages" ? "AND type = 'message.accepted'" : ""
        let sql = """
            SELECT seq, type, to_char(time AT TIME ZONE 'UTC', \(Self.timeFormat)), data::text
            FROM store.events WHERE session_id = $1 AND seq > $2 \(filter)
            ORDER BY seq LIMIT $3
            """
        // One snapshot for the session row and its events, so `last_seq` never lags the items returned.
        return try await postgres.transaction(isolation: .repeatableRead) { connection in
            guard let session = try SessionAccess.load(sessionID, on: connection) else { throw QueryFailure.unknownSession }
            try session.authorize(actor)
            let rows = try connection.query(sql, [sessionID, afterSeq, limit + 1])
            let staffOnly = Set(EventType.allCases.filter(\.isStaffOnly).map(\.rawValue))
            let visitor = actor.role == .visitor
            var items: [JSONValue] = []
            var hidden: [JSONValue] = []
            var covered: Int64?
            var bytes = 0
            var more = rows.count > limit
            for row in rows.prefix(limit) {
                let seq = try row.decode(Int64.self, at: 0)
                if visitor, staffOnly.contains(try row.decode(String.self, at: 1)) {
                    hidden.append(.integer(seq))
                    covered = seq
                    continue
                }
                let data = try row.decode(String.self, at: 3)
                bytes += data.utf8.count + 96
                if bytes > Self.pageBudget, !items.isEmpty {
                    more = true
                    break
                }
                covered = seq
                items.append(.object([
                    "seq": .integer(seq),
                    "type": .string(try row.decode(String.self, at: 1)),
                    "time": .string(try row.decode(String.self, at: 2)),
                    "data": try JSONDecoder().decode(JSONValue.self, from: Data(data.utf8)),
                ]))
            }
            var result: [String: JSONValue] = ["items": .array(items), "last_seq": .integer(Int64(session.lastSeq))]
            if more, let covered { result["next_after_seq"] = .integer(covered) }
            if visitor, kinds == "all" { result["hidden_seqs"] = .array(hidden) }
            return .object(result)
        }
    }

    /// The sessions of one visitor, newest first.
    ///
    /// Params: `channel`, `visitor_id`, `limit` (1-200, default 50). Admins may ask about anyone; an agent
    /// only about a visitor one of whose sessions was assigned or transferred to them.
    /// Result: `{ items: [{ session_id, started_at, ended_at, human, agent_ids, message_count }] }`.
    func sessionsByVisitor(_ actor: Actor, _ params: QueryParams) async throws -> JSONValue {
        let channel = try params.string("channel")
        let visitorID = try params.string("visitor_id")
        do {
            try FieldRules.channel(channel, field: "params.channel")
            try FieldRules.token(visitorID, field: "params.visitor_id")
        } catch {
            throw QueryFailure.invalidParams("\(error)")
        }
        let limit = try params.limit()
        let agentID: UUID?
        switch actor.role {
        case .admin, .supervisor: agentID = nil
        case .agent: agentID = actor.agentID?.uuid
        case .visitor, .service:
            throw QueryFailure.forbidden("only agents serving this visitor and admins list a visitor's sessions")
        }
        return try await postgres.withConnection { connection in
            if let agentID {
                let served = try connection.query(
                    "SELECT 1 FROM store.sessions WHERE channel = $1 AND visitor_id = $2 AND $3::uuid = ANY (agent_ids) LIMIT 1",
                    [channel, visitorID, agentID])
                guard !served.isEmpty else {
                    throw QueryFailure.forbidden("none of this visitor's sessions was assigned or transferred to you")
                }
            }
            let rows = try connection.query(
                """
                SELECT session_id, to_char(started_at AT TIME ZONE 'UTC', \(Self.timeFormat)),
                       to_char(ended_at AT TIME ZONE 'UTC', \(Self.timeFormat)), human, agent_ids::text, message_count
                FROM store.sessions WHERE channel = $1 AND visitor_id = $2
                ORDER BY started_at DESC, session_id LIMIT $3
                """,
                [channel, visitorID, limit])
            let items: [JSONValue] = try rows.map { row in
                var item: [String: JSONValue] = [
                    "session_id": .string(try row.decode(UUID.self, at: 0).uuidString.lowercased()),
                    "started_at": .string(try row.decode(String.self, at: 1)),
                    "human": .bool(try row.decode(Bool.self, at: 3)),
                    "agent_ids": .array(PostgresArray.uuids(try row.decode(String.self, at: 4)).map {
                        .string($0.uuidString.lowercased())
                    }),
                    "message_count": .integer(try row.decode(Int64.self, at: 5)),
                ]
                if let ended = try row.decode(String?.self, at: 2) { item["ended_at"] = .string(ended) }
                return .object(item)
            }
            return .object(["items": .array(items)])
        }
    }
}
