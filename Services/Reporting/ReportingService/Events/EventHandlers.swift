import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Applies the events of `kefu:events` to the records and statistics. Each handler is one call of a
/// `reporting.on_*` function (see the migration), inside the runtime's inbox transaction: the envelope id
/// is recorded in the same transaction, a seq already applied to the session is skipped, and every update
/// merges (least/greatest, keyed rows), so redelivery, duplicates and out-of-order arrival converge to the
/// same record. Statistics days are in `timezone`. Consecutive `message.accepted` events are gathered and
/// applied with one `reporting.on_messages` call (``MessageBatch``).
enum EventHandlers {
    /// Keeps the skill group of the newest `session.queued` / `session.assigned` that named one.
    static func recordGroup(_ group: String?, session: SessionID, seq: Int, on connection: PostgresConnection) {
        guard let group else { return }
        connection.queue(
            """
            UPDATE reporting.sessions SET group_id = $2, group_seq = $3
            WHERE session_id = $1 AND coalesce(group_seq, 0) < $3
            """, [session.uuid, group, seq])
    }

    static func all(timezone: String) -> [EventType: ConsumerDefinition.Apply] {
        let handlers: [EventType: ConsumerDefinition.Apply] = [
            .sessionCreated: { event, connection in
                let data = try event.decode(SessionCreated.self).data
                connection.queue(
                    "SELECT reporting.on_session_created($1, $2, $3, $4, $5, $6)",
                    [data.sessionID.uuid, data.seq, data.channel, data.visitorID, event.header.time.date, timezone])
            },
            .sessionQueued: { event, connection in
                let data = try event.decode(SessionQueued.self).data
                connection.queue(
                    "SELECT reporting.on_session_queued($1, $2, $3, $4, $5, $6)",
                    [data.sessionID.uuid, data.seq, data.channel, data.visitorID, event.header.time.date, timezone])
                recordGroup(data.group, session: data.sessionID, seq: data.seq, on: connection)
            },
            .sessionAssigned: { event, connection in
                let data = try event.decode(SessionAssigned.self).data
                connection.queue(
                    "SELECT reporting.on_session_agent($1, $2, $3, $4, $5, $6, $7, $8, NULL)",
                    [
                        data.sessionID.uuid, data.seq, data.channel, data.visitorID, event.header.time.date, timezone,
                        data.agentID.uuid, data.agentName,
                    ])
                recordGroup(data.group, session: data.sessionID, seq: data.seq, on: connection)
            },
            .sessionTransferred: { event, connection in
                let data = try event.decode(SessionTransferred.self).data
                connection.queue(
                    "SELECT reporting.on_session_agent($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    [
                        data.sessionID.uuid, data.seq, data.channel, data.visitorID, event.header.time.date, timezone,
                        data.toAgentID.uuid, data.toAgentName, data.fromAgentID.uuid,
                    ])
            },
            .sessionEnded: { event, connection in
                let data = try event.decode(SessionEnded.self).data
                connection.queue(
                    "SELECT reporting.on_session_ended($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    [
                        data.sessionID.uuid, data.seq, data.channel, data.visitorID, event.header.time.date, timezone,
                        data.reason.rawValue, data.agentID?.uuid, data.human,
                    ])
            },
            .messageAccepted: { event, connection in
                let data = try event.decode(MessageAccepted.self).data
                MessageBatch.on(connection, timezone: timezone).add(data, time: event.header.time)
            },
            .ratingRecorded: { event, connection in
                let data = try event.decode(RatingRecorded.self).data
                connection.queue(
                    "SELECT reporting.on_rating($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    [
                        data.sessionID.uuid, data.seq, data.channel, data.visitorID, event.header.time.date, timezone,
                        data.stars, data.comment, data.agentID?.uuid,
                    ])
            },
            .feedbackRecorded: { event, connection in
                let data = try event.decode(FeedbackRecorded.self).data
                connection.queue(
                    "SELECT reporting.on_feedback($1, $2, $3, $4, $5, $6, $7)",
                    [
                        data.sessionID.uuid, data.seq, data.channel, data.visitorID, event.header.time.date, timezone,
                        data.useful,
                    ])
            },
            .leaveMessageUpdated: { event, connection in
                let data = try event.decode(LeaveMessageUpdated.self).data
                connection.queue(
                    "SELECT reporting.on_leave_message($1, $2, $3, $4, $5, $6, $7, $8)",
                    [
                        data.leaveMessageID.uuid, data.channel, data.visitorID, data.sessionID?.uuid,
                        data.state.rawValue, data.agentID?.uuid, event.header.time.date, timezone,
                    ])
            },
            .summaryRecorded: { event, connection in
                let data = try event.decode(SummaryRecorded.self).data
                let categories = String(decoding: try JSONEncoder().encode(data.categories), as: UTF8.self)
                connection.queue(
                    "SELECT reporting.on_summary($1, $2, $3::jsonb, $4, $5)",
                    [data.sessionID.uuid, data.agentID.uuid, categories, data.note, event.header.time.date])
            },
            .agentUpdated: { event, connection in
                let data = try event.decode(AgentUpdated.self).data
                connection.queue(
                    "SELECT reporting.note_agent($1, $2, $3)", [data.agentID.uuid, data.name, event.header.time.date])
            },
        ]
        // Messages gathered so far are applied before any other event, so every function sees the stream's order.
        return handlers.mapValues { apply in
            { event, connection in
                if event.header.type != .messageAccepted { MessageBatch.flush(on: connection) }
                try apply(event, connection)
            }
        }
    }
}
