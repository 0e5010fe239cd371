import KefuModel
import Logging
import Postgres
import RedisStreams
import ServiceRuntime

/// The store's handler on the events stream: persists every session event (an event whose `data` has
/// `session_id` and `seq`) and keeps `store.sessions` current, a whole batch at a time.
///
/// One batch is one transaction made of one statement (``EventBatchSQL``): it inserts the events with a
/// multi-row `INSERT … ON CONFLICT DO NOTHING` (unique on the event id — the store's inbox, kept with the
/// event for good — and on `(session_id, seq)`), and upserts one row per session from the rows actually
/// inserted. The consumer acknowledges the batch only after the commit.
///
/// Entries that are not envelopes, and session events whose `data` breaks the contract, are
/// dead-lettered by the consumer at decode; other event types (`agent.updated`, `assist.suggested`, types
/// newer than this build…) are acknowledged without effect.
struct EventRecorder: StreamHandler {
    /// What an entry is to the store.
    enum Message: Sendable {
        /// A session event to store: its id and its envelope as JSON text for PostgreSQL.
        case store(EventID, String)
        /// Not the store's concern; acknowledged without effect.
        case skip
    }

    /// Event types that belong to a session's sequence and are stored.
    static let storedTypes: Set<EventType> = [
        .sessionCreated, .sessionQueued, .queuePosition, .sessionAssigned, .sessionTransferred, .sessionEnded,
        .messageAccepted, .ratingRecorded, .feedbackRecorded, .noteAdded,
    ]

    let postgres: PostgresClient
    let group: String
    let logger: Logger

    func decode(_ entry: StreamEntry) throws -> Message {
        let raw = try EnvelopeCodec.eventValue(of: entry.fields)
        let header: EnvelopeHeader
        let dataRange: Range<Int>?
        do {
            (header, dataRange) = try EnvelopeCodec.locateHeader(raw)
        } catch ContractError.unknownType {
            return .skip
        }
        guard Self.storedTypes.contains(header.type) else { return .skip }
        _ = try EnvelopeCodec.decodeAny(raw, header: header, dataRange: dataRange)
        return .store(header.id, PostgresJSON.text(raw))
    }

    func handle(_ batch: [StreamMessage<Message>]) async throws {
        var seen = Set<EventID>()
        var envelopes: [String] = []
        for message in batch {
            if case .store(let id, let json) = message.message, seen.insert(id).inserted {
                envelopes.append(json)
            }
        }
        guard !envelopes.isEmpty else { return }
        let document = "[" + envelopes.joined(separator: ",") + "]"
        let inserted = try await postgres.transaction { connection in
            try connection.query(EventBatchSQL.record, [document])[0].decode(Int.self, at: 0)
        }
        if inserted < envelopes.count {
            logger.debug(
                "events already stored were skipped",
                metadata: ["batch": "\(envelopes.count)", "inserted": "\(inserted)"])
        }
    }
}
