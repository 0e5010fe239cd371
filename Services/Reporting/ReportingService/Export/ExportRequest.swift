import Foundation
import KefuModel

/// Which CSV export.
public enum ExportKind: String, Sendable, CaseIterable {
    /// One row per session.
    case sessions
    /// One row per day × channel.
    case daily
    /// One row per day × agent.
    case agents
    /// One row per session-summary category (会话小结分类) over the sessions started in the range.
    case categories
}

/// A checked export request: the same rules for the `export.start` query and for the `kefu export` CLI.
public struct ExportRequest: Sendable, Equatable {
    /// Which export.
    public let kind: ExportKind
    /// The local dates and their timezone (sessions by start, statistics by day).
    public let range: DateRange
    /// Only this channel (sessions, daily, categories).
    public let channel: String?
    /// Only sessions this agent served (sessions), or only this agent (agents).
    public let agentID: UUID?
    /// Whether the file starts with a UTF-8 byte order mark (so Excel reads Chinese right).
    public let bom: Bool
    /// Only bot sessions or only human ones (sessions), as the records page filters (会话类型).
    public let type: SessionTypeFilter?

    /// The session types of the `type` filter.
    public enum SessionTypeFilter: String, Sendable, Equatable {
        /// Sessions that never reached a human.
        case bot
        /// Sessions that reached a human agent.
        case human
    }

    /// Checks that the filters apply to the kind: no agent filter on `daily`, no channel filter on `agents`.
    public init(
        kind: ExportKind, range: DateRange, channel: String? = nil, agentID: UUID? = nil, bom: Bool = true,
        type: SessionTypeFilter? = nil
    ) throws(QueryFailure) {
        if kind == .categories, type != nil {
            throw .invalidParams("the categories export counts summarized (human) sessions; 'type' applies to the sessions export only")
        }
        if kind != .sessions, type != nil {
            throw .invalidParams("'type' applies to the sessions export only")
        }
        if kind == .daily, agentID != nil {
            throw .invalidParams("the daily export is per channel; 'agent_id' applies to the sessions and agents exports")
        }
        if kind == .agents, channel != nil {
            throw .invalidParams("the agents export is per agent across channels; 'channel' applies to the sessions and daily exports")
        }
        self.kind = kind
        self.range = range
        self.channel = channel
        self.agentID = agentID
        self.bom = bom
        self.type = type
    }

    /// The suggested file name, e.g. `kefu-sessions-2026-11-01_2026-11-30.csv`.
    public var filename: String {
        "kefu-\(kind.rawValue)-\(range.from)_\(range.to).csv"
    }

    /// Reads `kind`, `from`, `to`, `tz`, `channel`, `agent_id`, `type` and `bom` from query params; the timezone
    /// (default `defaultTimezone`) is checked by `checkTimezone`.
    public static func parse(
        _ params: [String: JSONValue], defaultTimezone: String, checkTimezone: (String) throws -> String
    ) throws -> ExportRequest {
        let query = try QueryParams(params, allowed: ["kind", "from", "to", "tz", "channel", "agent_id", "type", "bom"])
        let kindText = try query.requiredString("kind")
        guard let kind = ExportKind(rawValue: kindText) else {
            throw QueryFailure.invalidParams("'kind' must be sessions, daily, agents or categories, got '\(kindText.prefix(32))'")
        }
        let from = try query.date("from")
        let to = try query.date("to")
        let timezone = try checkTimezone(try query.string("tz") ?? defaultTimezone)
        var type: SessionTypeFilter?
        if let text = try query.string("type"), !text.isEmpty {
            guard let known = SessionTypeFilter(rawValue: text) else {
                throw QueryFailure.invalidParams("'type' must be bot or human, got '\(text.prefix(32))'")
            }
            type = known
        }
        return try ExportRequest(
            kind: kind, range: try DateRange(from: from, to: to, timezone: timezone),
            channel: try query.channel("channel"), agentID: try query.uuid("agent_id"), bom: try query.bool("bom", default: true),
            type: type)
    }
}
