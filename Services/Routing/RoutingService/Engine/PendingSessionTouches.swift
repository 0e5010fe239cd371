import KefuModel
import Postgres

/// What accepting messages does to their sessions' rows in a routing batch — raise `last_seq`, and for a
/// visitor's or agent's message reset the idle clock — gathered and written by one `UPDATE … FROM unnest(…)`
/// per batch just before COMMIT, instead of one `UPDATE` per message (the largest statement count of a batch).
///
/// Only used with a ``RoutingBatch``, whose transaction holds every session row it touches locked. Within the
/// transaction a session read again (a second event of the same session) gets its `last_seq` from here
/// (``patch(_:)``, applied by ``SessionStore``), so seqs never repeat; the final write takes the greater of
/// the row's `last_seq` and the gathered one, so a handler's own absolute `last_seq` write is never lowered.
/// `now()` is the transaction's start time, so the idle clock gets the same value it got before. Transactions
/// without a batch (the ticker's, queries) still write each message's `UPDATE` at once. It follows the
/// transaction's savepoints: the touches of a refused or failed handler go with it.
final class PendingSessionTouches: PostgresListParticipant, @unchecked Sendable {
    struct Touch: Sendable {
        var sessionID: SessionID
        var seq: Int
        var activity: Bool
        var sender: SenderKind
    }

    /// What a batch's messages do to `reply_wait_since` (the visitor's wait for the agent's reply), in order:
    /// an agent's message clears it, a visitor's message in an assigned session starts it if it is not running.
    enum ReplyWait: String {
        /// No visitor or agent message.
        case keep
        /// The last of them is the agent's: cleared.
        case clear
        /// Only visitor messages: started unless already running.
        case start
        /// A visitor's message after the agent's: started again.
        case restart

        func then(_ sender: SenderKind) -> ReplyWait {
            switch sender {
            case .agent: return .clear
            case .visitor: return self == .clear || self == .restart ? .restart : .start
            default: return self
            }
        }
    }

    let schema: String
    var gathered = SavepointList<Touch>()

    private init(schema: String) {
        self.schema = schema
    }

    /// The transaction's pending touches for `schema`, created on first use.
    static func on(_ connection: PostgresConnection, schema: String) -> PendingSessionTouches {
        connection.participant(where: { $0.schema == schema }, make: { PendingSessionTouches(schema: schema) })
    }

    /// The transaction's pending touches for `schema`, if any were gathered.
    static func current(on connection: PostgresConnection, schema: String) -> PendingSessionTouches? {
        for note in connection.transactionNotes {
            if let pending = note as? PendingSessionTouches, pending.schema == schema { return pending }
        }
        return nil
    }

    /// Notes that the session took `seq` for a message of `sender`; `activity`: a visitor's or agent's
    /// message (resets the idle clock).
    func touch(_ sessionID: SessionID, seq: Int, activity: Bool, sender: SenderKind) {
        gathered.append(Touch(sessionID: sessionID, seq: seq, activity: activity, sender: sender))
    }

    /// Raises a session read from the table (or from the batch) to the `last_seq` gathered for it here.
    func patch(_ session: inout SessionRecord) {
        for touch in gathered.elements where touch.sessionID == session.id && touch.seq > session.lastSeq {
            session.lastSeq = touch.seq
        }
    }

    /// One `UPDATE … FROM unnest(…)`, one row per session (highest seq, any activity, the messages' effect on
    /// the reply wait in order), in id order.
    func beforeCommit(_ connection: PostgresConnection) throws {
        let touches = gathered.elements
        guard !touches.isEmpty else { return }
        var merged: [SessionID: (seq: Int, activity: Bool, wait: ReplyWait)] = [:]
        for touch in touches {
            let old = merged[touch.sessionID]
            merged[touch.sessionID] = (
                max(old?.seq ?? 0, touch.seq), (old?.activity ?? false) || touch.activity, (old?.wait ?? .keep).then(touch.sender))
        }
        let rows = merged.map { (id: $0.key.description, seq: $0.value.seq, activity: $0.value.activity, wait: $0.value.wait) }
            .sorted { $0.id < $1.id }
        connection.queue(
            """
            UPDATE \(schema).sessions s SET last_seq = greatest(s.last_seq, v.seq),
                last_activity_at = CASE WHEN v.activity THEN now() ELSE s.last_activity_at END,
                idle_warned_at = CASE WHEN v.activity THEN NULL ELSE s.idle_warned_at END,
                reply_wait_since = CASE v.wait
                    WHEN 'clear' THEN NULL
                    WHEN 'start' THEN CASE WHEN s.state = 'assigned' THEN coalesce(s.reply_wait_since, now()) ELSE s.reply_wait_since END
                    WHEN 'restart' THEN CASE WHEN s.state = 'assigned' THEN now() END
                    ELSE s.reply_wait_since END
            FROM unnest($1::uuid[], $2::bigint[], $3::boolean[], $4::text[]) AS v(id, seq, activity, wait)
            WHERE s.id = v.id
            """,
            ["{" + rows.map(\.id).joined(separator: ",") + "}", "{" + rows.map { String($0.seq) }.joined(separator: ",") + "}",
             "{" + rows.map { $0.activity ? "t" : "f" }.joined(separator: ",") + "}",
             "{" + rows.map(\.wait.rawValue).joined(separator: ",") + "}"])
    }
}
