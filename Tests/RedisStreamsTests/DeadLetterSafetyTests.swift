import Redis
import RedisStreams
import Testing

@Suite("Dead-letter safety")
struct DeadLetterSafetyTests {
    @Test func aBrokenDeadLetterKeyLeavesEntriesPendingInsteadOfDroppingThem() async throws {
        let harness = try await StreamTestHarness()
        _ = try await harness.client.send(["SET", "\(harness.stream):dead", "not a stream"])
        let producer = StreamProducer(client: harness.client)
        _ = try await producer.add(stream: harness.stream, fields: ["event": "bad-entry"])
        let good = try await producer.add(stream: harness.stream, fields: ["event": "fine"])
        let log = HandlerLog()
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(),
            handler: ClosureStreamHandler(decode: decodeText) { batch in log.append(batch.map(\.id)) },
            logger: harness.logger
        )
        try await withRunning(consumer) {
            try await eventually("good entry handled") { log.ids == [good] }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await harness.pendingCount() == 1, "the undecodable entry stays pending, not dropped")
        await harness.shutdown()
    }
}
