import Foundation
import KefuModel
import Logging
import Postgres
import ServiceRuntime

/// Knowledge's handlers and what they share. Handlers run inside the consumer's transaction (the inbox);
/// everything they publish goes through the outbox of that transaction.
struct KnowledgeEngine: Sendable {
    /// The schema, `knowledge`.
    let schema: String
    /// Stream names under the configured prefix.
    let streams: StreamNames
    /// Thresholds and intervals.
    let settings: KnowledgeSettings
    /// This instance's matcher.
    let index: KnowledgeIndex
    /// Short-lived Redis keys for imports and exports.
    let blobs: BlobStore
    let logger: Logger

    /// The `source` of what knowledge publishes.
    static let source = "knowledge"

    init(schema: String, streams: StreamNames, settings: KnowledgeSettings, index: KnowledgeIndex, blobs: BlobStore, logger: Logger) {
        self.schema = schema
        self.streams = streams
        self.settings = settings
        self.index = index
        self.blobs = blobs
        self.logger = logger
    }

    var outbox: Outbox { Outbox(schema: schema) }
    var entries: EntryStore { EntryStore(schema: schema) }
    var loader: IndexLoader { IndexLoader(schema: schema) }
    var lexicon: LexiconStore { LexiconStore(schema: schema) }
    var quickReplies: QuickReplyStore { QuickReplyStore(schema: schema) }
    var sessions: SessionTracker { SessionTracker(schema: schema) }

    /// Makes the matcher current before it answers: the full load on first use, then the entries changed
    /// since the highest revision it has seen (so a change committed before this request — by this instance
    /// or another — is matched even if its `knowledge.changed` has not arrived yet); when the admins' words or
    /// synonyms changed since the matcher was built, it is rebuilt from PostgreSQL with them.
    func prepareIndex(_ connection: PostgresConnection) throws {
        if connection.transactionNotes.contains(where: { $0 is IndexChecked }) { return }
        connection.transactionNotes.append(IndexChecked())
        try index.ensureLoaded { try loader.snapshot(connection) }
        let changes = try loader.changes(since: index.highWater, connection)
        if changes.lexiconRevision != index.lexiconRevision {
            try index.rebuild(lexiconRevision: changes.lexiconRevision) { try loader.snapshot(connection) }
        } else if !changes.rows.isEmpty || !changes.tombstones.isEmpty {
            index.apply(changes.rows, tombstones: changes.tombstones)
        }
    }

    /// Runs one handler inside a (lazy) savepoint: a ``Refusal`` (or a unique-index clash, or a reply too large
    /// for a stream entry) rolls back what the handler did and only the refusal is published; any other
    /// error is rethrown, so the batch is retried.
    func run(_ header: EnvelopeHeader, on connection: PostgresConnection, _ body: (inout Publication) throws -> Void) throws {
        var publication = Publication(streams: streams, source: Self.source, cause: header)
        let savepoint = connection.lazySavepoint("knowledge_handler")
        do {
            try body(&publication)
            connection.release(savepoint)
        } catch {
            guard let refusal = Self.refusal(for: error) else { throw error }
            connection.rollback(to: savepoint)
            publication = Publication(streams: streams, source: Self.source, cause: header)
            try publication.refuse(refusal)
            logger.debug("refused", metadata: ["type": "\(header.type.rawValue)", "code": "\(refusal.code.rawValue)"])
        }
        try publication.flush(to: outbox, on: connection)
    }

    /// The refusal an error stands for, if it is one a person can act on.
    static func refusal(for error: any Error) -> Refusal? {
        switch error {
        case let refusal as Refusal:
            return refusal
        case PostgresError.uniqueViolation(let constraint):
            switch constraint ?? "" {
            case "entries_question": return Refusal(.duplicateQuestion, "another entry already has this standard question")
            case "quick_replies_keyword": return Refusal(.duplicateKeyword, "this library already has a quick reply with this keyword")
            case "categories_name", "quick_reply_categories_name":
                return Refusal(.duplicateCategory, "a category with this name already exists")
            default: return nil
            }
        case ContractError.tooLarge(let bytes, let limit):
            return Refusal(.payloadTooLarge, "the answer would be \(bytes) bytes, more than a stream entry's \(limit); ask for less (a smaller limit)")
        default:
            return nil
        }
    }

    /// Whether a request's `expires_at` has passed (the asker gave up; nothing is answered).
    static func expired(_ header: EnvelopeHeader) -> Bool {
        guard let expires = header.expiresAt else { return false }
        return expires < Timestamp.now()
    }
}

/// Marks a transaction whose index was already brought up to date (once per batch, not per question).
private struct IndexChecked: Sendable {}
