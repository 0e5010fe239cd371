import Foundation
import KefuModel
import Logging
import Postgres
@testable import RoutingService
import ServiceRuntime
import Testing
import TestSupport

/// A routing engine on a fresh, migrated database; events are applied as the runtime would (inside a
/// transaction) and what routing published is read back from its outbox.
final class RoutingHarness: @unchecked Sendable {
    let postgres: PostgresClient
    let engine: RoutingEngine
    let streams: StreamNames
    private var outboxCursor: Int64 = 0
    static let replyStream = "kefu:replies:test"

    /// One published entry.
    struct Published {
        let stream: String
        let type: EventType
        let header: EnvelopeHeader
        let raw: [UInt8]
        var data: JSONValue {
            (try? JSONDecoder().decode([String: JSONValue].self, from: Data(raw)))?["data"] ?? .null
        }
        func decode<P: EventPayload>(_ type: P.Type) throws -> P { try EnvelopeCodec.decode(raw, as: type).data }
    }

    private init(postgres: PostgresClient, engine: RoutingEngine, streams: StreamNames) {
        self.postgres = postgres
        self.engine = engine
        self.streams = streams
    }

    static func make(tuning: RoutingTuning = .init()) async throws -> RoutingHarness {
        let url = try await PostgresTestServer.shared().makeDatabase(prefix: "routing")
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 4
        let postgres = PostgresClient(configuration: configuration, logger: Logger(label: "test"))
        let migrations = try RuntimeMigrations.all(adding: RoutingService.migrations())
        _ = try await Migrator(schema: "routing", migrations: migrations).migrate(using: postgres, logger: Logger(label: "test"))
        let streams = StreamNames.standard
        return RoutingHarness(postgres: postgres, engine: RoutingEngine(streams: streams, tuning: tuning), streams: streams)
    }

    func close() async {
        try? await postgres.shutdown()
    }

    /// Applies envelopes as one consumer batch does: one transaction, the batch read once, then each handler.
    /// Returns the envelope ids and the round trips the transaction's body made (BEGIN and COMMIT not counted).
    func applyBatch<P: EventPayload>(_ payloads: [P]) async throws -> (ids: [EventID], roundTrips: Int) {
        let envelopes = payloads.map { EventEnvelope(source: "test", replyTo: RoutingHarness.replyStream, data: $0) }
        let events = try envelopes.map { envelope in
            let raw = try EnvelopeCodec.encode(envelope)
            return IncomingEvent(entryID: "0-1", header: try EnvelopeCodec.decodeHeader(raw), raw: raw)
        }
        let engine = self.engine
        let trips = try await postgres.transaction { connection in
            let before = connection.roundTrips
            try RoutingBatch.prepare(events, schema: engine.schema, on: connection)
            for event in events { try engine.apply(event, on: connection) }
            return connection.roundTrips - before
        }
        engine.signal.flush()
        return (envelopes.map(\.id), trips)
    }

    /// Applies `data` as the handler for its type would, returning the envelope id.
    @discardableResult
    func apply<P: EventPayload>(_ data: P, replyTo: String? = RoutingHarness.replyStream, correlation: EventID? = nil) async throws -> EventID {
        let envelope = EventEnvelope(source: "test", correlationID: correlation, replyTo: replyTo, data: data)
        let raw = try EnvelopeCodec.encode(envelope)
        try await applyRaw(raw)
        return envelope.id
    }

    /// Applies an encoded envelope (possibly invalid in its data) through the routing handler for its type.
    func applyRaw(_ raw: [UInt8]) async throws {
        let header = try EnvelopeCodec.decodeHeader(raw)
        let event = IncomingEvent(entryID: "0-1", header: header, raw: raw)
        let engine = self.engine
        try await postgres.transaction { connection in
            try engine.apply(event, on: connection)
        }
        engine.signal.flush()
    }

    /// Applies an envelope of `type` with a hand-written (possibly invalid) `data`; returns its id.
    @discardableResult
    func applyMalformed(_ type: EventType, _ data: [String: Any]) async throws -> EventID {
        let id = EventID.random()
        let raw = try JSONSerialization.data(withJSONObject: [
            "id": id.description, "type": type.rawValue, "version": 1, "time": Timestamp.now().rfc3339,
            "source": "test", "reply_to": Self.replyStream, "data": data,
        ])
        try await applyRaw(Array(raw))
        return id
    }

    enum HarnessError: Error { case noReply(EventID) }

    /// Everything published since the last call.
    func published() async throws -> [Published] {
        let rows = try await postgres.query(
            "SELECT id, stream, payload FROM routing.outbox WHERE id > $1 ORDER BY id", [outboxCursor])
        var result: [Published] = []
        for row in rows {
            outboxCursor = max(outboxCursor, try row.decode(Int64.self, at: 0))
            let raw: [UInt8] = try row.decode(at: 2)
            let header = try EnvelopeCodec.decodeHeader(raw)
            result.append(Published(stream: try row.decode(at: 1), type: header.type, header: header, raw: raw))
        }
        return result
    }

    /// The `reply.result` answering `id`, among everything in the outbox.
    func reply(to id: EventID) async throws -> ReplyResult {
        let rows = try await postgres.query("SELECT payload FROM routing.outbox ORDER BY id")
        for row in rows {
            let raw: [UInt8] = try row.decode(at: 0)
            let header = try EnvelopeCodec.decodeHeader(raw)
            if header.type == .replyResult, header.correlationID == id {
                return try EnvelopeCodec.decode(raw, as: ReplyResult.self).data
            }
        }
        throw HarnessError.noReply(id)
    }

    /// The session events of `session` in the outbox, in order.
    func sessionEvents(_ session: SessionID) async throws -> [Published] {
        let rows = try await postgres.query("SELECT stream, payload FROM routing.outbox ORDER BY id")
        return try rows.compactMap { row in
            let raw: [UInt8] = try row.decode(at: 1)
            let header = try EnvelopeCodec.decodeHeader(raw)
            let published = Published(stream: try row.decode(at: 0), type: header.type, header: header, raw: raw)
            return published.data["session_id"]?.stringValue == session.description && published.data["seq"] != nil ? published : nil
        }
    }

    func state(of session: SessionID) async throws -> String {
        try await postgres.query("SELECT state FROM routing.sessions WHERE id = $1", [session.uuid]).first?.decode(String.self, at: 0) ?? "none"
    }

    func load(of agent: AgentID) async throws -> Int {
        try await postgres.query("SELECT load FROM routing.agents WHERE id = $1", [agent.uuid]).first?.decode(Int.self, at: 0) ?? -1
    }

    func openSession(channel: String = "web-pc", visitor: String) async throws -> SessionID? {
        try await postgres.query(
            "SELECT id FROM routing.sessions WHERE channel = $1 AND visitor_id = $2 AND state IN ('bot', 'queued', 'assigned')",
            [channel, visitor]).first.map { SessionID(try $0.decode(UUID.self, at: 0)) }
    }

    // MARK: shortcuts

    /// Creates an agent, online and present, with `capacity`.
    @discardableResult
    func onlineAgent(_ name: String, capacity: Int, id: AgentID = .random()) async throws -> AgentID {
        try await apply(AdminUpsertAgent(actorID: .random(), agentID: id, name: name, capacity: capacity, enabled: true))
        try await apply(AgentSetStatus(agentID: id, status: .online))
        try await apply(AgentHeartbeat(agentID: id, ttlSeconds: 300))
        return id
    }

    func say(_ visitor: String, _ text: String, channel: String = "web-pc", id: String = UUID().uuidString) async throws -> EventID {
        try await apply(VisitorMessage(channel: channel, visitorID: visitor, clientMessageID: id, content: .text(text)))
    }

    /// The visitor asks for a human with the button; returns their session.
    func requestHuman(_ visitor: String, channel: String = "web-pc") async throws -> SessionID {
        try await apply(VisitorRequestHuman(channel: channel, visitorID: visitor))
        let id = try await postgres.query(
            "SELECT id FROM routing.sessions WHERE channel = $1 AND visitor_id = $2 ORDER BY created_at DESC LIMIT 1",
            [channel, visitor]).first.map { SessionID(try $0.decode(UUID.self, at: 0)) }
        return try #require(id)
    }

    func updateSettings(_ change: (inout RoutingSettings) -> Void) async throws -> ReplyResult {
        var settings = RoutingSettings.defaults
        let current = try await postgres.query("SELECT document::text FROM routing.settings ORDER BY version DESC LIMIT 1")
        if let text = try current.first?.decode(String.self, at: 0) {
            settings = try RoutingSettings.decode(jsonData: Data(text.utf8))
        }
        change(&settings)
        let id = try await apply(AdminUpdateSettings(actorID: .random(), settings: try JSONValue(encoding: settings)))
        return try await reply(to: id)
    }
}

