import Logging
import Redis
import RedisStreams
import Synchronization
import TestSupport
import Testing

/// A producer and a consumer on one stream while Sentinel fails the primary over (real servers on loopback).
@Suite("Streams across a Sentinel failover")
struct SentinelFailoverStreamTests {
    @Test func acknowledgedEntriesSurviveAndRepeatsStayInTheInbox() async throws {
        let cluster = try await SentinelTestCluster()
        do {
            try await run(cluster)
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }

    private func run(_ cluster: SentinelTestCluster) async throws {
        var logger = Logger(label: "test.streams.sentinel")
        logger.logLevel = .error
        let client = RedisClient(configuration: try RedisConfiguration(url: cluster.url), poolSize: 3, logger: logger)
        let stream = RedisTestServer.uniquePrefix("kefu:test") + "stream"
        let configuration = StreamConsumerConfiguration(
            stream: stream, group: "g", consumer: "c1", batchSize: 50, blockMilliseconds: 200,
            claimIdleMilliseconds: 1_000, claimIntervalMilliseconds: 200, maxDeliveries: 100)
        let log = FailoverLog()
        let consumer = try StreamConsumer(
            client: client, configuration: configuration,
            handler: ClosureStreamHandler(decode: { $0.string("event") ?? "" }) { batch in log.receive(batch.map(\.message)) },
            logger: logger)
        let producer = StreamProducer(client: client, maxLength: nil, retryWindow: .seconds(30))
        let oldPort = cluster.primary.port
        var newPort = 0
        try await withRunning(consumer) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var number = 0
                    while !log.stopped {
                        let event = "e\(number)"
                        _ = try await producer.add(stream: stream, fields: ["event": event])
                        log.acknowledge(event)
                        number += 1
                        try await Task.sleep(for: .milliseconds(2))
                    }
                }
                try await eventually(timeout: .seconds(20), "entries flowing before the kill") { log.handledCount >= 100 }
                await cluster.primary.stop(kill: true)
                log.markKilled()
                newPort = try await cluster.waitForFailover(from: oldPort)
                try await eventually(timeout: .seconds(30), "100 entries acknowledged after the failover") {
                    log.acknowledgedAfterKill.count >= 100
                }
                log.stop()
                try await group.waitForAll()
            }
            let inStream = try await Self.events(of: stream, port: newPort, cluster: cluster)
            try await eventually(timeout: .seconds(30), "every entry of the new primary handled") {
                log.handled.isSuperset(of: inStream)
            }
        }
        let inStream = try await Self.events(of: stream, port: newPort, cluster: cluster)
        let produced = Set(log.acknowledgedBeforeKill + log.acknowledgedAfterKill)
        // Acknowledged by the new primary: never lost.
        #expect(Set(log.acknowledgedAfterKill).isSubset(of: inStream))
        // Acknowledged by the old primary: replication is asynchronous and in order, so what the replica
        // missed can only be the last entries acknowledged before the kill.
        let before = log.acknowledgedBeforeKill
        let lost = before.filter { !inStream.contains($0) }
        #expect(Array(before.suffix(lost.count)) == lost, "lost entries are not a tail: \(lost)")
        // Everything in the stream was handled, and nothing was handled that was not produced.
        #expect(log.handled.isSuperset(of: inStream))
        #expect(log.handled.isSubset(of: produced))
        // Repeats (a resent XADD, a redelivery after the failover) reach the handler but the inbox keeps one.
        #expect(log.deliveries >= log.handled.count)
        let errors = try await cluster.directCommand(port: newPort, ["INFO", "errorstats"]).string ?? ""
        #expect(!errors.contains("READONLY"), "a write was sent to a replica: \(errors)")
        await client.shutdown()
    }

    private static func events(of stream: String, port: Int, cluster: SentinelTestCluster) async throws -> Set<String> {
        let reply = try await cluster.directCommand(port: port, ["XRANGE", stream, "-", "+"])
        return Set((reply.array ?? []).compactMap { $0.array?.last?.array?.last?.string })
    }
}

/// What the producer had acknowledged (before and after the kill) and what the consumer's inbox holds.
private final class FailoverLog: Sendable {
    private struct State {
        var before: [String] = []
        var after: [String] = []
        var killed = false
        var stopped = false
        var handled: Set<String> = []
        var deliveries = 0
    }

    private let state = Mutex(State())

    func acknowledge(_ event: String) {
        state.withLock { $0.killed ? $0.after.append(event) : $0.before.append(event) }
    }

    func receive(_ events: [String]) {
        state.withLock { state in
            state.deliveries += events.count
            state.handled.formUnion(events)
        }
    }

    func markKilled() { state.withLock { $0.killed = true } }
    func stop() { state.withLock { $0.stopped = true } }
    var stopped: Bool { state.withLock { $0.stopped } }
    var acknowledgedBeforeKill: [String] { state.withLock { $0.before } }
    var acknowledgedAfterKill: [String] { state.withLock { $0.after } }
    var handled: Set<String> { state.withLock { $0.handled } }
    var handledCount: Int { state.withLock { $0.handled.count } }
    var deliveries: Int { state.withLock { $0.deliveries } }
}
