import Foundation
import KefuModel
import Logging
import Postgres
import Redis
import RedisStreams
import Testing
import TestSupport
@testable import ServiceRuntime

/// The inbound contract as a reader enforces it against a real Redis: every malformed entry (a field
/// besides `event`, a `null`, a duplicate key in any object, not JSON…) lands in `<stream>:dead` with a
/// `dead.reason` of the form `<code>: <message>` and a documented code; well-formed entries are applied.
@Suite struct StrictInboundTests {
    static let good = #"{"id":"%ID%","type":"visitor.message","version":1,"time":"2026-11-25T08:00:00.000Z","source":"connector-wechat","data":{"channel":"wechat","visitor_id":"v1","client_message_id":"%ID%","text":"你好"}}"#

    static func good(_ id: UUID = UUID()) -> String {
        good.replacingOccurrences(of: "%ID%", with: id.uuidString.lowercased())
    }

    /// Malformed entries and the code their dead letter must carry.
    static func malformed() -> [(name: String, fields: StreamFields, code: String)] {
        func entry(_ json: String, extra: [(String, String)] = []) -> StreamFields {
            [(name: "event", value: Array(json.utf8))] + extra.map { (name: $0.0, value: Array($0.1.utf8)) }
        }
        let id = { UUID().uuidString.lowercased() }
        return [
            ("extra field", entry(good(), extra: [("trace", "t-1")]), "extra_field"),
            ("event twice", entry(good(), extra: [("event", good())]), "extra_field"),
            ("no event field", [(name: "payload", value: Array(good().utf8))], "missing_field"),
            ("null in data", entry(good().replacingOccurrences(of: #""text":"你好""#, with: #""text":"你好","session_hint":null"#)), "invalid_field"),
            ("null in header", entry(good().replacingOccurrences(of: #""source":"connector-wechat""#, with: #""source":"connector-wechat","causation_id":null"#)), "invalid_field"),
            ("null attribute", entry(good().replacingOccurrences(of: #""text":"你好""#, with: #""text":"你好","attributes":{"name":null}"#)), "invalid_field"),
            ("duplicate visitor_id", entry(good().replacingOccurrences(of: #""visitor_id":"v1""#, with: #""visitor_id":"v1","visitor_id":"v2""#)), "duplicate_key"),
            ("duplicate escaped id", entry(#"{"\u0069d":"\#(id())","#.appending(good().dropFirst())), "duplicate_key"),
            ("duplicate attribute", entry(good().replacingOccurrences(of: #""text":"你好""#, with: #""text":"你好","attributes":{"a":"1","a":"2"}"#)), "duplicate_key"),
            ("not json", entry("hello"), "not_json"),
            ("too large", entry(String(repeating: " ", count: 70_000) + good()), "too_large"),
            ("unknown type", entry(good().replacingOccurrences(of: "visitor.message", with: "visitor.teleport")), "unknown_type"),
            ("no handler", entry(good().replacingOccurrences(of: "visitor.message", with: "visitor.end")), "unknown_type"),
            ("bad uuid", entry(good().replacingOccurrences(of: #"{"id":""#, with: #"{"id":"x"#)), "not_a_uuid"),
            ("missing text", entry(good().replacingOccurrences(of: #","text":"你好""#, with: "")), "invalid_field"),
        ]
    }

    @Test func everyMalformedInboundEntryIsDeadLetteredWithADocumentedCode() async throws {
        let redisServer = try await RedisTestServer.shared()
        let url = try await PostgresTestServer.shared().makeDatabase()
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: url), logger: .init(label: "test"))
        let table = Migration(version: 2, name: "seen", sql: "CREATE TABLE seen (event_id uuid NOT NULL, visitor text NOT NULL);")
        try await Migrator(schema: "stricttest", migrations: try RuntimeMigrations.all(adding: [table]))
            .migrate(using: postgres, logger: .init(label: "test"))
        let consumer = ConsumerDefinition(
            stream: .inbound, unknownTypes: .deadLetter,
            handlers: [
                .visitorMessage: { event, connection in
                    let message = try event.decode(VisitorMessage.self)
                    try connection.execute(
                        "INSERT INTO stricttest.seen (event_id, visitor) VALUES ($1, $2)",
                        [event.header.id.uuid, message.data.visitorID])
                }
            ],
            check: { event in _ = try EnvelopeCodec.decodeAny(event.raw) })
        let handler = EventStreamHandler(consumer: consumer, schema: "stricttest", group: "routing", postgres: postgres)
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisServer.url), logger: .init(label: "test"))
        let stream = "strict\(UInt32.random(in: 0...UInt32.max)):inbound"
        let producer = StreamProducer(client: redis)
        let cases = Self.malformed()
        var expected: [String: (name: String, code: String)] = [:]
        for item in cases {
            expected[try await producer.add(stream: stream, fields: item.fields)] = (item.name, item.code)
        }
        _ = try await producer.add(stream: stream, fields: [(name: "event", value: Array(Self.good().utf8))])
        let streamConsumer = try StreamConsumer(
            client: redis,
            configuration: StreamConsumerConfiguration(stream: stream, group: "routing", consumer: "routing-t-1", blockMilliseconds: 100),
            handler: handler, logger: Logger(label: "test"))
        let running = Task { try await streamConsumer.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        var dead: [RedisReply] = []
        while ContinuousClock.now < deadline {
            dead = try await redis.send(["XRANGE", "\(stream):dead", "-", "+"]).array ?? []
            let seen = try await postgres.query("SELECT count(*) FROM stricttest.seen")[0].decode(Int.self, at: 0)
            if dead.count >= cases.count, seen >= 1 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        running.cancel()
        _ = try? await running.value

        let documented = Self.documentedCodes()
        var reasons: [String: String] = [:]
        for entry in dead {
            let flat = entry.array?.last?.array?.compactMap(\.string) ?? []
            let fields = Dictionary(stride(from: 0, to: flat.count - 1, by: 2).map { (flat[$0], flat[$0 + 1]) }) { first, _ in first }
            reasons[fields["dead.original_id"] ?? ""] = fields["dead.reason"]
        }
        for (id, item) in expected {
            let reason = try #require(reasons[id], "\(item.name) was not dead-lettered")
            #expect(reason.hasPrefix(item.code + ": "), "\(item.name): \(reason)")
            let code = String(reason.prefix { $0 != ":" })
            #expect(documented.contains(code), "\(item.name): code \(code) is not documented in docs/streams.md")
        }
        #expect(dead.count == cases.count)
        let visitors = try await postgres.query("SELECT visitor FROM stricttest.seen").map { try $0.decode(String.self, at: 0) }
        #expect(visitors == ["v1"], "only the well-formed entry is applied")
        #expect(try await redis.send(["XPENDING", stream, "routing"]).array?.first?.int == 0)
        await redis.shutdown()
        try await postgres.shutdown()
    }

    /// The codes listed after "Error codes:" in docs/streams.md's dead-letter section.
    static func documentedCodes() -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard let text = try? String(contentsOf: root.appendingPathComponent("docs/streams.md"), encoding: .utf8),
              let start = text.range(of: "Error codes:") else { return [] }
        let paragraph = text[start.upperBound...].components(separatedBy: "\n\n").first ?? ""
        var codes = Set<String>()
        var rest = Substring(paragraph)
        while let open = rest.firstIndex(of: "`") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "`") else { break }
            codes.insert(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return codes
    }
}
