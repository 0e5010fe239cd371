import Logging
import MetricsTestKit
import Redis
import RedisStreams
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import TestSupport
import Testing

@Suite("StreamConsumer against a real redis-server")
struct StreamConsumerTests {
    @Test func handlesEveryEntryOnceAndAcknowledges() async throws {
        let harness = try await StreamTestHarness()
        let metrics = TestMetrics()
        let ids = try await harness.produce(250)
        let log = HandlerLog()
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(),
            handler: ClosureStreamHandler(decode: decodeText) { batch in log.append(batch.map(\.id)) },
            logger: harness.logger,
            metricsFactory: metrics
        )
        try await withRunning(consumer) {
            try await eventually("250 entries handled") { log.ids.count >= 250 }
        }
        #expect(log.ids == ids)
        #expect(log.batches.allSatisfy { $0.count <= 50 })
        #expect(try await harness.pendingCount() == 0)
        let dimensions = [("stream", harness.stream), ("group", harness.group)]
        #expect(metrics.counterTotal(label: "kefu_stream_entries_handled_total", dimensions: dimensions) == 250)
        #expect(metrics.counterTotal(label: "kefu_stream_entries_acked_total", dimensions: dimensions) == 250)
        await harness.shutdown()
    }

    @Test func drainsOwnPendingEntriesAtStart() async throws {
        let harness = try await StreamTestHarness()
        let first = try await harness.produce(10, prefix: "old")
        _ = try await harness.client.send(["XGROUP", "CREATE", harness.stream, harness.group, "0"])
        let read = try await harness.client.send(
            ["XREADGROUP", "GROUP", harness.group, "c1", "COUNT", "10", "STREAMS", harness.stream, ">"])
        #expect(read.array?.count == 1)
        #expect(try await harness.pendingCount() == 10)
        let later = try await harness.produce(5, prefix: "new")

        let log = HandlerLog()
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(consumer: "c1", claimIdleMilliseconds: 3_600_000),
            handler: ClosureStreamHandler(decode: decodeText) { batch in log.append(batch.map(\.id)) },
            logger: harness.logger
        )
        try await withRunning(consumer) {
            try await eventually("15 entries handled") { log.ids.count >= 15 }
        }
        #expect(log.batches.first == first, "the pending entries come first, in one drain batch")
        #expect(log.ids == first + later)
        #expect(try await harness.pendingCount() == 0)
        await harness.shutdown()
    }

    @Test func claimsEntriesOfADeadConsumer() async throws {
        let harness = try await StreamTestHarness()
        let metrics = TestMetrics()
        let ids = try await harness.produce(20)
        _ = try await harness.client.send(["XGROUP", "CREATE", harness.stream, harness.group, "0"])
        _ = try await harness.client.send(
            ["XREADGROUP", "GROUP", harness.group, "consumer-a", "COUNT", "100", "STREAMS", harness.stream, ">"])
        #expect(try await harness.pendingCount() == 20)

        let log = HandlerLog()
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(consumer: "consumer-b", claimIdleMilliseconds: 200,
                                                 claimIntervalMilliseconds: 100),
            handler: ClosureStreamHandler(decode: decodeText) { batch in log.append(batch.map(\.id)) },
            logger: harness.logger,
            metricsFactory: metrics
        )
        try await withRunning(consumer) {
            try await eventually("claimed entries handled") { Set(log.ids).count >= 20 }
            try await eventually("nothing pending") { try await harness.pendingCount() == 0 }
        }
        #expect(Set(log.ids) == Set(ids))
        let dimensions = [("stream", harness.stream), ("group", harness.group)]
        #expect(metrics.counterTotal(label: "kefu_stream_entries_claimed_total", dimensions: dimensions) == 20)
        await harness.shutdown()
    }

    @Test func deadLettersUndecodableEntriesAtOnceAndKeepsRunning() async throws {
        let harness = try await StreamTestHarness()
        let producer = StreamProducer(client: harness.client)
        let good1 = try await producer.add(stream: harness.stream, fields: ["event": "ok-1"])
        let bad = try await producer.add(stream: harness.stream, fields: ["event": "bad-1", "trace": "t-42"])
        let good2 = try await producer.add(stream: harness.stream, fields: ["event": "ok-2"])
        let log = HandlerLog()
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(consumer: "decoder-1"),
            handler: ClosureStreamHandler(decode: decodeText) { batch in log.append(batch.map(\.id)) },
            logger: harness.logger
        )
        var good3 = ""
        try await withRunning(consumer) {
            try await eventually("good entries handled") { log.ids.count >= 2 }
            good3 = try await producer.add(stream: harness.stream, fields: ["event": "ok-3"])
            try await eventually("entry after the dead letter handled") { log.ids.count >= 3 }
        }
        #expect(log.ids == [good1, good2, good3])
        let dead = try await harness.range("\(harness.stream):dead")
        #expect(dead.count == 1)
        let letter = try #require(dead.first).fields
        #expect(letter["event"] == "bad-1")
        #expect(letter["trace"] == "t-42")
        #expect(letter["dead.reason"] == "invalid_field: event is not valid")
        #expect(letter["dead.original_id"] == bad)
        #expect(letter["dead.stream"] == harness.stream)
        #expect(letter["dead.group"] == harness.group)
        #expect(letter["dead.consumer"] == "decoder-1")
        #expect(letter["dead.deliveries"] == "1")
        #expect(letter["dead.at"]?.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil)
        #expect(try await harness.pendingCount() == 0)
        await harness.shutdown()
    }

    @Test func deadLettersAnEntryThatKeepsFailingAndAcknowledgesTheOthers() async throws {
        let harness = try await StreamTestHarness()
        let metrics = TestMetrics()
        let ids = try await harness.produce(10)
        let poison = ids[4]
        let attempts = Mutex(0)
        let log = HandlerLog()
        struct Poisoned: Error, CustomStringConvertible { var description: String { "database said no" } }
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(claimIdleMilliseconds: 100, claimIntervalMilliseconds: 50,
                                                 maxDeliveries: 3),
            handler: ClosureStreamHandler(decode: decodeText) { batch in
                if batch.contains(where: { $0.id == poison }) {
                    if batch.count == 1 { attempts.withLock { $0 += 1 } }
                    throw Poisoned()
                }
                log.append(batch.map(\.id))
            },
            logger: harness.logger,
            metricsFactory: metrics
        )
        let deadStream = "\(harness.stream):dead"
        try await withRunning(consumer) {
            try await eventually("poison entry dead-lettered") { try await harness.range(deadStream).count == 1 }
        }
        #expect(Set(log.ids) == Set(ids.filter { $0 != poison }))
        let letter = try #require(try await harness.range(deadStream).first).fields
        #expect(letter["dead.original_id"] == poison)
        #expect(letter["dead.reason"] == "max_deliveries: failed 3 deliveries; last error: database said no")
        #expect(letter["dead.deliveries"] == "3")
        #expect(attempts.withLock { $0 } == 3, "one solo attempt per delivery")
        #expect(try await harness.pendingCount() == 0)
        let dimensions = [("stream", harness.stream), ("group", harness.group), ("reason", "max_deliveries")]
        #expect(metrics.counterTotal(label: "kefu_stream_entries_dead_lettered_total", dimensions: dimensions) == 1)
        await harness.shutdown()
    }

    @Test func gracefulShutdownFinishesAndAcknowledgesTheBatchInHand() async throws {
        let harness = try await StreamTestHarness()
        let ids = try await harness.produce(30)
        let started = Mutex(false)
        let log = HandlerLog()
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(batchSize: 30, blockMilliseconds: 5_000),
            handler: ClosureStreamHandler(decode: decodeText) { batch in
                started.withLock { $0 = true }
                try await Task.sleep(for: .milliseconds(500))
                log.append(batch.map(\.id))
            },
            logger: harness.logger
        )
        let clock = ContinuousClock()
        var shutdownTook = Duration.zero
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await consumer.run() }
                try await eventually("handler started") { started.withLock { $0 } }
                let start = clock.now
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
                shutdownTook = start.duration(to: clock.now)
            }
        }
        #expect(log.ids == ids)
        #expect(try await harness.pendingCount() == 0, "the batch in hand was acknowledged")
        #expect(shutdownTook < .seconds(3), "a blocked read is woken, not waited out (took \(shutdownTook))")
        await harness.shutdown()
    }

    @Test func neverAcknowledgesWhatTheHandlerDidNotFinish() async throws {
        let harness = try await StreamTestHarness()
        try await harness.produce(5)
        let failing = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(consumer: "thrower"),
            handler: ClosureStreamHandler(decode: decodeText) { _ in throw DecodeFailure() },
            logger: harness.logger
        )
        try await withRunning(failing) {
            try await eventually("entries delivered") { try await harness.pendingCount() == 5 }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(try await harness.pendingCount() == 5, "a throwing handler leaves entries pending")

        try await harness.produce(3, prefix: "late")
        let inHandler = Mutex(false)
        let killed = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(consumer: "killed"),
            handler: ClosureStreamHandler(decode: decodeText) { _ in
                inHandler.withLock { $0 = true }
                try await Task.sleep(for: .seconds(60))
            },
            logger: harness.logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await killed.run() }
            try await eventually("handler running") { inHandler.withLock { $0 } }
            group.cancelAll()
            try await group.waitForAll()
        }
        #expect(try await harness.pendingCount() == 8, "a cancelled handler's entries stay pending")
        await harness.shutdown()
    }

    @Test func keepsConsumingAcrossARedisRestart() async throws {
        let server = try await RedisTestServer()
        let harness = try await StreamTestHarness(server: server)
        let log = HandlerLog()
        let consumer = try StreamConsumer(
            client: harness.client,
            configuration: harness.configuration(blockMilliseconds: 100),
            handler: ClosureStreamHandler(decode: decodeText) { batch in log.append(batch.map(\.id)) },
            logger: harness.logger
        )
        try await withRunning(consumer) {
            try await harness.produce(3, prefix: "before")
            try await eventually("first entries") { log.ids.count >= 3 }
            await server.stop()
            try await Task.sleep(for: .milliseconds(300))
            try await server.start()
            try await eventually(timeout: .seconds(15), "reconnect and group recreated") {
                (try? await harness.produce(2, prefix: "after")) != nil
            }
            try await eventually(timeout: .seconds(15), "entries after restart") { log.ids.count >= 5 }
        }
        #expect(log.ids.count >= 5)
        await harness.shutdown()
        await server.cleanup()
    }

    @Test func blockedConsumersDoNotBlockTheCooperativePool() async throws {
        let harness = try await StreamTestHarness()
        let consumers = try (0..<4).map { index in
            try StreamConsumer(
                client: harness.client,
                configuration: harness.configuration(consumer: "idle-\(index)", blockMilliseconds: 5_000,
                                                     claimIntervalMilliseconds: 60_000),
                handler: ClosureStreamHandler(decode: decodeText) { _ in },
                logger: harness.logger
            )
        }
        var elapsed = Duration.zero
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for consumer in consumers {
                    group.addTask { try await consumer.run() }
                }
                try await eventually("4 reads blocked") {
                    let list = try await harness.client.send(["CLIENT", "LIST"]).string ?? ""
                    let blocked = list.split(separator: "\n").filter { $0.contains("cmd=xreadgroup") && $0.contains("flags=b") }
                    return blocked.count >= 4
                }
                let clock = ContinuousClock()
                let start = clock.now
                for _ in 0..<20 {
                    try await Task.sleep(for: .milliseconds(5))
                }
                elapsed = start.duration(to: clock.now)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(elapsed < .seconds(1), "20 × 5 ms took \(elapsed) while 4 reads were blocked")
        await harness.shutdown()
    }
}
