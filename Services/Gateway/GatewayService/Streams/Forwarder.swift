import Foundation
import KefuModel
import Logging
import RedisStreams

/// Sends queries and commands to the other services over Redis streams and waits for their
/// `reply.result` on this instance's reply stream: HTTP → request entry → reply → HTTP.
struct Forwarder: Sendable {
    let producer: StreamProducer
    let streams: StreamNames
    let replyStream: String
    let waiter: ReplyWaiter
    let source: String
    let timeout: Duration

    /// Asks `service` the query `name` as `actor`; returns the result or throws the mapped ``APIError``.
    func query(_ service: ServiceName, _ name: String, actor: Actor, params: [String: JSONValue] = [:]) async throws -> JSONValue {
        let payload = QueryRequest(name: name, actor: actor, params: .object(params))
        return try await send(payload, to: streams.requests(service: service), service: service.rawValue)
    }

    /// Writes a command (or visitor event) with `reply_to` and waits for routing's answer.
    func command<Payload: EventPayload>(_ payload: Payload, id: EventID = .random()) async throws -> JSONValue {
        try await send(payload, to: streams.name(of: Payload.eventType.stream), service: "routing", id: id)
    }

    /// Writes an entry without waiting for an answer (heartbeats).
    func publish<Payload: EventPayload>(_ payload: Payload) async throws {
        let envelope = EventEnvelope(source: source, data: payload)
        let bytes = try EnvelopeCodec.encode(envelope)
        _ = try await producer.add(stream: streams.name(of: Payload.eventType.stream), fields: [(name: StreamNames.entryField, value: bytes)])
    }

    private func send<Payload: EventPayload>(
        _ payload: Payload, to stream: String, service: String, id: EventID = .random()
    ) async throws -> JSONValue {
        let expires = Timestamp(millisecondsSince1970: Timestamp.now().millisecondsSince1970 + Int64(timeout.milliseconds))
        let envelope = EventEnvelope(id: id, source: source, replyTo: replyStream, expiresAt: expires, data: payload)
        let bytes: [UInt8]
        do {
            bytes = try EnvelopeCodec.encode(envelope)
        } catch {
            throw APIError.badRequest(error.code, error.description)
        }
        let ticket = waiter.register(id)
        do {
            _ = try await producer.add(stream: stream, fields: [(name: StreamNames.entryField, value: bytes)])
        } catch {
            waiter.cancel(ticket)
            throw APIError.unavailable("the message bus (Redis) is unavailable; try again shortly")
        }
        guard let reply = await waiter.wait(ticket, timeout: timeout) else { throw APIError.upstreamTimeout(service) }
        guard reply.ok else {
            let code = reply.code ?? "upstream_error"
            throw APIError(APIError.status(forCode: code), code, reply.message ?? "the \(service) service refused the request")
        }
        return reply.result ?? .object([:])
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
