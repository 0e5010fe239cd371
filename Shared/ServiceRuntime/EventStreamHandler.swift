import KefuModel
import Logging
import Postgres
import RedisStreams

/// Applies Kefu events from a stream: decodes each envelope header, then applies the batch in one
/// PostgreSQL transaction that also records every event id in `<schema>.processed_events`, so an
/// event redelivered after a crash is recognised and skipped. Handlers queue their writes
/// (``Postgres/PostgresConnection/queue(_:_:)``), so a batch costs a few round trips, not a few per event:
/// BEGIN with the inbox insert, the consumer's ``ConsumerDefinition/prepare`` read (reference data and
/// rows of the whole batch), then every write with COMMIT. The outbox rows are published right after.
///
/// Entries that are not envelopes are dead-lettered at once; so are envelopes of a type without a handler
/// when the policy says so (otherwise they are acknowledged without effect), and envelopes the consumer's
/// ``ConsumerDefinition/check`` refuses.
struct EventStreamHandler: StreamHandler {
    /// A decoded entry: an event to apply, or one to acknowledge without effect.
    enum Message: Sendable {
        case apply(IncomingEvent, ConsumerDefinition.Apply)
        case skip
    }

    let consumer: ConsumerDefinition
    let schema: String
    let group: String
    let postgres: PostgresClient
    /// Publishes the batch's outbox rows right after its commit (nil: the relay does).
    var publisher: OutboxPublisher?

    func decode(_ entry: StreamEntry) throws -> Message {
        let raw = try EnvelopeCodec.eventValue(of: entry.fields)
        let header: EnvelopeHeader
        let dataRange: Range<Int>?
        do {
            (header, dataRange) = try EnvelopeCodec.locateHeader(raw)
        } catch ContractError.unknownType where consumer.unknownTypes == .acknowledge {
            return .skip
        }
        guard let apply = consumer.handlers[header.type] else {
            if consumer.unknownTypes == .acknowledge { return .skip }
            throw EventDecodingError.noHandler(type: header.type.rawValue, group: group)
        }
        let event = IncomingEvent(entryID: entry.id, header: header, raw: raw, dataRange: dataRange)
        try consumer.check?(event)
        return .apply(event, apply)
    }

    func handle(_ batch: [StreamMessage<Message>]) async throws {
        let work: [(IncomingEvent, ConsumerDefinition.Apply)] = batch.compactMap {
            if case .apply(let event, let apply) = $0.message { return (event, apply) }
            return nil
        }
        guard !work.isEmpty else { return }
        let table = "\(schema).processed_events"
        let group = self.group
        let publishes = publisher != nil
        let notes = try await postgres.transaction { connection in
            if publishes { OutboxPublisher.Committer.mark(connection) }
            let ids = "{" + work.map { $0.0.header.id.description }.joined(separator: ",") + "}"
            let fresh = try connection.query(
                "INSERT INTO \(table) (consumer_group, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id::text",
                [group, ids])
            var pending = Set(try fresh.map { try $0.decode(String.self, at: 0) })
            let batch = work.filter { pending.remove($0.0.header.id.description) != nil }
            try consumer.prepare?(batch.map(\.0), connection)
            for (event, apply) in batch {
                try apply(event, connection)
            }
            try consumer.finish?(connection)
            return Outbox.enqueued(on: connection)
        }
        await publisher?.publish(notes)
        await consumer.afterCommit?()
    }
}

/// Why an entry could not be turned into an event to apply.
enum EventDecodingError: Error, CustomStringConvertible, DeadLetterCause {
    case noHandler(type: String, group: String)

    var description: String {
        switch self {
        case .noHandler(let type, let group):
            return "consumer group '\(group)' has no handler for event type '\(type)'"
        }
    }

    var deadLetterReason: String { "unknown_type: \(description)" }
}

extension ContractError: DeadLetterCause {
    /// `<code>: <message>`, as the stream contract documents for `dead.reason`.
    public var deadLetterReason: String { DeadLetter.reason(for: self) }
}
