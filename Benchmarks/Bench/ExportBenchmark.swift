import Foundation
import KefuModel
import Logging
import Postgres
import Redis
import ReportingService
import ServiceRuntime
import TestSupport

/// `kefu-bench export`: the sessions export of `count` generated records measured three ways in one run —
/// raw `COPY … TO STDOUT` of the same statement read with libpq and thrown away; the export stream as the
/// gateway reads it (a running `kefu-reporting` writes it, a reader `XREAD`s and `XDEL`s it); and the
/// `kefu export` CLI writing a file — with rows/s, ratios to raw, and peak resident memory of each process.
struct ExportBenchmark {
    let redisURL: String
    let databaseURL: String
    let count: Int
    let binaries: URL
    let logger: Logger

    static let from = "2026-10-01"
    static let to = "2026-10-30"

    func run() async throws {
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: databaseURL), logger: logger)
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL), logger: logger)
        defer {
            Task {
                await redis.shutdown()
                try? await postgres.shutdown()
            }
        }
        let migrations = try ReportingService.definition().allMigrations()
        try await Migrator(schema: ReportingService.name, migrations: migrations).migrate(using: postgres, logger: logger)
        let existing = try await postgres.query("SELECT count(*) FROM reporting.sessions").first?.decode(Int.self, at: 0) ?? 0
        if existing != count {
            try await postgres.execute("TRUNCATE reporting.sessions")
            let start = ContinuousClock.now
            try await SyntheticRecords.insert(count: count, firstDay: LocalDate(Self.from)!, days: 30, postgres: postgres)
            try await postgres.execute("VACUUM ANALYZE reporting.sessions")
            print("generated \(count) session records in \(Self.seconds(ContinuousClock.now - start)) s")
        }
        let request = try ExportRequest(
            kind: .sessions,
            range: DateRange(from: LocalDate(Self.from)!, to: LocalDate(Self.to)!, timezone: "Asia/Shanghai"))
        let plan = try await postgres.withConnection { connection in
            try ExportSQL.plan(request, statsTimezone: "Asia/Shanghai") { try connection.escapeLiteral($0) }
        }

        // Warm the cache so the first measurement is not penalised.
        _ = try await rawCopy(plan, postgres: postgres)
        let raw = try await rawCopy(plan, postgres: postgres)
        print("raw COPY … TO STDOUT (libpq, bytes discarded): \(Self.rate(count, raw.seconds)) rows/s, \(Self.seconds(raw.seconds)) s, \(raw.bytes) bytes")

        let stream = try await exportStream(redis: redis)
        print("export stream as the gateway reads it (kefu-reporting → XREAD/XDEL): \(Self.rate(count, stream.seconds)) rows/s, \(Self.seconds(stream.seconds)) s, \(stream.bytes) bytes, service peak RSS \(stream.peakKiB / 1024) MiB (baseline \(stream.baselineKiB / 1024) MiB)")

        let cli = try await cliExport()
        print("kefu export (CLI, file): \(Self.rate(count, cli.seconds)) rows/s, \(Self.seconds(cli.seconds)) s, \(cli.bytes) bytes, CLI peak RSS \(cli.peakKiB / 1024) MiB")
        print("export stream / raw: \(Int((raw.seconds / stream.seconds * 100).rounded())) %")
        print("CLI / raw: \(Int((raw.seconds / cli.seconds * 100).rounded())) %")
    }

    private func rawCopy(_ plan: ExportSQL.Plan, postgres: PostgresClient) async throws -> (seconds: Duration, bytes: Int) {
        for statement in plan.prepare { try await postgres.execute(statement) }
        let start = ContinuousClock.now
        var bytes = 0
        for try await chunk in postgres.copyOut(plan.copy, chunkSize: ExportRunner.copyChunkBytes) {
            bytes += chunk.count
        }
        return (ContinuousClock.now - start, bytes)
    }

    private func exportStream(redis: RedisClient) async throws -> (seconds: Duration, bytes: Int, peakKiB: Int, baselineKiB: Int) {
        let port = HTTPProbe.freePort()
        let prefix = "bench\(UInt32.random(in: 0...UInt32.max))"
        let service = try TestProcess(
            executable: binaries.appendingPathComponent("kefu-reporting"),
            environment: [
                "REDIS_URL": redisURL, "DATABASE_URL": databaseURL, "HTTP_PORT": "\(port)", "KEFU_STREAM_PREFIX": prefix,
                "LOG_LEVEL": "warning",
            ])
        defer { service.terminate() }
        guard try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60)) != nil else {
            throw BenchError.mismatch("kefu-reporting did not become ready: \(service.output())")
        }
        let names = try StreamNames(prefix: prefix)
        let replies = "\(prefix):replies:bench"
        let baseline = Self.status(service.pid, "VmRSS") ?? 0
        let envelope = EventEnvelope(
            source: "bench", replyTo: replies, expiresAt: Timestamp(Date().addingTimeInterval(30)),
            data: QueryRequest(
                name: "export.start", actor: Actor(role: .admin, agentID: AgentID(UUID())),
                params: .object(["kind": .string("sessions"), "from": .string(Self.from), "to": .string(Self.to)])))
        let start = ContinuousClock.now
        _ = try await redis.send([
            Array("XADD".utf8), Array(names.requests(service: .reporting).utf8), Array("*".utf8), Array("event".utf8),
            try EnvelopeCodec.encode(envelope),
        ])
        let replyConnection = redis.makeDedicatedConnection(readTimeout: .seconds(40))
        let reply = try await replyConnection.run { connection in
            try connection.command(["XREAD", "BLOCK", "30000", "STREAMS", replies, "0"]).throwingOnError()
        }
        await replyConnection.close()
        guard let fields = reply.array?.first?.array?.last?.array?.first?.array?.last?.array, let body = fields.last?.bytes
        else { throw BenchError.mismatch("no reply to export.start") }
        let result = try EnvelopeCodec.decode(body, as: ReplyResult.self).data
        guard let key = result.result?["export_stream"]?.stringValue else {
            throw BenchError.mismatch("export.start refused: \(result)")
        }
        let sampler = Task {
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, Self.status(service.pid, "VmRSS") ?? 0)
                try? await Task.sleep(for: .milliseconds(20))
            }
            return peak
        }
        let bytes = try await ExportStreamReader.read(redis: redis, key: key) { _ in }
        let seconds = ContinuousClock.now - start
        sampler.cancel()
        let peak = max(await sampler.value, Self.status(service.pid, "VmHWM") ?? 0)
        service.send(SIGTERM)
        _ = await service.waitForExit(timeout: .seconds(20))
        return (seconds, bytes, peak, baseline)
    }

    private func cliExport() async throws -> (seconds: Duration, bytes: Int, peakKiB: Int) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-bench-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let start = ContinuousClock.now
        let cli = try TestProcess(
            executable: binaries.appendingPathComponent("kefu"),
            arguments: ["export", "sessions", "--from", Self.from, "--to", Self.to, "--out", file.path],
            environment: ["DATABASE_URL": databaseURL])
        defer { cli.terminate() }
        var peak = 0
        while cli.process.isRunning {
            peak = max(peak, Self.status(cli.pid, "VmHWM") ?? 0)
            try await Task.sleep(for: .milliseconds(10))
        }
        let seconds = ContinuousClock.now - start
        guard cli.process.terminationStatus == 0 else { throw BenchError.mismatch("kefu export failed: \(cli.output())") }
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        return (seconds, size, peak)
    }

    static func status(_ pid: Int32, _ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.2f", value)
    }

    static func rate(_ count: Int, _ duration: Duration) -> Int {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return Int(Double(count) / value)
    }
}
