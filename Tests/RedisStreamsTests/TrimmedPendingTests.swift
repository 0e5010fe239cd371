import MetricsTestKit
import Redis
import RedisStreams
import TestSupport
import Testing

@Suite("Pending entries trimmed before they were handled")
struct TrimmedPendingTests {
    @Test func claimedButDeletedEntriesAreReportedLostAndLeaveThePendingList() async throws {
        let harness = try await StreamTestHarness()
        let metrics = TestMetrics()
        let ids = try await harness.produce(10)
        _ = try await harness.client.send(["XGROUP", "CREATE", harness.stream, harness.group, "0"])
        _ = try await harness.client.send(
            ["XREADGROUP", "GROUP", harness.group, "crashed", "COUNT", "10", "STREAMS", harness.stream, ">"])
        _ = try await harness.client.send(["XDEL", harness.stream, ids[1], ids[2], ids[3]])

        let log = HandlerLog()
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(consumer: "rescuer", claimIdleMilliseconds: 100,
                                                 claimIntervalMilliseconds: 50),
            handler: ClosureStreamHandler(decode: decodeText) { batch in log.append(batch.map(\.id)) },
            logger: harness.logger,
            metricsFactory: metrics
        )
        try await withRunning(consumer) {
            try await eventually("survivors handled") { log.ids.count >= 7 }
            try await eventually("nothing pending") { try await harness.pendingCount() == 0 }
        }
        #expect(Set(log.ids) == Set(ids).subtracting(ids[1...3]))
        let dimensions = [("stream", harness.stream), ("group", harness.group)]
        #expect(metrics.counterTotal(label: "kefu_stream_entries_lost_total", dimensions: dimensions) == 3)
        await harness.shutdown()
    }

    @Test func drainedButDeletedEntriesAreAcknowledgedAsLost() async throws {
        let harness = try await StreamTestHarness()
        let metrics = TestMetrics()
        let ids = try await harness.produce(5)
        _ = try await harness.client.send(["XGROUP", "CREATE", harness.stream, harness.group, "0"])
        _ = try await harness.client.send(
            ["XREADGROUP", "GROUP", harness.group, "c1", "COUNT", "10", "STREAMS", harness.stream, ">"])
        _ = try await harness.client.send(["XDEL", harness.stream, ids[0], ids[3]])

        let log = HandlerLog()
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(consumer: "c1"),
            handler: ClosureStreamHandler(decode: decodeText) { batch in log.append(batch.map(\.id)) },
            logger: harness.logger,
            metricsFactory: metrics
        )
        try await withRunning(consumer) {
            try await eventually("survivors handled") { log.ids.count >= 3 }
            try await eventually("nothing pending") { try await harness.pendingCount() == 0 }
        }
        #expect(log.ids == [ids[1], ids[2], ids[4]])
        let dimensions = [("stream", harness.stream), ("group", harness.group)]
        #expect(metrics.counterTotal(label: "kefu_stream_entries_lost_total", dimensions: dimensions) == 2)
        await harness.shutdown()
    }
}
