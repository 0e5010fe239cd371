import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// What a routing batch reads once for all its events, in one pipelined round trip before the handlers run:
/// the settings version, every session the batch's events name — the open sessions of its visitors and the
/// sessions its commands give by id — locked `FOR UPDATE` in id order (so two instances lock in the same
/// order), the message ids of its messages that were already accepted, the bot answers its feedback
/// (`visitor.feedback`) names, and the blocks in force on the visitors of its messages and transfer requests.
///
/// A handler takes a session from here instead of reading it; the copy it takes is then the truth and is
/// forgotten here, so a second event of the same session in the batch reads the row again (seeing what the
/// first wrote). Handlers still queue their writes; the batch ends with them and COMMIT in one round trip.
final class RoutingBatch: @unchecked Sendable {
    /// A visitor of a channel.
    struct VisitorKey: Hashable {
        var channel: String
        var visitorID: String
    }

    /// A message id (sender, channel, owner, client message id) as `message_ids` keys it.
    struct MessageKey: Hashable {
        var sender: String
        var channel: String
        var owner: String
        var clientMessageID: String
    }

    /// The first copy of a message: where it went.
    struct AcceptedMessage {
        var sessionID: SessionID?
        var seq: Int?
    }

    /// A bot answer of a session, by its message's `seq`.
    struct AnswerKey: Hashable {
        var sessionID: SessionID
        var seq: Int
    }

    /// A bot answer a visitor may give feedback on (a `bot_answers` row).
    struct BotAnswerRow: Sendable {
        var questionSeq: Int
        var entryID: KnowledgeEntryID
        var hasFeedback: Bool
    }

    /// What the batch knows about a visitor's open session.
    enum OpenSession {
        case found(SessionRecord)
        case none
        case unknown
    }

    /// The settings version in force when the batch started.
    let settingsVersion: Int
    private var openByVisitor: [VisitorKey: SessionID] = [:]
    private var visitorsWithoutSession: Set<VisitorKey> = []
    private var sessions: [SessionID: SessionRecord] = [:]
    private var accepted: [MessageKey: AcceptedMessage] = [:]
    private var answersAsked: Set<AnswerKey> = []
    private var answers: [AnswerKey: BotAnswerRow] = [:]
    private var blocksAsked: Set<VisitorKey> = []
    private var blocked: Set<VisitorKey> = []

    private init(settingsVersion: Int) {
        self.settingsVersion = settingsVersion
    }

    /// The batch of the transaction on `connection`, if one was prepared.
    static func current(on connection: PostgresConnection) -> RoutingBatch? {
        connection.transactionNotes.lazy.compactMap { $0 as? RoutingBatch }.first
    }

    /// Takes the visitor's open session (locked by the batch).
    func takeOpen(channel: String, visitorID: String) -> OpenSession {
        let key = VisitorKey(channel: channel, visitorID: visitorID)
        if visitorsWithoutSession.remove(key) != nil { return .none }
        guard let id = openByVisitor.removeValue(forKey: key), let session = sessions.removeValue(forKey: id) else {
            return .unknown
        }
        return .found(session)
    }

    /// Takes a session by id (locked by the batch).
    func take(_ id: SessionID) -> SessionRecord? {
        guard let session = sessions.removeValue(forKey: id) else { return nil }
        openByVisitor.removeValue(forKey: VisitorKey(channel: session.channel, visitorID: session.visitorID))
        return session
    }

    /// Where an already accepted message went, or nil when the message is new to the batch's view.
    func acceptedBefore(_ key: MessageKey) -> AcceptedMessage? {
        accepted[key]
    }

    /// Notes a message accepted by an earlier event of this batch.
    func noteAccepted(_ key: MessageKey, sessionID: SessionID, seq: Int) {
        accepted[key] = AcceptedMessage(sessionID: sessionID, seq: seq)
    }

    /// The bot answer at `key`: `.some(row)` or `.some(nil)` (no such answer) when the batch read it, nil when
    /// the batch did not ask (the caller reads it).
    func botAnswer(_ key: AnswerKey) -> BotAnswerRow?? {
        guard answersAsked.contains(key) else { return nil }
        return .some(answers[key])
    }

    /// Notes feedback given on an answer by an earlier event of this batch.
    func noteFeedback(_ key: AnswerKey) {
        answers[key]?.hasFeedback = true
    }

    /// Whether a block is in force on the visitor: true or false when the batch read it, nil when the batch did
    /// not ask (the caller reads it).
    func isBlocked(channel: String, visitorID: String) -> Bool? {
        let key = VisitorKey(channel: channel, visitorID: visitorID)
        guard blocksAsked.contains(key) else { return nil }
        return blocked.contains(key)
    }

    /// Reads everything the events need in one round trip and attaches the batch to the transaction.
    ///
    /// The per-key lookups are `LATERAL … LIMIT 1` so that each is an index probe whatever the planner
    /// thinks of the arrays: a plain join of a 100-element `unnest` turned into a scan of the whole table.
    static func prepare(_ events: [IncomingEvent], schema: String, on connection: PostgresConnection) throws {
        var visitors: [VisitorKey] = []
        var sessionIDs: [String] = []
        var messages: [MessageKey] = []
        var feedback: [AnswerKey] = []
        var blockable: [VisitorKey] = []
        for event in events {
            guard let envelope = try? event.decodeAny() else { continue }
            switch envelope.anyData {
            case let message as VisitorMessage:
                visitors.append(VisitorKey(channel: message.channel, visitorID: message.visitorID))
                blockable.append(VisitorKey(channel: message.channel, visitorID: message.visitorID))
                messages.append(MessageKey(
                    sender: "visitor", channel: message.channel, owner: message.visitorID, clientMessageID: message.clientMessageID))
            case let action as VisitorRequestHuman:
                visitors.append(VisitorKey(channel: action.channel, visitorID: action.visitorID))
                blockable.append(VisitorKey(channel: action.channel, visitorID: action.visitorID))
            case let action as VisitorEnd:
                visitors.append(VisitorKey(channel: action.channel, visitorID: action.visitorID))
            case let action as VisitorExitQueue:
                visitors.append(VisitorKey(channel: action.channel, visitorID: action.visitorID))
            case let message as AgentMessage:
                sessionIDs.append(message.sessionID.description)
                messages.append(MessageKey(
                    sender: "agent", channel: "", owner: message.agentID.description, clientMessageID: message.clientMessageID))
            case let note as AgentNote:
                sessionIDs.append(note.sessionID.description)
                messages.append(MessageKey(
                    sender: "note", channel: "", owner: note.agentID.description, clientMessageID: note.clientNoteID))
            case let summary as AgentSubmitSummary:
                sessionIDs.append(summary.sessionID.description)
            case let answer as BotAnswer:
                sessionIDs.append(answer.sessionID.description)
            case let given as VisitorFeedback:
                sessionIDs.append(given.sessionID.description)
                feedback.append(AnswerKey(sessionID: given.sessionID, seq: given.seq))
            default:
                continue
            }
        }
        let results = try connection.pipeline([
            PostgresStatement("SELECT coalesce(max(version), 0) FROM \(schema).settings"),
            PostgresStatement(
                """
                SELECT \(SessionRecord.columns) FROM \(schema).sessions
                WHERE id IN (
                    SELECT unnest($1::uuid[])
                    UNION
                    SELECT open.id FROM unnest($2::text[], $3::text[]) AS v(channel, visitor_id)
                    CROSS JOIN LATERAL (
                        SELECT s.id FROM \(schema).sessions s
                        WHERE s.channel = v.channel AND s.visitor_id = v.visitor_id AND s.state IN ('bot', 'queued', 'assigned')
                        LIMIT 1) open)
                ORDER BY id FOR UPDATE
                """,
                ["{" + sessionIDs.joined(separator: ",") + "}", PostgresArray.literal(visitors.map(\.channel)),
                 PostgresArray.literal(visitors.map(\.visitorID))]),
            PostgresStatement(
                """
                SELECT m.sender, m.channel, m.owner_id, m.client_message_id, m.session_id, m.seq
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(sender, channel, owner_id, client_message_id)
                CROSS JOIN LATERAL (
                    SELECT * FROM \(schema).message_ids m
                    WHERE m.sender = k.sender AND m.channel = k.channel AND m.owner_id = k.owner_id
                      AND m.client_message_id = k.client_message_id
                    LIMIT 1) m
                """,
                [PostgresArray.literal(messages.map(\.sender)), PostgresArray.literal(messages.map(\.channel)),
                 PostgresArray.literal(messages.map(\.owner)), PostgresArray.literal(messages.map(\.clientMessageID))]),
            PostgresStatement(
                """
                SELECT a.session_id, a.seq, a.question_seq, a.entry_id, a.useful IS NOT NULL
                FROM \(schema).bot_answers a
                JOIN unnest($1::uuid[], $2::bigint[]) AS k(session_id, seq) USING (session_id, seq)
                """,
                ["{" + feedback.map(\.sessionID.description).joined(separator: ",") + "}",
                 "{" + feedback.map { String($0.seq) }.joined(separator: ",") + "}"]),
            PostgresStatement(
                """
                SELECT v.channel, v.visitor_id
                FROM unnest($1::text[], $2::text[]) AS v(channel, visitor_id)
                CROSS JOIN LATERAL (
                    SELECT 1 FROM \(schema).blocked_visitors b
                    WHERE b.channel = v.channel AND b.visitor_id = v.visitor_id AND b.lifted_at IS NULL
                      AND (b.until IS NULL OR b.until > now())
                    LIMIT 1) b
                """,
                [PostgresArray.literal(blockable.map(\.channel)), PostgresArray.literal(blockable.map(\.visitorID))]),
        ])
        let batch = RoutingBatch(settingsVersion: try results[0].first?.decode(Int.self, at: 0) ?? 0)
        for row in results[1] {
            let session = try SessionRecord(row: row)
            batch.sessions[session.id] = session
            if session.state.isOpen {
                batch.openByVisitor[VisitorKey(channel: session.channel, visitorID: session.visitorID)] = session.id
            }
        }
        batch.visitorsWithoutSession = Set(visitors).subtracting(batch.openByVisitor.keys)
        for row in results[2] {
            let key = MessageKey(
                sender: try row.decode(String.self, at: 0), channel: try row.decode(String.self, at: 1),
                owner: try row.decode(String.self, at: 2), clientMessageID: try row.decode(String.self, at: 3))
            batch.accepted[key] = AcceptedMessage(
                sessionID: try row.decode(UUID?.self, at: 4).map(SessionID.init), seq: try row.decode(Int?.self, at: 5))
        }
        batch.answersAsked = Set(feedback)
        for row in results[3] {
            let key = AnswerKey(sessionID: SessionID(try row.decode(UUID.self, at: 0)), seq: try row.decode(Int.self, at: 1))
            batch.answers[key] = BotAnswerRow(
                questionSeq: try row.decode(Int.self, at: 2), entryID: KnowledgeEntryID(try row.decode(UUID.self, at: 3)),
                hasFeedback: try row.decode(Bool.self, at: 4))
        }
        batch.blocksAsked = Set(blockable)
        for row in results[4] {
            batch.blocked.insert(VisitorKey(channel: try row.decode(String.self, at: 0), visitorID: try row.decode(String.self, at: 1)))
        }
        connection.transactionNotes.append(batch)
    }
}
