import Foundation
import KefuModel
import Logging
import Postgres
import RoutingService
import ServiceRuntime

/// `kefu-bench routing`: assignments per second draining a queue with two assigners (two engines, each with
/// its own connection pool, as two routing instances have), and sensitive-word masking time.
enum RoutingBenchmark {
    static let usage = """
        usage: kefu-bench routing --database-url URL [--sessions N] [--agents N] [--capacity N] [--words N]
          --database-url  an empty PostgreSQL database (the routing schema is created in it)
          --sessions      queued sessions to drain (default 10000)
          --agents        online agents (default 500)
          --capacity      auto-accept count of each agent (default 20)
          --words         sensitive words for the masking measurement (default 10000)
        """

    static func main(_ arguments: [String]) async -> Int32 {
        var options: [String: String] = [:]
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            if flag == "--help" || flag == "-h" { print(usage); return 0 }
            guard flag.hasPrefix("--"), let value = iterator.next() else { print("kefu-bench routing: bad arguments\n\(usage)"); return 2 }
            options[String(flag.dropFirst(2))] = value
        }
        guard let url = options["database-url"] else { print("kefu-bench routing: --database-url is required\n\(usage)"); return 2 }
        let sessions = Int(options["sessions"] ?? "") ?? 10_000
        let agents = Int(options["agents"] ?? "") ?? 500
        let capacity = Int(options["capacity"] ?? "") ?? 20
        let words = Int(options["words"] ?? "") ?? 10_000
        do {
            masking(words: words)
            try await assignments(url: url, sessions: sessions, agents: agents, capacity: capacity)
            try await assignments(url: url, sessions: sessions, agents: agents, capacity: capacity, groups: true)
            try await handlers(url: url, visitors: 5_000)
            return 0
        } catch {
            print("kefu-bench routing: \(error)")
            return 1
        }
    }

    /// Drains `sessions` queued sessions onto `agents` agents with two concurrent assigners. With `groups`: three
    /// skill groups (one with `agent_capacity` half the agents' own), a fifth of the agents in two groups, the
    /// sessions spread over the groups and the default queue with visitor priorities 0–9.
    static func assignments(url: String, sessions: Int, agents: Int, capacity: Int, groups: Bool = false) async throws {
        var logger = Logger(label: "kefu.bench.routing")
        logger.logLevel = .warning
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 2
        let setup = PostgresClient(configuration: configuration, logger: logger)
        let migrations = try RuntimeMigrations.all(adding: RoutingService.migrations())
        _ = try await Migrator(schema: "routing", migrations: migrations).migrate(using: setup, logger: logger)
        try await setup.execute("TRUNCATE routing.assignment_audit, routing.session_agents, routing.outbox, routing.sessions, routing.agents, routing.groups CASCADE")
        if groups {
            try await setup.execute(
                "INSERT INTO routing.groups (id, name, agent_capacity) VALUES ('a', 'A', NULL), ('b', 'B', $1), ('c', 'C', NULL)",
                [max(1, capacity / 2)])
        }
        try await setup.execute(
            """
            INSERT INTO routing.agents (id, name, capacity, status, present_until, idle_since, groups)
            SELECT gen_random_uuid(), '客服' || i, $2, 'online', now() + interval '1 hour', now() - i * interval '1 second',
                   CASE WHEN NOT $3 THEN '{}'::text[] WHEN i % 5 = 0 THEN ARRAY['a', 'b'] ELSE ARRAY[(ARRAY['a', 'b', 'c'])[i % 3 + 1]] END
            FROM generate_series(1, $1) i
            """, [agents, capacity, groups])
        try await setup.execute(
            """
            INSERT INTO routing.sessions (id, channel, visitor_id, state, last_seq, priority, visitor_priority, enqueued_at,
                                          queue_reason, group_id, group_entered_at)
            SELECT gen_random_uuid(), 'web-pc', 'bench-' || i, 'queued', 2, CASE WHEN $2 THEN 10 - i % 10 ELSE 10 END,
                   CASE WHEN $2 THEN i % 10 END, now() + i * interval '1 microsecond', 'visitor_request',
                   CASE WHEN $2 THEN (ARRAY['a', 'b', 'c', NULL])[i % 4 + 1] END, now()
            FROM generate_series(1, $1) i
            """, [sessions, groups])
        try await setup.execute("ANALYZE routing.sessions")
        try await setup.execute("ANALYZE routing.agents")
        let tuning = RoutingTuning.fromEnvironment()
        let engines = (0..<2).map { _ in RoutingEngine(streams: .standard, tuning: tuning, logger: logger) }
        let clients = (0..<2).map { _ in PostgresClient(configuration: configuration, logger: logger) }
        let start = ContinuousClock.now
        let reports = try await withThrowingTaskGroup(of: DrainReport.self) { group in
            for index in 0..<2 {
                group.addTask { try await engines[index].drainQueue(using: clients[index]) }
            }
            return try await group.reduce(into: [DrainReport]()) { $0.append($1) }
        }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let assigned = try await setup.query("SELECT count(*) FROM routing.sessions WHERE state = 'assigned'").first?.decode(Int.self, at: 0) ?? 0
        let over = try await setup.query("SELECT count(*) FROM routing.agents WHERE load > capacity").first?.decode(Int.self, at: 0) ?? -1
        let shape = groups ? " in 3 skill groups + the default queue, priorities 0–9, a fifth of the agents in two groups" : ""
        print("assignment: \(sessions) queued sessions onto \(agents) agents × \(capacity)\(shape), two assigners, up to \(tuning.assignmentsPerTransaction) per transaction")
        print("  assigned \(assigned) in \(String(format: "%.2f", seconds)) s = \(Int(Double(assigned) / seconds)) assignments/s")
        print("  per assigner: \(reports.map { "\($0.assigned) in \($0.transactions) transactions, \($0.busyRetries) busy retries" }.joined(separator: "; "))")
        print("  agents over capacity: \(over)")
        // Whatever stays queued must have no agent left who may take it (a group's members below the group's cap
        // and their own capacity; anyone for the default queue): otherwise the drain stopped early.
        let stranded = try await setup.query(
            """
            SELECT count(*) FROM routing.sessions s LEFT JOIN routing.groups g ON g.id = s.group_id
            WHERE s.state = 'queued' AND EXISTS (
                SELECT 1 FROM routing.agents a
                WHERE a.status = 'online' AND a.enabled AND a.present_until > now() AND a.load < a.capacity AND a.summaries_due = 0
                  AND (s.group_id IS NULL OR (s.group_id = ANY(a.groups) AND a.load < coalesce(g.agent_capacity, a.capacity))))
            """).first?.decode(Int.self, at: 0) ?? -1
        print("  still queued: \(sessions - assigned), of which an agent could still take: \(stranded)")
        for client in clients { try await client.shutdown() }
        guard over == 0, stranded == 0 else { throw RoutingBenchFailure(reason: "\(over) agents over capacity, \(stranded) queued sessions left with an eligible agent") }
        try await setup.shutdown()
    }

    /// Applies `visitors` first messages (bot path) and `visitors` transfer requests (queue path) through the
    /// handlers, 100 per transaction as the runtime's consumers batch them, on one connection.
    static func handlers(url: String, visitors: Int) async throws {
        var logger = Logger(label: "kefu.bench.routing")
        logger.logLevel = .warning
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 1
        let client = PostgresClient(configuration: configuration, logger: logger)
        try await client.execute("TRUNCATE routing.assignment_audit, routing.session_agents, routing.outbox, routing.sessions, routing.message_ids CASCADE")
        try await client.execute("UPDATE routing.agents SET capacity = 0, load = 0")
        var settings = RoutingSettings.defaults
        settings.queue.maxLength = 10_000
        let document = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        try await client.execute(
            "INSERT INTO routing.settings (version, document, updated_by) VALUES (1, $1::jsonb, $2) ON CONFLICT (version) DO UPDATE SET document = excluded.document",
            [document, UUID()])
        let engine = RoutingEngine(streams: .standard, logger: logger)
        func events<P: EventPayload>(_ make: (Int) -> P) throws -> [IncomingEvent] {
            try (0..<visitors).map { index in
                let raw = try EnvelopeCodec.encode(EventEnvelope(source: "bench", data: make(index)))
                return IncomingEvent(entryID: "0-\(index)", header: try EnvelopeCodec.decodeHeader(raw), raw: raw)
            }
        }
        let rounds: [(String, [IncomingEvent])] = [
            ("visitor.message (new session, bot question)", try events {
                VisitorMessage(channel: "web-pc", visitorID: "bench-\($0)", clientMessageID: "m-\($0)", content: .text("你好，我的订单还没发货"))
            }),
            ("visitor.request_human (queued)", try events { VisitorRequestHuman(channel: "web-pc", visitorID: "bench-\($0)") }),
        ]
        for (label, batch) in rounds {
            let start = ContinuousClock.now
            var index = 0
            while index < batch.count {
                let slice = Array(batch[index..<min(batch.count, index + 100)])
                try await client.transaction { connection in
                    for event in slice { try engine.apply(event, on: connection) }
                }
                index += slice.count
            }
            let elapsed = start.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("handlers: \(batch.count) × \(label), 100 per transaction, one connection: \(Int(Double(batch.count) / seconds)) events/s")
        }
        let queued = try await client.query("SELECT count(*) FROM routing.sessions WHERE state = 'queued'").first?.decode(Int.self, at: 0) ?? 0
        print("  sessions queued: \(queued)")
        try await client.shutdown()
    }

    /// Masks a 1 KB message against `words` sensitive words.
    static func masking(words count: Int) {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质".map(String.init))
        let latin = Array("abcdefghijklmnopqrstuvwxyz").map(String.init)
        var unique: Set<String> = []
        var list: [String] = []
        while list.count < count {
            let length = Int.random(in: 2...4, using: &generator)
            let pool = list.count % 5 == 0 ? latin : alphabet
            let word = (0..<length).map { _ in pool.randomElement(using: &generator)! }.joined()
            if unique.insert(word).inserted { list.append(word) }
        }
        let masker = SensitiveWordMasker(words: list)
        var message = ""
        while message.utf8.count < 1_000 {
            message += Bool.random(using: &generator) ? list.randomElement(using: &generator)! : alphabet.randomElement(using: &generator)!
            if message.count % 37 == 0 { message += " Hello " }
        }
        for _ in 0..<1_000 { _ = masker.mask(message) }
        let iterations = 20_000
        var checksum = 0
        let start = ContinuousClock.now
        for _ in 0..<iterations { checksum &+= masker.mask(message).utf8.count }
        let elapsed = start.duration(to: .now)
        let micros = (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(iterations)
        print("masking: \(message.utf8.count)-byte message, \(masker.wordCount) words: \(String(format: "%.1f", micros)) µs per message (checksum \(checksum % 1000))")
    }
}

/// A measured run whose result is wrong (the bench exits 1).
struct RoutingBenchFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
