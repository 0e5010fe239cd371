import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Handlers of the admin commands (`admin.*`). The gateway sets `actor_id` from an authenticated admin.
extension RoutingEngine {
    /// `admin.update_settings`: decode, validate, check `expected_version`, store the next version with an
    /// audit row (who, when, which paths changed), then drain (capacity rules may have changed).
    func adminUpdateSettings(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AdminUpdateSettings.self, event).data
            let document: RoutingSettings
            do {
                document = try RoutingSettings.decode(jsonData: JSONEncoder().encode(command.settings))
            } catch let issue as RoutingConfigIssue {
                throw Refusal(Self.refusalCode(for: issue), issue.description)
            }
            connection.queue("LOCK TABLE \(schema).settings IN SHARE ROW EXCLUSIVE MODE")
            let current = try settings.current(on: connection)
            if let expected = command.expectedVersion, expected != current.version {
                throw Refusal(.versionConflict, "the settings are at version \(current.version), not \(expected)")
            }
            let before = try JSONValue(encoding: current.document)
            let after = try JSONValue(encoding: document)
            let changed = Self.changedPaths(before, after)
            let version = current.version + 1
            let text = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
            connection.queue(
                "INSERT INTO \(schema).settings (version, document, updated_by) VALUES ($1, $2::jsonb, $3)",
                [version, text, command.actorID.uuid])
            connection.queue(
                "INSERT INTO \(schema).settings_audit (version, actor_id, changed) VALUES ($1, $2, $3::text[])",
                [version, command.actorID.uuid, Self.textArray(changed)])
            if current.document.summaryRequired, !document.summaryRequired { clearDueSummaries(on: connection) }
            syncGroups(document, on: connection)
            requestDrain()
            try publication.reply(.success(.members([
                ("version", .int(version)), ("changed", .array(changed.map(JSONValue.string))),
            ])))
        }
    }

    /// `admin.upsert_agent`: creates or edits an account (name, capacity, enabled); a raised capacity or a
    /// re-enabled agent drains the queue. Disabling takes the agent offline at once — presence ended, its
    /// sessions back to the front of the queue (those held by a handler right now follow with the ticker,
    /// as for logging out) — and a re-enabled agent starts offline until it chooses a status.
    func adminUpsertAgent(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AdminUpsertAgent.self, event).data
            if let groups = command.groups {
                try checkMembership(groups, settings: try settings.current(on: connection))
            }
            _ = try agents.lock(command.agentID, on: connection)
            let rows = try connection.query(
                """
                INSERT INTO \(schema).agents AS a (id, name, capacity, enabled, groups)
                VALUES ($1, $2, $3, $4, coalesce($5::text[], '{}'))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, capacity = excluded.capacity,
                    enabled = excluded.enabled, updated_at = now(), groups = coalesce($5::text[], a.groups),
                    status = CASE WHEN excluded.enabled AND a.enabled THEN a.status ELSE 'offline' END,
                    present_until = CASE WHEN excluded.enabled AND a.enabled THEN a.present_until ELSE NULL END
                RETURNING \(AgentRecord.columns)
                """, [command.agentID.uuid, command.name, command.capacity, command.enabled,
                      command.groups.map { Self.textArray(Array(Set($0)).sorted()) }])
            guard let row = rows.first else { throw Refusal(.unknownAgent, "agent \(command.agentID) could not be saved") }
            var agent = try AgentRecord(row: row)
            if !agent.enabled, agent.load > 0 {
                try requeueSessions(of: agent.id, into: &publication, on: connection)
                agent = try agents.read(agent.id, on: connection) ?? agent
            }
            try publication.event(agent.updated)
            if agent.enabled { requestDrain() }
            try publication.reply(.success(agentJSON(agent)))
        }
    }

    /// Copies the groups of a new settings document into `groups` (what the assigner and the ticker join), moves
    /// visitors waiting in (or bound for) a group that no longer exists to the default queue, and drops such
    /// groups from the agents' memberships: set-based statements queued with the settings row.
    func syncGroups(_ document: RoutingSettings, on connection: PostgresConnection) {
        let ids = document.groups.keys.sorted()
        let rules = ids.compactMap { document.groups[$0] }
        func ints(_ values: [Int?]) -> String { "{" + values.map { $0.map(String.init) ?? "NULL" }.joined(separator: ",") + "}" }
        let targets = rules.map { rule -> String? in
            guard let to = rule.overflow?.to, to != RoutingGroupOverflow.leaveMessage else { return nil }
            return to
        }
        connection.queue("DELETE FROM \(schema).groups")
        connection.queue(
            """
            INSERT INTO \(schema).groups (id, name, agent_capacity, overflow_after_seconds, overflow_to)
            SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[])
            """,
            [Self.textArray(ids), Self.textArray(rules.map(\.name)), ints(rules.map(\.agentCapacity)),
             ints(rules.map { $0.overflow?.afterSeconds }), PostgresArray.literal(targets)])
        connection.queue(
            """
            UPDATE \(schema).sessions SET group_id = NULL
            WHERE state IN ('bot', 'queued') AND group_id IS NOT NULL AND group_id <> ALL($1::text[])
            """, [Self.textArray(ids)])
        connection.queue(
            """
            UPDATE \(schema).agents SET groups = ARRAY(SELECT g FROM unnest(groups) g WHERE g = ANY($1::text[]) ORDER BY g)
            WHERE NOT groups <@ $1::text[]
            """, [Self.textArray(ids)])
    }

    /// Refuses a membership list naming an empty or unknown group (`unknown_group`), or naming none while
    /// groups exist (`agent_in_no_group`).
    func checkMembership(_ groups: [String], settings: ActiveSettings) throws {
        for group in groups where group.isEmpty || settings.document.groups[group] == nil {
            throw Refusal(.unknownGroup, group.isEmpty ? "a group id is empty" : "there is no skill group \"\(group)\"")
        }
        if groups.isEmpty, !settings.document.groups.isEmpty {
            throw Refusal(.agentInNoGroup, "an agent must belong to at least one skill group while groups exist")
        }
    }

    /// The JSON paths whose values differ between two documents (`queue.max_length`, `channels.web-pc`…).
    static func changedPaths(_ before: JSONValue, _ after: JSONValue, prefix: String = "") -> [String] {
        if case .object(let old) = before, case .object(let new) = after {
            return Set(old.keys).union(new.keys).sorted().flatMap { key -> [String] in
                let path = prefix.isEmpty ? key : prefix + "." + key
                return changedPaths(old[key] ?? .null, new[key] ?? .null, prefix: path)
            }
        }
        return before == after ? [] : [prefix.isEmpty ? "(root)" : prefix]
    }

    /// A PostgreSQL text-array literal.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }

    /// The refusal code for a settings problem (`invalid_schedule`, `invalid_timezone`, `invalid_template`…).
    static func refusalCode(for issue: RoutingConfigIssue) -> Refusal.Code {
        switch issue.code {
        case .invalidTimezone: return .invalidTimezone
        case .invalidTemplate: return .invalidTemplate
        case .invalidWindow, .duplicateDate, .conflictingOverride: return .invalidSchedule
        case .unknownGroup: return .unknownGroup
        case .overflowCycle: return .overflowCycle
        default: return issue.fieldPath.hasPrefix("service_hours") ? .invalidSchedule : .invalidSettings
        }
    }
}
