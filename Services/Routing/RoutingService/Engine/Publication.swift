import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// The events one handler call publishes, collected and written to the outbox in one statement at the
/// end of the call (inside the same transaction as the state change).
struct Publication {
    let streams: StreamNames
    let source: String
    /// The envelope being handled: its id becomes the `causation_id` of what it causes.
    let cause: EnvelopeHeader?
    private(set) var entries: [OutboxEntry] = []

    init(streams: StreamNames, source: String, cause: EnvelopeHeader?) {
        self.streams = streams
        self.source = source
        self.cause = cause
    }

    /// Adds an event for `kefu:events`.
    mutating func event<Payload: EventPayload>(_ data: Payload) throws {
        let envelope = EventEnvelope(source: source, causationID: cause?.id, data: data)
        entries.append(try OutboxEntry(envelope, to: streams.events))
    }

    /// Adds a request (e.g. `bot.question`) for another service's request stream.
    mutating func request<Payload: EventPayload>(
        _ data: Payload, to stream: String, replyTo: String, expiresAt: Timestamp?
    ) throws {
        let envelope = EventEnvelope(
            source: source, causationID: cause?.id, replyTo: replyTo, expiresAt: expiresAt, data: data)
        entries.append(try OutboxEntry(envelope, to: stream))
    }

    /// Answers the handled envelope when it asked for an answer (`reply_to`).
    mutating func reply(_ result: ReplyResult) throws {
        guard let cause, let replyTo = cause.replyTo else { return }
        let envelope = EventEnvelope(source: source, correlationID: cause.id, causationID: cause.id, data: result)
        entries.append(try OutboxEntry(envelope, to: replyTo))
    }

    /// Answers with a refusal.
    mutating func refuse(_ refusal: Refusal) throws {
        var message = String(String.UnicodeScalarView(refusal.message.unicodeScalars.prefix(480)))
        if message.allSatisfy(\.isWhitespace) { message = refusal.code.rawValue }
        try reply(.failure(code: refusal.code.rawValue, message: message))
    }

    /// Writes everything collected to the outbox.
    func flush(to outbox: Outbox, on connection: PostgresConnection) throws {
        guard !entries.isEmpty else { return }
        try outbox.enqueue(entries, on: connection)
    }
}
