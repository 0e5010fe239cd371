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
            _ = try agents.lock(command.agentID, on: connection)
            let rows = try connection.query(
                """
                INSERT INTO \(schema).agents AS a (id, name, capacity, enabled) VALUES ($1, $2, $3, $4)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, capacity = excluded.capacity,
                    enabled = excluded.enabled, updated_at = now(),
                    status = CASE WHEN excluded.enabled AND a.enabled THEN a.status ELSE 'offline' END,
                    present_until = CASE WHEN excluded.enabled AND a.enabled THEN a.present_until ELSE NULL END
                RETURNING \(AgentRecord.columns)
                """, [command.agentID.uuid, command.name, command.capacity, command.enabled])
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
        default: return issue.fieldPath.hasPrefix("service_hours") ? .invalidSchedule : .invalidSettings
        }
    }
}
