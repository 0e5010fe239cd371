import KefuModel
import Logging
import RedisStreams

/// The store's handler on `requests:store`: answers each `query.request` with one `reply.result` on its
/// `reply_to` (correlation id = the request's id), then the consumer acknowledges it.
///
/// Requests past `expires_at` are acknowledged unanswered (the asker gave up). A request whose `data`
/// breaks the contract is answered `invalid_params`; an entry that is not a `query.request` envelope is
/// dead-lettered. A failure of PostgreSQL or Redis leaves the request pending for a later delivery; a
/// request answered just before a crash may be answered twice (askers ignore the second reply).
struct QueryHandler: StreamHandler {
    /// A decoded request.
    enum Message: Sendable {
        /// A well-formed query.
        case query(EventEnvelope<QueryRequest>)
        /// A request envelope whose `data` is malformed: answered with `invalid_params`.
        case malformed(EnvelopeHeader, reason: String)
    }

    /// The `source` of replies.
    static let source = "store"
    /// Requests of one batch answered at the same time.
    static let concurrency = 8

    let queries: StoreQueries
    let producer: StreamProducer
    let logger: Logger
    /// The current time; tests move it.
    var now: @Sendable () -> Timestamp = { Timestamp.now() }

    func decode(_ entry: StreamEntry) throws -> Message {
        let raw = try EnvelopeCodec.eventValue(of: entry.fields)
        let header = try EnvelopeCodec.decodeHeader(raw)
        guard header.type == .queryRequest else {
            throw QueryDecodingError.notAQuery(type: header.type.rawValue)
        }
        do {
            return .query(try EnvelopeCodec.decode(raw, as: QueryRequest.self))
        } catch {
            return .malformed(header, reason: "\(error)")
        }
    }

    /// Answers a batch, at most ``concurrency`` requests at a time (an `image.put` may hold 5 MiB).
    func handle(_ batch: [StreamMessage<Message>]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var waiting = batch.makeIterator()
            for _ in 0..<Self.concurrency {
                guard let message = waiting.next() else { break }
                group.addTask { try await answer(message.message) }
            }
            while try await group.next() != nil {
                if let message = waiting.next() {
                    group.addTask { try await answer(message.message) }
                }
            }
        }
    }

    private func answer(_ message: Message) async throws {
        let header: EnvelopeHeader
        let reply: ReplyResult
        switch message {
        case .query(let request):
            header = request.header
            if isExpired(header) { return }
            reply = try await queries.answer(request)
        case .malformed(let malformed, let reason):
            header = malformed
            if isExpired(header) { return }
            reply = .failure(code: "invalid_params", message: String(reason.prefix(480)))
        }
        guard let replyTo = header.replyTo else { return }
        try await send(reply, to: replyTo, answering: header)
    }

    private func isExpired(_ header: EnvelopeHeader) -> Bool {
        guard let expiresAt = header.expiresAt else { return false }
        return expiresAt < now()
    }

    private func send(_ reply: ReplyResult, to stream: String, answering request: EnvelopeHeader) async throws {
        let envelope = EventEnvelope(source: Self.source, correlationID: request.id, causationID: request.id, data: reply)
        let bytes: [UInt8]
        do {
            bytes = try EnvelopeCodec.encode(envelope)
        } catch {
            logger.error("reply does not fit the contract", metadata: ["error": "\(error)", "request": "\(request.id)"])
            let fallback = EventEnvelope(
                source: Self.source, correlationID: request.id, causationID: request.id,
                data: ReplyResult.failure(code: "store_error", message: "the answer could not be encoded: \(error.code)"))
            bytes = try EnvelopeCodec.encode(fallback)
        }
        _ = try await producer.add(stream: stream, fields: [(name: StreamNames.entryField, value: bytes)])
    }
}

/// Why a `requests:store` entry is dead-lettered.
enum QueryDecodingError: Error, CustomStringConvertible, DeadLetterCause {
    case notAQuery(type: String)

    var description: String {
        switch self {
        case .notAQuery(let type):
            return "requests:store carries only query.request entries, not \(type)"
        }
    }

    var deadLetterReason: String { "unknown_type: \(description)" }
}
