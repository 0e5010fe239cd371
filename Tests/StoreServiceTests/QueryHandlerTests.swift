import Foundation
import KefuModel
import RedisStreams
import Testing
@testable import StoreService

/// The `requests:store` handler: one `reply.result` per request on its `reply_to`, expired requests
/// skipped, malformed ones answered or dead-lettered.
@Suite struct QueryHandlerTests {
    func handler(_ harness: QueryHarness) -> QueryHandler {
        QueryHandler(queries: harness.queries, producer: StreamProducer(client: harness.redis), logger: StoreHarness.logger)
    }

    func replies(_ harness: QueryHarness, _ stream: String) async throws -> [EventEnvelope<ReplyResult>] {
        let entries = try await harness.redis.send(["XRANGE", stream, "-", "+"]).array ?? []
        return try entries.map { entry in
            let fields = entry.array?[1].array ?? []
            return try EnvelopeCodec.decode(fields[1].bytes ?? [], as: ReplyResult.self)
        }
    }

    func handle(_ handler: QueryHandler, _ entries: [StreamEntry]) async throws {
        try await handler.handle(try entries.map { StreamMessage(entry: $0, message: try handler.decode($0)) })
    }

    @Test func eachRequestIsAnsweredOnItsReplyStreamWithItsCorrelationID() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = SessionID.random()
        try await harness.store.record([StoreHarness.created(session), StoreHarness.message(session, seq: 2)])
        let stream = "\(harness.prefix):replies:gw-1"
        let requests = [
            QueryHarness.request("history.page", QueryHarness.visitor(), ["session_id": .string(session.description)], replyTo: stream),
            QueryHarness.request("history.page", QueryHarness.visitor("v-9"), ["session_id": .string(session.description)], replyTo: stream),
            QueryHarness.request("no.such", QueryHarness.admin, replyTo: stream,
                                 expiresAt: Timestamp(millisecondsSince1970: Timestamp.now().millisecondsSince1970 + 60_000)),
        ]
        try await handle(handler(harness), try requests.enumerated().map { try StoreHarness.entry($1, id: "\($0 + 1)-0") })
        let answers = try await replies(harness, stream)
        #expect(answers.count == 3)
        let byRequest = Dictionary(uniqueKeysWithValues: answers.map { ($0.correlationID, $0) })
        #expect(byRequest[requests[0].id]?.data.ok == true)
        #expect(byRequest[requests[0].id]?.data.result?["items"]?.arrayValue?.count == 1)
        #expect(byRequest[requests[1].id]?.data.code == "unknown_session")
        #expect(byRequest[requests[2].id]?.data.code == "unknown_query")
        #expect(answers.allSatisfy { $0.source == "store" && $0.causationID == $0.correlationID })
    }

    @Test func aBatchLargerThanTheConcurrencyIsAnsweredWhole() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let stream = "\(harness.prefix):replies:gw-4"
        let requests = (0..<(QueryHandler.concurrency * 3 + 1)).map { _ in
            QueryHarness.request("history.page", QueryHarness.admin, ["session_id": .string(SessionID.random().description)], replyTo: stream)
        }
        try await handle(handler(harness), try requests.enumerated().map { try StoreHarness.entry($1, id: "\($0 + 1)-0") })
        let answers = try await replies(harness, stream)
        #expect(Set(answers.compactMap(\.correlationID)) == Set(requests.map(\.id)))
        #expect(answers.allSatisfy { $0.data.code == "unknown_session" })
    }

    @Test func expiredRequestsAreSkipped() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let stream = "\(harness.prefix):replies:gw-2"
        let past = Timestamp(millisecondsSince1970: Timestamp.now().millisecondsSince1970 - 1_000)
        let request = QueryHarness.request("history.page", QueryHarness.admin, replyTo: stream, expiresAt: past)
        try await handle(handler(harness), [try StoreHarness.entry(request)])
        #expect(try await harness.redis.send(["XLEN", stream]).int == 0)
    }

    @Test func aRequestWithBrokenDataIsAnsweredInvalidParams() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let stream = "\(harness.prefix):replies:gw-3"
        let id = UUID().uuidString.lowercased()
        let json = #"{"id":"\#(id)","type":"query.request","version":1,"time":"2026-11-25T08:00:00.000Z","source":"gateway-t1","reply_to":"\#(stream)","data":{"name":"history.page","actor":{"role":"visitor"},"params":{}}}"#
        try await handle(handler(harness), [StreamEntry(id: "1-0", fields: [(name: "event", value: Array(json.utf8))])])
        let answers = try await replies(harness, stream)
        #expect(answers.count == 1)
        #expect(answers.first?.correlationID?.description == id)
        #expect(answers.first?.data.code == "invalid_params")
        #expect(answers.first?.data.message?.contains("actor.channel") == true, "\(String(describing: answers.first?.data.message))")
    }

    @Test func entriesThatAreNotQueriesAreDeadLettered() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let handler = handler(harness)
        let event = try StoreHarness.entry(StoreHarness.created(SessionID.random()))
        #expect(throws: QueryDecodingError.self) { _ = try handler.decode(event) }
        #expect(throws: ContractError.self) {
            _ = try handler.decode(StreamEntry(id: "1-0", fields: [(name: "event", value: Array("[]".utf8))]))
        }
        #expect(throws: ContractError.missingField("event")) { _ = try handler.decode(StreamEntry(id: "2-0", fields: [])) }
    }
}
