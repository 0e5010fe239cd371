import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// 未知问题: the bot's misses — unanswered questions, questions answered only with 猜你想问 choices, and
/// answers the visitor marked 没用 — grouped by their normalized text (``groupKey(_:)``) for admins, who add
/// a group's question to an entry as a similar question, create an entry from it, or ignore it. A handled
/// group leaves the list; a later miss of the same question opens it again.
enum UnknownQuestions {
    /// Longest group key kept (characters), so the index stays small whatever a visitor typed.
    static let maxKeyLength = 200

    /// Sentence-final particles that do not change what is asked (怎么退货呢 = 怎么退货).
    static let finalParticles: Set<Unicode.Scalar> = ["吗", "呢", "啊", "呀", "吧", "哦", "嘛"]

    /// The group of a question: greeting clauses dropped (你好，… as the matcher's question focus sees them),
    /// the matcher's normalization (half-width, lower case, traditional folded to simplified, punctuation and
    /// spaces dropped) and final particles dropped, so 你好，怎么退货？ and 怎麼 退貨呢 are one group.
    static func groupKey(_ text: String) -> String {
        let clauses = text.split(whereSeparator: { "。！？!?；;，,\n…~～、".contains($0) }).map(String.init)
        let asked = clauses.filter { !KnowledgeQuestionFocus.isGreeting($0) }.joined(separator: " ")
        var scalars = Array(KnowledgeTextNormalizer.foldingTraditional.normalize(asked.isEmpty ? text : asked).unicodeScalars)
        scalars.removeAll { $0 == " " }
        while scalars.count > 1, let last = scalars.last, finalParticles.contains(last) { scalars.removeLast() }
        let key = String(String.UnicodeScalarView(scalars.prefix(maxKeyLength)))
        return key.isEmpty ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(maxKeyLength))) : key
    }

    /// Forgets bot questions asked more than `days` ago (the list covers that window); returns how many went.
    static func purge(schema: String, olderThanDays days: Int, _ connection: PostgresConnection) throws -> Int {
        try connection.execute(
            "DELETE FROM \(schema).bot_questions WHERE asked_at < now() - make_interval(days => $1)", [days])
    }

    /// What the bot did with a question, as `bot_questions.outcome` stores it, and the entry concerned.
    static func outcome(of answer: BotAnswer) -> (outcome: String, entryID: UUID?) {
        if answer.answered { return ("answered", answer.entryID?.uuid) }
        if let first = answer.suggestions?.first { return ("suggested", first.entryID.uuid) }
        return ("unanswered", nil)
    }
}

extension KnowledgeEngine {
    /// Queues the row of one decided bot question (it travels with the batch's COMMIT); `groupKey` when the
    /// batch already worked it out for this text.
    func recordQuestion(_ question: BotQuestion, answer: BotAnswer, groupKey: String? = nil, _ connection: PostgresConnection) {
        let (outcome, entryID) = UnknownQuestions.outcome(of: answer)
        connection.queue(
            """
            INSERT INTO \(schema).bot_questions (session_id, question_seq, text, group_key, outcome, entry_id, score)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (session_id, question_seq) DO NOTHING
            """,
            [question.sessionID.uuid, question.questionSeq, question.text, groupKey ?? UnknownQuestions.groupKey(question.text), outcome,
             entryID, answer.score])
    }

    /// `feedback.recorded`: a 没用 makes the answered question a miss again (unhandled); 有用 changes nothing.
    func feedbackRecorded(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        let data: FeedbackRecorded
        do {
            data = try event.decode(FeedbackRecorded.self).data
        } catch {
            throw KnowledgeHandlerError.malformed(type: "feedback.recorded", reason: "\(error)")
        }
        guard !data.useful else { return }
        connection.queue(
            """
            UPDATE \(schema).bot_questions
            SET not_useful = true, handled_at = NULL, handled_by = NULL, handled_action = NULL, handled_entry_id = NULL
            WHERE session_id = $1 AND question_seq = $2
            """,
            [data.sessionID.uuid, data.questionSeq])
    }

    /// `unknown_questions.list` (admin): open groups, most asked first, then most recent. Params `limit`
    /// (1–200, default 50), `offset` (0–100,000). A page also stops at about ``Paging/budget`` bytes;
    /// `next_offset` is where the next page starts when groups remain. `question` (the latest wording) is cut
    /// to the length of a similar question.
    func unknownQuestionsList(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let limit = try params.limit()
        let offset = try params.int("offset", in: 0...100_000) ?? 0
        let rows = try connection.query(
            """
            SELECT group_key, (array_agg(text ORDER BY asked_at DESC))[1], count(*)::bigint,
                   count(*) FILTER (WHERE outcome = 'unanswered' AND NOT not_useful)::bigint,
                   count(*) FILTER (WHERE outcome = 'suggested' AND NOT not_useful)::bigint,
                   count(*) FILTER (WHERE not_useful)::bigint,
                   min(asked_at), max(asked_at),
                   (array_agg(entry_id ORDER BY asked_at DESC) FILTER (WHERE entry_id IS NOT NULL))[1],
                   count(*) OVER ()
            FROM \(schema).bot_questions
            WHERE handled_at IS NULL AND (outcome <> 'answered' OR not_useful)
            GROUP BY group_key
            ORDER BY count(*) DESC, max(asked_at) DESC, group_key
            LIMIT $1 OFFSET $2
            """, [limit, offset])
        var total = 0
        var groups: [JSONValue] = []
        var entryIDs: [UUID] = []
        for row in rows {
            total = try row.decode(Int.self, at: 9)
            if let id = try row.decode(UUID?.self, at: 8) { entryIDs.append(id) }
        }
        let entries = try entries.find(entryIDs, enabledOnly: false, connection)
        var used = 0
        for row in rows {
            let entryID = try row.decode(UUID?.self, at: 8)
            let question = try row.decode(String.self, at: 1)
            let group: JSONValue = .members([
                ("key", .string(try row.decode(String.self, at: 0))),
                ("question", .string(String(String.UnicodeScalarView(question.unicodeScalars.prefix(TextRules.maxQuestion))))),
                ("count", .integer(try row.decode(Int64.self, at: 2))),
                ("unanswered", .integer(try row.decode(Int64.self, at: 3))),
                ("suggested", .integer(try row.decode(Int64.self, at: 4))),
                ("not_useful", .integer(try row.decode(Int64.self, at: 5))),
                ("first_seen", .time(try row.decode(Date.self, at: 6))),
                ("last_seen", .time(try row.decode(Date.self, at: 7))),
                ("entry", entryID.flatMap { entries[$0] }.map { .object(["entry_id": .string($0.id.lowercasedString), "question": .string($0.question)]) }),
            ])
            let size = Paging.encodedSize(group)
            if !groups.isEmpty, used + size > Paging.budget { break }
            groups.append(group)
            used += size
        }
        let next = offset + groups.count
        return .members([
            ("groups", .array(groups)), ("total", .integer(Int64(total))),
            ("next_offset", next < total ? .integer(Int64(next)) : nil),
        ])
    }

    /// `unknown_questions.add_similar` (admin): adds the group's question (or `question`, edited by the
    /// admin) to entry `entry_id` as a similar question — the admin's choice, so no closeness threshold —
    /// announces the change (the matcher picks it up at once) and marks the group handled.
    func unknownQuestionsAddSimilar(
        _ caller: Caller, _ params: Params, _ connection: PostgresConnection, _ publication: inout Publication
    ) throws -> JSONValue {
        let key = try params.requiredString("key")
        let entryID = try params.requiredUUID("entry_id")
        let question = try TextRules.text(
            try params.string("question") ?? latestQuestion(of: key, connection), field: "question", max: TextRules.maxQuestion,
            multiline: false)
        let current = try existing(entryID, connection)
        var record = current
        if !([current.question] + current.similar).contains(where: { $0.lowercased() == question.lowercased() }) {
            let draft = try EntryDraft(
                question: current.question, similar: current.similar + [question], answer: current.answer,
                imageID: current.imageID, category: current.category, enabled: current.enabled)
            record = try entries.update(current.id, draft, categoryID: current.categoryID, by: caller.agentID, connection)
            try publication.event(KnowledgeChanged(entryID: KnowledgeEntryID(record.id), change: .upserted))
        }
        let handled = try markHandled(key, action: "similar", entryID: record.id, by: caller.agentID, connection)
        return .object(["entry": record.json, "handled": .integer(Int64(handled))])
    }

    /// `unknown_questions.handle` (admin): marks a group handled — `action` `created` (with the `entry_id`
    /// of the entry just created from it) or `ignored`.
    func unknownQuestionsHandle(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let key = try params.requiredString("key")
        let action = try params.requiredString("action")
        let entryID = try params.uuid("entry_id")
        switch action {
        case "created":
            guard let entryID else { throw Refusal(.invalidParams, "`entry_id` is required with action `created`") }
            _ = try existing(entryID, connection)
        case "ignored":
            guard entryID == nil else { throw Refusal(.invalidParams, "`entry_id` goes only with action `created`") }
        default:
            throw Refusal(.invalidParams, "`action` must be `created` or `ignored`")
        }
        let handled = try markHandled(key, action: action, entryID: entryID, by: caller.agentID, connection)
        return .object(["handled": .integer(Int64(handled))])
    }

    /// The most recent text of an open group, or `unknown_question`.
    private func latestQuestion(of key: String, _ connection: PostgresConnection) throws -> String {
        let rows = try connection.query(
            """
            SELECT text FROM \(schema).bot_questions
            WHERE group_key = $1 AND handled_at IS NULL AND (outcome <> 'answered' OR not_useful)
            ORDER BY asked_at DESC LIMIT 1
            """, [key])
        guard let text = try rows.first?.decode(String.self, at: 0) else {
            throw Refusal(.unknownQuestion, "there is no open unknown question group \"\(key)\"")
        }
        return text
    }

    /// Stamps the open rows of a group; `unknown_question` when there are none (already handled, or never seen).
    private func markHandled(_ key: String, action: String, entryID: UUID?, by agent: UUID, _ connection: PostgresConnection) throws -> Int {
        let rows = try connection.query(
            """
            WITH handled AS (
                UPDATE \(schema).bot_questions
                SET handled_at = now(), handled_by = $2, handled_action = $3, handled_entry_id = $4
                WHERE group_key = $1 AND handled_at IS NULL AND (outcome <> 'answered' OR not_useful)
                RETURNING 1)
            SELECT count(*) FROM handled
            """, [key, agent, action, entryID])
        let count = try rows.first?.decode(Int.self, at: 0) ?? 0
        guard count > 0 else {
            throw Refusal(.unknownQuestion, "there is no open unknown question group \"\(key)\" (already handled?)")
        }
        return count
    }
}
