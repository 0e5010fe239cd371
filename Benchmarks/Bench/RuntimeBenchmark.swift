import Logging
import Redis
import RedisStreams
import ServiceLifecycle
import Synchronization

/// The same volume through the runtime: `StreamProducer.addBatch` feeding a `StreamConsumer`
/// whose handler decodes each entry and acknowledges after the batch handler returns.
struct RuntimeBenchmark {
    let client: RedisClient
    let count: Int
    let batchSize: Int
    let pipelineDepth: Int
    let logger: Logger

    /// Runs once on a fresh stream; returns seconds from the first XADD (or, when `prefilled`, from
    /// the consumer's start on a stream filled beforehand) until the consumer has handled and
    /// acknowledged everything (measured when its service group returned).
    func run(stream: String, prefilled: Bool) async throws -> Double {
        let counter = HandledCounter(target: count)
        let handler = ClosureStreamHandler<Int>(
            decode: { entry in
                guard let event = entry[field: "event"], event.first == UInt8(ascii: "{") else {
                    throw BenchError.mismatch("entry without event")
                }
                return event.count
            },
            handle: { batch in counter.add(batch.count) }
        )
        let consumer = try StreamConsumer(
            client: client,
            configuration: StreamConsumerConfiguration(
                stream: stream, group: "bench", consumer: "runtime", batchSize: batchSize,
                blockMilliseconds: 1_000, claimIntervalMilliseconds: 60_000
            ),
            handler: handler,
            logger: logger
        )
        let group = ServiceGroup(services: [consumer], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
        let producer = StreamProducer(client: client, pipelineDepth: pipelineDepth)
        let chunk = pipelineDepth * 10
        let count = count
        let produce: @Sendable () async throws -> Void = {
            var sent = 0
            while sent < count {
                let end = min(sent + chunk, count)
                let entries: [StreamFields] = (sent..<end).map { [(name: "event", value: BenchPayload.event($0))] }
                _ = try await producer.addBatch(stream: stream, entries: entries)
                sent = end
            }
        }
        if prefilled {
            try await produce()
        }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            if !prefilled {
                tasks.addTask { try await produce() }
            }
            await counter.waitUntilDone()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let seconds = RawBenchmark.seconds(start.duration(to: .now))
        let pending = try await client.send(["XPENDING", stream, "bench"]).array?.first?.int ?? -1
        guard pending == 0, counter.value == count else {
            throw BenchError.mismatch("runtime handled \(counter.value) of \(count), \(pending) still pending")
        }
        return seconds
    }
}

/// Counts handled messages and wakes a waiter when the target is reached.
final class HandledCounter: Sendable {
    private let state: Mutex<(count: Int, waiter: CheckedContinuation<Void, Never>?)> = Mutex((0, nil))
    private let target: Int

    init(target: Int) {
        self.target = target
    }

    var value: Int { state.withLock { $0.count } }

    func add(_ amount: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += amount
            guard state.count >= target else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func waitUntilDone() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.count >= target { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}
