import Foundation
import KefuModel
import Postgres
import RedisStreams
import Testing
import TestSupport
@testable import ServiceRuntime

/// The inbox: each event id is applied once per group, in the transaction of its effect.
@Suite struct EventStreamHandlerTests {
    static func entry(_ id: String, type: String = "visitor.message", eventID: UUID = UUID()) -> StreamEntry {
        let data = type == "visitor.message"
            ? #"{"channel":"web-pc","visitor_id":"v1","client_message_id":"m1","text":"你好"}"#
            : #"{"channel":"web-pc","visitor_id":"v1"}"#
        let json = #"{"id":"\#(eventID.uuidString.lowercased())","type":"\#(type)","version":1,"time":"2026-11-25T08:00:00.000Z","source":"test","data":\#(data)}"#
        return StreamEntry(id: id, fields: [(name: "event", value: Array(json.utf8))])
    }

    func makeHandler(_ policy: ConsumerDefinition.UnknownTypePolicy) async throws -> (EventStreamHandler, PostgresClient) {
        let url = try await PostgresTestServer.shared().makeDatabase()
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: url), logger: .init(label: "test"))
        let table = Migration(version: 2, name: "seen", sql: "CREATE TABLE seen (event_id uuid NOT NULL, text text NOT NULL);")
        try await Migrator(schema: "inboxtest", migrations: try RuntimeMigrations.all(adding: [table]))
            .migrate(using: postgres, logger: .init(label: "test"))
        let consumer = ConsumerDefinition(
            stream: .inbound, unknownTypes: policy,
            handlers: [
                .visitorMessage: { event, connection in
                    let message = try event.decode(VisitorMessage.self)
                    try connection.execute(
                        "INSERT INTO inboxtest.seen (event_id, text) VALUES ($1, $2)",
                        [event.header.id.uuid, message.data.content.text ?? ""])
                }
            ])
        return (EventStreamHandler(consumer: consumer, schema: "inboxtest", group: "g", postgres: postgres), postgres)
    }

    func seen(_ postgres: PostgresClient) async throws -> Int {
        try await postgres.query("SELECT count(*) FROM inboxtest.seen")[0].decode(Int.self, at: 0)
    }

    @Test func duplicateEventIdsAreAppliedOnce() async throws {
        let (handler, postgres) = try await makeHandler(.deadLetter)
        let id = UUID()
        let batch = try [Self.entry("1-0", eventID: id), Self.entry("2-0", eventID: id), Self.entry("3-0")].map {
            StreamMessage(entry: $0, message: try handler.decode($0))
        }
        try await handler.handle(batch)
        #expect(try await seen(postgres) == 2)
        try await handler.handle(batch)
        #expect(try await seen(postgres) == 2, "a redelivered batch must not apply again")
        let rows = try await postgres.query("SELECT count(*) FROM inboxtest.processed_events WHERE consumer_group = 'g'")
        #expect(try rows[0].decode(Int.self, at: 0) == 2)
        #expect(try await postgres.query("SELECT text FROM inboxtest.seen LIMIT 1")[0].decode(String.self, at: 0) == "你好")
        try await postgres.shutdown()
    }

    @Test func aFailingHandlerRollsBackTheRecordedIds() async throws {
        let (handler, postgres) = try await makeHandler(.deadLetter)
        let bad = StreamEntry(id: "9-0", fields: [(name: "event", value: Array(#"{"id":"00000000-0000-4000-8000-000000000001","type":"visitor.message","version":1,"time":"2026-11-25T08:00:00.000Z","source":"test","data":{"channel":"web-pc","visitor_id":"v1","client_message_id":"m1"}}"#.utf8))])
        let message = try handler.decode(bad)
        await #expect(throws: (any Error).self) { try await handler.handle([StreamMessage(entry: bad, message: message)]) }
        let rows = try await postgres.query("SELECT count(*) FROM inboxtest.processed_events")
        #expect(try rows[0].decode(Int.self, at: 0) == 0, "the id must not be recorded when the effect failed")
        try await postgres.shutdown()
    }

    @Test func ownStreamsDeadLetterWhatTheyCannotHandle() async throws {
        let (handler, postgres) = try await makeHandler(.deadLetter)
        #expect(throws: EventDecodingError.self) { _ = try handler.decode(Self.entry("1-0", type: "visitor.end")) }
        #expect(throws: ContractError.self) { _ = try handler.decode(Self.entry("2-0", type: "visitor.teleport")) }
        #expect(throws: (any Error).self) {
            _ = try handler.decode(StreamEntry(id: "3-0", fields: [(name: "event", value: Array("not json".utf8))]))
        }
        #expect(throws: ContractError.missingField("event")) {
            _ = try handler.decode(StreamEntry(id: "4-0", fields: [(name: "other", value: [])]))
        }
        try await postgres.shutdown()
    }

    @Test func fanOutStreamsSkipTypesTheyDoNotHandle() async throws {
        let (handler, postgres) = try await makeHandler(.acknowledge)
        for (index, type) in ["visitor.end", "some.future_type"].enumerated() {
            guard case .skip = try handler.decode(Self.entry("\(index)-0", type: type)) else {
                Issue.record("\(type) should be skipped")
                continue
            }
        }
        #expect(throws: (any Error).self) {
            _ = try handler.decode(StreamEntry(id: "5-0", fields: [(name: "event", value: Array("{".utf8))]))
        }
        try await postgres.shutdown()
    }
}
