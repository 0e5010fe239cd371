import Foundation
import KefuModel
import Logging
import Postgres
import Redis
import ReportingService
import Testing
import TestSupport

/// A running `kefu-reporting` process against the test Redis and a fresh database, with helpers to publish
/// events, ask queries through the request stream and read export streams as the gateway does.
final class ReportingHarness: Sendable {
    let process: TestProcess
    let prefix: String
    let databaseURL: String
    let redis: RedisClient
    let postgres: PostgresClient
    let names: StreamNames
    let replies: String

    /// Launches the service and waits until it is ready.
    init(environment extra: [String: String] = [:]) async throws {
        let redisServer = try await RedisTestServer.shared()
        databaseURL = try await PostgresTestServer.shared().makeDatabase()
        let port = HTTPProbe.freePort()
        prefix = "r\(UInt32.random(in: 0...UInt32.max))"
        // The service inherits KEFU_STREAM_PARTITIONS (KEFU_TEST_STREAM_PARTITIONS=4 scripts/test).
        names = try StreamNames(prefix: prefix, partitions: ProcessInfo.processInfo.environment["KEFU_STREAM_PARTITIONS"].flatMap(Int.init) ?? 1)
        replies = "\(prefix):replies:test"
        var environment = [
            "REDIS_URL": redisServer.url, "DATABASE_URL": databaseURL, "HTTP_PORT": "\(port)",
            "KEFU_STREAM_PREFIX": prefix, "KEFU_INSTANCE": "test-0", "KEFU_STREAM_BLOCK_MS": "200",
        ]
        environment.merge(extra) { _, new in new }
        process = try TestProcess(executable: TestProcess.product("kefu-reporting"), environment: environment)
        redis = RedisClient(configuration: try RedisConfiguration(url: redisServer.url), logger: Logger(label: "test"))
        postgres = PostgresClient(configuration: try PostgresConfiguration(url: databaseURL), logger: Logger(label: "test"))
        let ready = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60))
        if ready == nil {
            Issue.record("kefu-reporting not ready: \(process.output())")
            throw HarnessError.notReady
        }
    }

    /// Stops the service (SIGTERM, then checks a clean exit) and closes the clients.
    func stop() async {
        process.send(SIGTERM)
        let status = await process.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "kefu-reporting exit status \(String(describing: status)): \(process.output().suffix(2000))")
        process.terminate()
        await redis.shutdown()
        try? await postgres.shutdown()
    }

    /// Appends envelopes to the events stream, in the order given.
    func publish(_ entries: [[UInt8]]) async throws {
        for entry in entries {
            let stream = names.partition(of: names.events, envelope: entry)
            _ = try await redis.send([Array("XADD".utf8), Array(stream.utf8), Array("*".utf8), Array("event".utf8), entry])
        }
    }

    /// Waits until the reporting group has read and acknowledged everything on the events stream (every
    /// partition; one the service has not created yet counts as not applied).
    func waitUntilEventsApplied(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var applied = 0
            let partitions = names.partitions(of: names.events)
            for partition in partitions {
                guard let groups = try? await redis.send(["XINFO", "GROUPS", partition]) else { continue }
                for group in groups.array ?? [] {
                    let fields = group.array ?? []
                    var info: [String: RedisReply] = [:]
                    for index in stride(from: 0, to: fields.count - 1, by: 2) { info[fields[index].string ?? ""] = fields[index + 1] }
                    if info["name"]?.string == "reporting", info["pending"]?.int == 0, info["lag"]?.int == 0 { applied += 1 }
                }
            }
            if applied == partitions.count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError.timeout("events not applied: \(process.output().suffix(3000))")
    }

    /// Sends a `query.request` and waits for its `reply.result`.
    func query(_ name: String, _ params: [String: JSONValue] = [:], actor: Actor = ReportingHarness.admin) async throws -> ReplyResult {
        let request = EventEnvelope(
            source: "test", replyTo: replies, expiresAt: Timestamp(Date().addingTimeInterval(30)),
            data: QueryRequest(name: name, actor: actor, params: .object(params)))
        let bytes = try EnvelopeCodec.encode(request)
        _ = try await redis.send([
            Array("XADD".utf8), Array(names.partition(of: names.requests(service: .reporting), envelope: bytes).utf8), Array("*".utf8),
            Array("event".utf8), bytes,
        ])
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let reply = try await redis.send(["XRANGE", replies, "-", "+"])
            for entry in reply.array ?? [] {
                guard let parts = entry.array, parts.count == 2, let fields = parts[1].array, fields.count == 2,
                      let value = fields[1].bytes
                else { continue }
                let envelope = try EnvelopeCodec.decode(value, as: ReplyResult.self)
                if envelope.correlationID == request.id {
                    _ = try await redis.send(["XDEL", replies, parts[0].string ?? ""])
                    return envelope.data
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError.timeout("no reply to \(name): \(process.output().suffix(2000))")
    }

    /// Starts an export and reads its stream to the end, as the gateway does.
    func export(_ params: [String: JSONValue]) async throws -> (bytes: [UInt8], filename: String) {
        let reply = try await query("export.start", params)
        guard reply.ok, let key = reply.result?["export_stream"]?.stringValue,
              let filename = reply.result?["filename"]?.stringValue
        else { throw HarnessError.refused(reply) }
        var bytes: [UInt8] = []
        try await ExportStreamReader.read(redis: redis, key: key) { bytes += $0 }
        return (bytes, filename)
    }

    /// The service's resident set size in KiB (`VmRSS` of /proc/<pid>/status).
    func residentKiB() -> Int? {
        Self.status(of: process.pid, field: "VmRSS")
    }

    /// A `/proc/<pid>/status` field in KiB.
    static func status(of pid: Int32, field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    static let admin = Actor(role: .admin, agentID: AgentID(UUID()))
}

enum HarnessError: Error, CustomStringConvertible {
    case notReady
    case timeout(String)
    case refused(ReplyResult)

    var description: String {
        switch self {
        case .notReady: return "the service did not become ready"
        case .timeout(let what): return "timed out: \(what)"
        case .refused(let reply): return "refused: \(reply.code ?? "") \(reply.message ?? "")"
        }
    }
}

/// Parses CSV bytes with Python's `csv` module (and checks pandas agrees when it is installed); returns the
/// rows as lists of strings, the header first, and whether pandas was used.
enum PythonCSV {
    static func parse(_ bytes: [UInt8]) throws -> (rows: [[String]], pandas: Bool) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-export-\(UUID().uuidString).csv")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
                rows = list(csv.reader(f, strict=True))
            pandas = False
            try:
                import pandas as pd
                frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, encoding='utf-8-sig')
                assert list(frame.columns) == rows[0], 'pandas header differs'
                assert frame.values.tolist() == rows[1:], 'pandas rows differ'
                pandas = True
            except ImportError:
                pass
            print(json.dumps({'rows': rows, 'pandas': pandas}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HarnessError.timeout("python csv failed: \(String(decoding: problem, as: UTF8.self))")
        }
        struct Parsed: Decodable {
            let rows: [[String]]
            let pandas: Bool
        }
        let parsed = try JSONDecoder().decode(Parsed.self, from: data)
        return (parsed.rows, parsed.pandas)
    }
}
