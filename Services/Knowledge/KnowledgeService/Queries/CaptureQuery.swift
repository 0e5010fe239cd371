import Foundation
import KefuModel
import Postgres

/// `kb.capture` (问题收录): an agent saves one visitor question and one answer from a session they serve
/// or served, as a new entry (recording the session) or — when they name an existing entry the question
/// is close to — as a similar question of that entry.
extension KnowledgeEngine {
    func kbCapture(_ caller: Caller, _ params: Params, _ connection: PostgresConnection, _ publication: inout Publication) throws -> JSONValue {
        let session = try params.requiredUUID("session_id")
        guard case .string = params.values["question"] ?? .null else {
            throw Refusal(.invalidParams, "`question` is required: exactly one visitor question (a string)")
        }
        if !caller.isAdmin { try sessions.requireServed(session, by: caller.agentID, connection) }
        let question = try TextRules.text(try params.requiredString("question"), field: "question", max: TextRules.maxQuestion, multiline: false)
        let record: EntryRecord
        let mode: String
        var answer: String?
        if let entryID = try params.uuid("entry_id") {
            record = try addSimilar(question, to: entryID, by: caller.agentID, connection, &publication)
            mode = "similar"
        } else {
            guard case .string = params.values["answer"] ?? .null else {
                throw Refusal(.invalidParams, "`answer` is required: exactly one answer (a string)")
            }
            let draft = try EntryDraft(
                question: question, similar: [], answer: try params.requiredString("answer"), imageID: nil,
                category: try params.string("category"), enabled: true)
            answer = draft.answer
            record = try createEntry(draft, by: caller.agentID, sourceSession: session, connection, &publication)
            mode = "created"
        }
        try connection.execute(
            """
            INSERT INTO \(schema).captures (id, session_id, agent_id, entry_id, mode, question, answer)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            [UUID(), session, caller.agentID, record.id, mode, question, answer])
        return record.json
    }

    /// Adds `question` to an entry's similar questions if the matcher finds it close enough to that entry.
    private func addSimilar(
        _ question: String, to entryID: UUID, by agent: UUID, _ connection: PostgresConnection, _ publication: inout Publication
    ) throws -> EntryRecord {
        let current = try existing(entryID, connection)
        let known = ([current.question] + current.similar).map { $0.lowercased() }
        if known.contains(question.lowercased()) { return current }
        try prepareIndex(connection)
        let confidence = index.search(question, limit: 50).first { $0.entryID == entryID.lowercasedString }?.confidence ?? 0
        guard confidence >= settings.similarThreshold else {
            throw Refusal(
                .invalidParams,
                "the question is not close enough to entry \(entryID.lowercasedString) (confidence \(Self.rounded(confidence)) < \(settings.similarThreshold)); save it as a new entry instead")
        }
        let draft = try EntryDraft(
            question: current.question, similar: current.similar + [question], answer: current.answer,
            imageID: current.imageID, category: current.category, enabled: current.enabled)
        let record = try entries.update(current.id, draft, categoryID: current.categoryID, by: agent, connection)
        try publication.event(KnowledgeChanged(entryID: KnowledgeEntryID(record.id), change: .upserted))
        return record
    }
}
