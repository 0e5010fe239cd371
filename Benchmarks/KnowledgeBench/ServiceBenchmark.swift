import Foundation
import KefuModel
import Logging
import Postgres
import Redis
import TestSupport

/// A running `kefu-knowledge` with the generated entries in PostgreSQL: how long it takes to load them
/// at start, its resident memory, and the round trip of `bot.question` → `bot.answer` through Redis
/// (request stream, handler transaction, outbox relay, reply stream), one question at a time.
struct ServiceBenchmark {
    let entries: [SyntheticCorpus.Entry]
    let queries: [String]
    let redisURL: String
    let databaseURL: String
    let executable: URL

    func run() async throws {
        let logger = Logger(label: "kefu.bench.knowledge")
        let prefix = "kbench\(UInt32.random(in: 0...UInt32.max))"
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL), logger: logger)
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: databaseURL), logger: logger)
        defer { Task { await redis.shutdown(); try? await postgres.shutdown() } }

        // Start once to migrate, then fill the table directly (the import query takes 10,000 rows at a time).
        let first = try await launch(prefix: prefix)
        first.process.terminate()
        let clock = ContinuousClock()
        let fill = try await clock.measure { try await insert(postgres) }

        let start = clock.now
        let service = try await launch(prefix: prefix)
        defer { service.process.terminate() }
        var loaded = false
        while !loaded, clock.now - start < .seconds(300) {
            let body = try? await HTTPProbe.get("http://127.0.0.1:\(service.port)/matcher")
            loaded = body?.text.contains("\"entries\":\(entries.count)") == true
            if !loaded { try await Task.sleep(for: .milliseconds(20)) }
        }
        guard loaded else { throw BenchError.notLoaded(service.process.output()) }
        let loadTime = clock.now - start
        let rssLoaded = Measurements.mebibytes("VmRSS", pid: service.process.pid)

        let names = try StreamNames(prefix: prefix)
        let replies = "\(prefix):replies:bench"
        var lastID = "0-0"
        var latencies: [Duration] = []
        var answered = 0
        for query in queries {
            let envelope = EventEnvelope(
                source: "routing", replyTo: replies,
                data: BotQuestion(sessionID: .random(), questionSeq: 2, channel: "web", text: query))
            let sent = clock.now
            _ = try await redis.send([
                Array("XADD".utf8), Array(names.requests(service: .knowledge).utf8), Array("*".utf8),
                Array(StreamNames.entryField.utf8), try EnvelopeCodec.encode(envelope),
            ]).throwingOnError()
            var answer: BotAnswer?
            while answer == nil, clock.now - sent < .seconds(10) {
                let reply = try await redis.send(["XREAD", "COUNT", "10", "BLOCK", "1000", "STREAMS", replies, lastID])
                for item in reply.array?.first?.array?.last?.array ?? [] {
                    guard let parts = item.array, let id = parts.first?.string, let bytes = parts.last?.array?.last?.bytes else { continue }
                    lastID = id
                    let decoded = try EnvelopeCodec.decode(bytes, as: BotAnswer.self)
                    if decoded.correlationID == envelope.id { answer = decoded.data }
                }
            }
            guard let answer else { throw BenchError.noAnswer(service.process.output()) }
            latencies.append(clock.now - sent)
            if answer.answered { answered += 1 }
        }
        print("service (kefu-knowledge, release): \(entries.count) entries written to PostgreSQL in \(Measurements.format(fill))")
        print("  start until the matcher holds every entry: \(Measurements.format(loadTime)) (process start, migrations check, load, index build)")
        print("  resident memory after loading: \(Measurements.format(rssLoaded)); after \(queries.count) questions: \(Measurements.format(Measurements.mebibytes("VmRSS", pid: service.process.pid)))")
        print("  bot.question → bot.answer round trip, one at a time: \(Measurements.percentiles(latencies)); answered \(answered)")
        print("  load average: \(Measurements.loadAverage)")
    }

    private func launch(prefix: String) async throws -> (process: TestProcess, port: Int) {
        let port = HTTPProbe.freePort()
        let process = try TestProcess(executable: executable, environment: [
            "REDIS_URL": redisURL, "DATABASE_URL": databaseURL, "HTTP_PORT": "\(port)", "KEFU_STREAM_PREFIX": prefix,
            "KEFU_INSTANCE": "bench-0", "LOG_LEVEL": "warning",
        ])
        guard try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60)) != nil else {
            process.terminate()
            throw BenchError.notReady(process.output())
        }
        return (process, port)
    }

    private func insert(_ postgres: PostgresClient) async throws {
        for start in stride(from: 0, to: entries.count, by: 2_000) {
            let chunk = entries[start..<min(entries.count, start + 2_000)].map { entry -> JSONValue in
                .object([
                    "id": .string(UUID().uuidString.lowercased()), "question": .string(entry.question),
                    "similar": .array(entry.similar.map(JSONValue.string)), "answer": .string(entry.answer),
                ])
            }
            let json = String(decoding: try JSONEncoder().encode(JSONValue.array(chunk)), as: UTF8.self)
            try await postgres.execute(
                """
                INSERT INTO knowledge.entries (id, question, similar_questions, answer)
                SELECT (x->>'id')::uuid, x->>'question', ARRAY(SELECT jsonb_array_elements_text(x->'similar')), x->>'answer'
                FROM jsonb_array_elements($1::jsonb) AS x
                """,
                [json])
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case notReady(String)
    case notLoaded(String)
    case noAnswer(String)

    var description: String {
        switch self {
        case .notReady(let output): return "kefu-knowledge did not become ready:\n\(output)"
        case .notLoaded(let output): return "kefu-knowledge did not load every entry:\n\(output)"
        case .noAnswer(let output): return "no bot.answer within 10 s:\n\(output)"
        }
    }
}
