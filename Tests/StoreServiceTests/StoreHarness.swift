import Foundation
import KefuModel
import Logging
import Postgres
import Redis
import RedisStreams
import TestSupport
@testable import ServiceRuntime
@testable import StoreService

/// A migrated `store` schema in a fresh database, the store's handlers over it, and event builders.
struct StoreHarness {
    let databaseURL: String
    let postgres: PostgresClient
    let recorder: EventRecorder
    static let logger = Logger(label: "store-test")
    static let time = Timestamp(rfc3339: "2026-11-25T08:00:00.000Z")!

    /// A fresh database with the runtime's and the store's migrations applied.
    static func make() async throws -> StoreHarness {
        let url = try await PostgresTestServer.shared().makeDatabase(prefix: "store_test")
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: url), logger: logger)
        let migrations = try RuntimeMigrations.all(adding: try StoreService.migrations())
        try await Migrator(schema: "store", migrations: migrations).migrate(using: postgres, logger: logger)
        return StoreHarness(
            databaseURL: url, postgres: postgres, recorder: EventRecorder(postgres: postgres, group: "store", logger: logger))
    }

    func shutdown() async {
        try? await postgres.shutdown()
    }

    /// Decodes and handles `envelopes` as one batch, as the stream consumer would.
    func record(_ envelopes: [any AnyEventEnvelope]) async throws {
        let messages = try envelopes.enumerated().map { index, envelope in
            let entry = try Self.entry(envelope, id: "\(index + 1)-0")
            return StreamMessage(entry: entry, message: try recorder.decode(entry))
        }
        try await recorder.handle(messages)
    }

    /// An integer from a one-value query.
    func count(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
        try await postgres.query(sql, parameters)[0].decode(Int.self, at: 0)
    }

    /// A stream entry holding `envelope`.
    static func entry(_ envelope: any AnyEventEnvelope, id: String = "1-0") throws -> StreamEntry {
        StreamEntry(id: id, fields: [(name: "event", value: try envelope.encodedEntry())])
    }

    // MARK: Event builders

    static func envelope<P: EventPayload>(_ data: P, id: EventID = .random(), time: Timestamp = time) -> EventEnvelope<P> {
        EventEnvelope(id: id, time: time, source: "routing", data: data)
    }

    static func created(_ session: SessionID, seq: Int = 1, visitor: String = "v-1", channel: String = "web",
                        time: Timestamp = time) -> EventEnvelope<SessionCreated> {
        envelope(SessionCreated(sessionID: session, seq: seq, channel: channel, visitorID: visitor), time: time)
    }

    static func message(_ session: SessionID, seq: Int, text: String? = nil, visitor: String = "v-1",
                        channel: String = "web", sender: SenderKind = .visitor, agent: AgentID? = nil,
                        id: EventID = .random(), time: Timestamp = time) -> EventEnvelope<MessageAccepted> {
        envelope(
            MessageAccepted(
                sessionID: session, seq: seq, channel: channel, visitorID: visitor, sender: sender, agentID: agent,
                content: .text(text ?? "消息 \(seq)")),
            id: id, time: time)
    }

    static func assigned(_ session: SessionID, seq: Int, agent: AgentID, visitor: String = "v-1",
                         channel: String = "web") -> EventEnvelope<SessionAssigned> {
        envelope(SessionAssigned(sessionID: session, seq: seq, channel: channel, visitorID: visitor, agentID: agent, agentName: "客服"))
    }

    static func transferred(_ session: SessionID, seq: Int, from: AgentID, to: AgentID, visitor: String = "v-1",
                            channel: String = "web") -> EventEnvelope<SessionTransferred> {
        envelope(SessionTransferred(
            sessionID: session, seq: seq, channel: channel, visitorID: visitor, fromAgentID: from, toAgentID: to,
            toAgentName: "客服小李"))
    }

    static func ended(_ session: SessionID, seq: Int, human: Bool, visitor: String = "v-1", channel: String = "web",
                      time: Timestamp = time) -> EventEnvelope<SessionEnded> {
        envelope(
            SessionEnded(
                sessionID: session, seq: seq, channel: channel, visitorID: visitor, reason: .visitorButton,
                human: human, ratingInvited: false),
            time: time)
    }
}

/// The store's queries over a harness's database and the shared test Redis, under a fresh prefix.
struct QueryHarness {
    let store: StoreHarness
    let redis: RedisClient
    let prefix: String
    let queries: StoreQueries

    static func make() async throws -> QueryHarness {
        let store = try await StoreHarness.make()
        let server = try await RedisTestServer.shared()
        let redis = RedisClient(configuration: try server.configuration, logger: StoreHarness.logger)
        let prefix = "store\(UInt32.random(in: 0...UInt32.max))"
        return QueryHarness(
            store: store, redis: redis, prefix: prefix,
            queries: StoreQueries(postgres: store.postgres, redis: redis, prefix: prefix, logger: StoreHarness.logger))
    }

    func shutdown() async {
        await redis.shutdown()
        await store.shutdown()
    }

    /// A `query.request` envelope.
    static func request(
        _ name: String, _ actor: Actor, _ params: [String: JSONValue] = [:], id: EventID = .random(),
        replyTo: String = "test:replies:t1", expiresAt: Timestamp? = nil
    ) -> EventEnvelope<QueryRequest> {
        EventEnvelope(
            id: id, source: "gateway-t1", replyTo: replyTo, expiresAt: expiresAt,
            data: QueryRequest(name: name, actor: actor, params: .object(params)))
    }

    /// Asks the store and returns its reply.
    func ask(_ name: String, _ actor: Actor, _ params: [String: JSONValue] = [:], id: EventID = .random()) async throws -> ReplyResult {
        try await queries.answer(Self.request(name, actor, params, id: id))
    }

    /// Writes `bytes` to a fresh blob key, as the gateway does, and returns the key.
    func upload(_ bytes: [UInt8]) async throws -> String {
        let key = "\(prefix):blob:\(UUID().uuidString.lowercased())"
        _ = try await redis.send([Array("SET".utf8), Array(key.utf8), bytes, Array("EX".utf8), Array("300".utf8)]).throwingOnError()
        return key
    }

    static func visitor(_ id: String = "v-1", channel: String = "web") -> Actor {
        Actor(role: .visitor, channel: channel, visitorID: id)
    }

    static func agent(_ id: AgentID) -> Actor { .staff(id, admin: false) }

    static let admin = Actor.staff(.random(), admin: true)
}

extension JSONValue {
    /// The array when this is an array.
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
