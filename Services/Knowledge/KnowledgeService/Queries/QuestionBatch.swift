import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// The `bot.question`s of one requests batch, decided together before the handlers run: the entries their
/// answers and 猜你想问 choices need are read with one query instead of one per question.
final class QuestionBatch: Sendable {
    /// What the batch worked out once per distinct question text.
    struct Outcome: Sendable {
        /// The matcher's decision.
        let decision: KnowledgeDecision
        /// The best-scored match (the `score` of an unanswered question).
        let best: KnowledgeMatch?
        /// ``UnknownQuestions/groupKey(_:)`` of the text.
        let groupKey: String
    }

    /// The outcome for each question text of the batch.
    let outcomes: [String: Outcome]
    /// The enabled entries among those looked up.
    let records: [UUID: EntryRecord]
    /// Every entry id looked up (found or not).
    let looked: Set<UUID>

    private init(outcomes: [String: Outcome], records: [UUID: EntryRecord], looked: Set<UUID>) {
        self.outcomes = outcomes
        self.records = records
        self.looked = looked
    }

    /// The batch attached to the connection's transaction, if any.
    static func current(on connection: PostgresConnection) -> QuestionBatch? {
        connection.transactionNotes.lazy.compactMap { $0 as? QuestionBatch }.first
    }

    /// The enabled entries among `ids`, or nil when the batch did not look every one of them up.
    func records(_ ids: [UUID]) -> [UUID: EntryRecord]? {
        guard ids.allSatisfy(looked.contains) else { return nil }
        return records.filter { ids.contains($0.key) }
    }

    /// Decides the batch's questions (each distinct text once) and reads the entries the decisions name, in
    /// one query. A batch that also carries queries (which may edit entries) is left to answer question by
    /// question, in order.
    static func prepare(_ events: [IncomingEvent], engine: KnowledgeEngine, on connection: PostgresConnection) throws {
        guard events.allSatisfy({ $0.header.type == .botQuestion }) else { return }
        let texts = Set(events.lazy.filter { $0.header.type == .botQuestion }.compactMap { try? $0.decode(BotQuestion.self).data.text })
        guard !texts.isEmpty else { return }
        try engine.prepareIndex(connection)
        var outcomes: [String: Outcome] = [:]
        var ids = Set<UUID>()
        for text in texts {
            let (decision, best) = engine.decideWithBest(text)
            outcomes[text] = Outcome(decision: decision, best: best, groupKey: UnknownQuestions.groupKey(text))
            switch decision {
            case .answer(let best): best.uuid.map { _ = ids.insert($0) }
            case .suggest(let choices): ids.formUnion(choices.compactMap(\.uuid))
            case .none: break
            }
        }
        let records = try engine.entries.find(Array(ids), enabledOnly: true, connection)
        connection.transactionNotes.append(QuestionBatch(outcomes: outcomes, records: records, looked: ids))
    }
}
