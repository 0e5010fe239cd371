import Logging
import Redis
import RedisStreams
import TestSupport
import Testing

@Suite("StreamProducer and helpers")
struct StreamProducerTests {
    @Test func addAndBatchKeepOrderAndBinaryValues() async throws {
        let harness = try await StreamTestHarness()
        let producer = StreamProducer(client: harness.client, pipelineDepth: 64)
        let binary = (0...255).map { UInt8($0) }
        let single = try await producer.add(stream: harness.stream, fields: [(name: "event", value: binary)])
        let batch = try await producer.addBatch(
            stream: harness.stream,
            entries: (0..<1_000).map { [(name: "event", value: Array("{\"n\":\($0),\"text\":\"你好\"}".utf8))] }
        )
        #expect(batch.count == 1_000)
        #expect(zip(batch, batch.dropFirst()).allSatisfy { $0 < $1 || $0.count < $1.count })
        let first = try await harness.client.send(["XRANGE", harness.stream, single, single])
        #expect(first.array?.first?.array?[1].array?[1] == .bulk(binary))
        let last = try await harness.range(harness.stream).last
        #expect(last?.fields["event"] == "{\"n\":999,\"text\":\"你好\"}")
        await harness.shutdown()
    }

    @Test func aReplicaWaitFailsWritesNoReplicaAcknowledged() async throws {
        let harness = try await StreamTestHarness()
        let producer = StreamProducer(client: harness.client, pipelineDepth: 10, replicaWait: ReplicaWait(replicas: 1, timeoutMilliseconds: 20))
        do {
            _ = try await producer.addBatch(stream: harness.stream, entries: (0..<25).map { [(name: "event", value: [UInt8($0)])] })
            Issue.record("a server without replicas acknowledged a WAIT 1")
        } catch StreamError.notReplicated(let added, let replicas) {
            #expect(added.count == 10, "the first round trip's entries, then it stops")
            #expect(replicas == 0)
        }
        await #expect(throws: StreamError.self) { try await producer.add(stream: harness.stream, fields: [(name: "event", value: [1])]) }
        #expect(try await harness.client.send(["XLEN", harness.stream]).int == 11, "the entries are written, only not replicated")
        await harness.shutdown()
    }

    @Test func aReplicaWaitPassesWithAReplica() async throws {
        let cluster = try await SentinelTestCluster()
        defer { Task { await cluster.cleanup() } }
        let client = RedisClient(configuration: try RedisConfiguration(url: cluster.url), poolSize: 2, logger: Logger(label: "test"))
        let producer = StreamProducer(client: client, pipelineDepth: 10, replicaWait: ReplicaWait(replicas: 1, timeoutMilliseconds: 2000))
        let ids = try await producer.addBatch(stream: "replicated", entries: (0..<25).map { [(name: "event", value: [UInt8($0)])] })
        #expect(ids.count == 25)
        let single = try await producer.add(stream: "replicated", fields: [(name: "event", value: [1])])
        let onReplica = try await cluster.directCommand(port: cluster.replica.port, ["XRANGE", "replicated", single, single])
        #expect(onReplica.array?.count == 1, "acknowledged means on the replica")
        await client.shutdown()
    }

    @Test func maxLengthIsAnApproximateSafetyValve() async throws {
        let harness = try await StreamTestHarness()
        let producer = StreamProducer(client: harness.client, maxLength: 100)
        _ = try await producer.addBatch(stream: harness.stream, entries: (0..<2_000).map { [(name: "event", value: [UInt8($0 % 256)])] })
        let length = try await harness.client.send(["XLEN", harness.stream]).int ?? 0
        #expect(length >= 100 && length < 400)
        await harness.shutdown()
    }

    @Test func resendsTheSameEntryWhileTheServerIsAwayOnlyWithARetryWindow() async throws {
        let server = try await RedisTestServer()
        let harness = try await StreamTestHarness(server: server)
        #expect(StreamProducer(client: harness.client).retryWindow == .zero)
        let retrying = StreamProducer(client: harness.client, retryWindow: .seconds(10))
        let single = StreamProducer(client: harness.client)
        _ = try await retrying.add(stream: harness.stream, fields: ["event": "before"])
        await server.stop(kill: true)
        // A single server keeps today's behaviour: the first connection error is thrown.
        await #expect(throws: RedisError.self) {
            _ = try await single.add(stream: harness.stream, fields: ["event": "lost"])
        }
        async let added = retrying.addBatch(stream: harness.stream, entries: [
            [(name: "event", value: Array("a".utf8))], [(name: "event", value: Array("b".utf8))],
        ])
        try await Task.sleep(for: .milliseconds(400))
        try await server.start()
        let ids = try await added
        #expect(ids.count == 2)
        let stored = try await harness.range(harness.stream)
        // The server restarted empty (no persistence): only what was resent after it came back is there.
        #expect(stored.map(\.id) == ids)
        #expect(stored.map { $0.fields["event"] } == ["a", "b"])
        await harness.shutdown()
        await server.cleanup()
    }

    @Test func consumerNamesAreStable() {
        let first = ConsumerName.stable(service: "routing", instance: "web 1-2")
        #expect(first == "routing-web_1-2")
        #expect(ConsumerName.stable(service: "routing", instance: "a-0") == ConsumerName.stable(service: "routing", instance: "a-0"))
        #expect(ConsumerName.stable(service: "store", instance: "x").hasPrefix("store-"))
    }

    @Test func configurationValidationNamesTheSetting() {
        var configuration = StreamConsumerConfiguration(stream: "s", group: "g", consumer: "c")
        #expect(configuration.deadLetterStream == "s:dead")
        #expect(configuration.batchSize == 100 && configuration.blockMilliseconds == 2_000)
        #expect(configuration.claimIdleMilliseconds == 30_000 && configuration.maxDeliveries == 5)
        configuration.batchSize = 0
        #expect(throws: StreamConfigurationError.invalid("batchSize", "must be at least 1, got 0")) {
            try configuration.validate()
        }
    }
}
