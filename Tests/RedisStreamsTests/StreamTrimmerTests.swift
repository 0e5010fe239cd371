import Logging
import Redis
import RedisStreams
import TestSupport
import Testing

@Suite("StreamTrimmer")
struct StreamTrimmerTests {
    @Test func neverRemovesAnEntryUnacknowledgedByAnyGroup() async throws {
        let harness = try await StreamTestHarness()
        let ids = try await harness.produce(1_000)
        let stream = harness.stream
        let client = harness.client
        _ = try await client.send(["XGROUP", "CREATE", stream, "fast", "0"])
        _ = try await client.send(["XGROUP", "CREATE", stream, "slow", "0"])
        _ = try await client.send(["XREADGROUP", "GROUP", "fast", "f", "COUNT", "1000", "STREAMS", stream, ">"])
        _ = try await client.send(["XACK", stream, "fast"] + ids)
        _ = try await client.send(["XREADGROUP", "GROUP", "slow", "s", "COUNT", "500", "STREAMS", stream, ">"])
        _ = try await client.send(["XACK", stream, "slow"] + Array(ids[0..<500]))
        _ = try await client.send(["XREADGROUP", "GROUP", "slow", "s", "COUNT", "100", "STREAMS", stream, ">"])

        let trimmer = StreamTrimmer(client: client, logger: harness.logger)
        #expect(try await trimmer.safeFloor(stream: stream) == ids[500])
        let removed = try await trimmer.trimOnce(stream: stream)
        #expect(removed > 0 && removed <= 500)
        let remaining = try await harness.range(stream).map(\.id)
        #expect(Array(remaining.suffix(500)) == Array(ids[500...]), "every entry from the oldest pending one is kept")
        let pendingBodies = try await client.send(["XCLAIM", stream, "slow", "s", "0"] + Array(ids[500..<600]))
        #expect(pendingBodies.array?.count == 100)

        _ = try await client.send(["XACK", stream, "slow"] + Array(ids[500..<600]))
        _ = try await client.send(["XREADGROUP", "GROUP", "slow", "s", "COUNT", "100", "STREAMS", stream, ">"])
        _ = try await client.send(["XACK", stream, "slow"] + Array(ids[600..<700]))
        #expect(try await trimmer.safeFloor(stream: stream) == ids[699], "no pending: last delivered id")
        _ = try await trimmer.trimOnce(stream: stream)
        let after = try await harness.range(stream).map(\.id)
        #expect(after.contains(ids[699]) && after.last == ids[999])
        await harness.shutdown()
    }

    @Test func streamWithoutGroupsOrMissingIsNotTrimmed() async throws {
        let harness = try await StreamTestHarness()
        try await harness.produce(300)
        let trimmer = StreamTrimmer(client: harness.client, logger: harness.logger)
        #expect(try await trimmer.trimOnce(stream: harness.stream) == 0)
        #expect(try await harness.client.send(["XLEN", harness.stream]).int == 300)
        #expect(try await trimmer.trimOnce(stream: harness.stream + ":missing") == 0)
        await harness.shutdown()
    }

    @Test func periodicTrimmerRunsAsAService() async throws {
        let harness = try await StreamTestHarness()
        let ids = try await harness.produce(500)
        _ = try await harness.client.send(["XGROUP", "CREATE", harness.stream, "only", "$"])
        let trimmer = StreamTrimmer(client: harness.client, streams: [harness.stream], interval: .milliseconds(50),
                                    logger: harness.logger)
        try await withRunning(trimmer) {
            try await eventually("trimmed") { try await harness.client.send(["XLEN", harness.stream]).int ?? 0 < 500 }
        }
        let remaining = try await harness.range(harness.stream).map(\.id)
        #expect(remaining.last == ids.last)
        await harness.shutdown()
    }
}
