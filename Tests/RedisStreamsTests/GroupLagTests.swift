import Logging
import MetricsTestKit
import Redis
import RedisStreams
import TestSupport
import Testing

/// `kefu_stream_group_lag` is the number of entries a group has not been delivered yet, also after Redis
/// restarts from an AOF: `XINFO GROUPS`' own `lag` is restored stale there (a caught-up group shows a lag
/// that grows with every restart), so the trimmer counts instead.
@Suite("Group lag after Redis restarts")
struct GroupLagTests {
    @Test func aCaughtUpGroupHasNoLagAfterAOFRestarts() async throws {
        let server = try await RedisTestServer(arguments: ["--appendonly", "yes", "--appendfsync", "always"])
        let harness = try await StreamTestHarness(server: server)
        let client = harness.client
        let stream = harness.stream
        _ = try await client.send(["XGROUP", "CREATE", stream, "g", "$", "MKSTREAM"])
        func readAll() async throws {
            _ = try await client.send(["XREADGROUP", "GROUP", "g", "c", "COUNT", "10000", "STREAMS", stream, ">"])
        }
        func restart() async throws {
            await server.stop()
            try await server.start()
            // The pool notices the closed connections on first use, then reconnects.
            for _ in 0..<3 { _ = try? await client.send(["PING"]) }
        }
        try await harness.produce(50)
        try await readAll()
        _ = try await client.send(["BGREWRITEAOF"])
        try await Task.sleep(for: .milliseconds(500))
        for _ in 0..<2 {
            try await restart()
            try await harness.produce(5)
            try await readAll()
        }
        try await restart()

        let info = try await client.send(["XINFO", "GROUPS", stream]).array?.first?.array ?? []
        var fields: [String: RedisReply] = [:]
        for index in stride(from: 0, to: info.count - 1, by: 2) { fields[info[index].string ?? ""] = info[index + 1] }
        let staleLag = fields["lag"]?.int ?? 0
        #expect(staleLag > 0, "the scenario must reproduce Redis' stale lag (XINFO says \(staleLag))")

        let metrics = TestMetrics()
        let trimmer = StreamTrimmer(client: client, logger: harness.logger, metricsFactory: metrics)
        _ = try await trimmer.trimOnce(stream: stream)
        let dimensions = [("stream", stream), ("group", "g")]
        #expect(try metrics.expectGauge("kefu_stream_group_lag", dimensions).lastValue == 0)
        #expect(try await trimmer.lag(stream: stream, group: "g") == 0)

        try await harness.produce(7)
        _ = try await trimmer.trimOnce(stream: stream)
        #expect(try metrics.expectGauge("kefu_stream_group_lag", dimensions).lastValue == 7)
        #expect(try await trimmer.lag(stream: stream, group: "g", limit: 3) >= 3, "a capped count still reports at least the cap")
        await harness.shutdown()
        await server.cleanup()
    }
}
