import KefuModel
import Postgres
import ServiceRuntime

/// What one request or event causes knowledge to publish, written to the outbox at the end of its handler,
/// inside the same transaction as the state change.
struct Publication {
    let streams: StreamNames
    let source: String
    /// The envelope being handled: its id becomes the `causation_id` (and, for replies, `correlation_id`).
    let cause: EnvelopeHeader
    /// Encoded once, when added (which also checks the size).
    private var pending: [OutboxEntry] = []

    init(streams: StreamNames, source: String, cause: EnvelopeHeader) {
        self.streams = streams
        self.source = source
        self.cause = cause
    }

    /// Adds an event for the events stream.
    mutating func event<Payload: EventPayload>(_ data: Payload) throws {
        pending.append(try OutboxEntry(EventEnvelope(source: source, causationID: cause.id, data: data), to: streams.events))
    }

    /// Answers the handled request on its `reply_to` with `data` (a `reply.result` or a `bot.answer`).
    mutating func reply<Payload: EventPayload>(_ data: Payload) throws {
        guard let replyTo = cause.replyTo else { return }
        let envelope = EventEnvelope(source: source, correlationID: cause.id, causationID: cause.id, data: data)
        pending.append(try OutboxEntry(envelope, to: replyTo))
    }

    /// Answers with a refusal (the message cut to the contract's 500 characters).
    mutating func refuse(_ refusal: Refusal) throws {
        var message = String(String.UnicodeScalarView(refusal.message.unicodeScalars.prefix(480)))
        if message.allSatisfy(\.isWhitespace) { message = refusal.code.rawValue }
        try reply(ReplyResult.failure(code: refusal.code.rawValue, message: message))
    }

    /// Writes everything collected to the outbox, in order.
    func flush(to outbox: Outbox, on connection: PostgresConnection) throws {
        guard !pending.isEmpty else { return }
        try outbox.enqueue(pending, on: connection)
    }
}
