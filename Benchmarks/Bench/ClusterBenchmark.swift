import KefuModel
import Logging
import Redis
import RedisStreams
import ServiceLifecycle
import ServiceRuntime
import Synchronization

/// `kefu-bench cluster`: the stream runtime (a routing `StreamProducer` feeding a `PartitionedStreamConsumer`)
/// with P partitions on a Redis Cluster against P = 1 on one Redis, measured in the same run. Every entry
/// carries its index; the run fails (exit 1) if any entry is missing or handled twice.
enum ClusterBenchmark {
    static let usage = """
        usage: kefu-bench cluster --single-url URL --cluster-url URL [--count N] [--partitions P] [--batch N] [--pipeline N]
          --single-url   one Redis (redis://…), measured with P = 1
          --cluster-url  a Redis Cluster (redis+cluster://…), measured with P partitions
          --count        messages per measurement (default 200000)
          --partitions   partitions on the cluster (default 6)
          --batch        XREADGROUP COUNT (default 100)
          --pipeline     XADD commands per pipelined round trip (default 100)
        """

    static func main(_ arguments: [String]) async -> Int32 {
        var single = ""
        var clustered = ""
        var count = 200_000
        var partitions = 6
        var batch = 100
        var pipeline = 100
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else {
                print("kefu-bench cluster: \(flag) needs a value\n\(usage)")
                return 2
            }
            let number = Int(value.filter { $0 != "_" })
            switch flag {
            case "--single-url": single = value
            case "--cluster-url": clustered = value
            case "--count": count = number ?? 0
            case "--partitions": partitions = number ?? 0
            case "--batch": batch = number ?? 0
            case "--pipeline": pipeline = number ?? 0
            default:
                print("kefu-bench cluster: unknown option \(flag)\n\(usage)")
                return 2
            }
        }
        guard !single.isEmpty, !clustered.isEmpty, count > 0, (1...1024).contains(partitions), batch > 0, pipeline > 0 else {
            print(usage)
            return 2
        }
        var logger = Logger(label: "kefu.bench.cluster")
        logger.logLevel = .warning
        print("kefu-bench cluster: \(count) messages per run, batch \(batch), pipeline ×\(pipeline)")
        var failed = false
        for (label, url, p) in [("P = 1 on one Redis", single, 1), ("P = \(partitions) on the Redis Cluster", clustered, partitions)] {
            do {
                let configuration = try RedisConfiguration(url: url)
                let client = RedisClient(configuration: configuration, poolSize: 4, logger: logger)
                try await client.verifyClusterCoverage()
                let run = Run(client: client, partitions: p, count: count, batch: batch, pipeline: pipeline, logger: logger)
                let result = try await run.measure()
                await client.shutdown()
                let rate = Int(Double(count) / result.seconds)
                print("  \(label): \(rate) msg/s (\(String(format: "%.2f", result.seconds)) s); missing \(result.missing), repeated \(result.repeated)")
                if result.missing > 0 || result.repeated > 0 { failed = true }
            } catch {
                print("kefu-bench cluster: \(label): \(error)")
                return 1
            }
        }
        return failed ? 1 : 0
    }

    struct Run {
        let client: RedisClient
        let partitions: Int
        let count: Int
        let batch: Int
        let pipeline: Int
        let logger: Logger

        func measure() async throws -> (seconds: Double, missing: Int, repeated: Int) {
            let names = try StreamNames(prefix: "{bench\(UInt32.random(in: .min ... .max))}", partitions: partitions)
            let streams = names.partitions(of: .inbound)
            for stream in streams { try await StreamGroups.create(stream: stream, group: "bench", redis: client) }
            let tally = Tally(count: count)
            let handler = ClosureStreamHandler<Int>(
                decode: { entry in
                    guard let index = Self.index(entry[field: "event"] ?? []) else { throw BenchError.mismatch("entry without n") }
                    return index
                },
                handle: { batch in tally.record(batch.map(\.message)) })
            let consumer = try PartitionedStreamConsumer(
                client: client, partitions: streams,
                configuration: StreamConsumerConfiguration(
                    stream: names.inbound, group: "bench", consumer: "bench", batchSize: batch, blockMilliseconds: 1_000,
                    claimIntervalMilliseconds: 60_000),
                handler: handler, logger: logger)
            let group = ServiceGroup(services: [consumer], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
            let producer = StreamProducer(client: client, pipelineDepth: pipeline, router: StreamPartitionCheck.router(names))
            let count = count
            let chunk = pipeline * 10
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask {
                    var sent = 0
                    while sent < count {
                        let end = min(sent + chunk, count)
                        let entries = (sent..<end).map { (stream: names.inbound, fields: Self.entry($0)) }
                        _ = try await producer.addBatch(entries)
                        sent = end
                    }
                }
                await tally.waitUntilDone(timeout: .seconds(max(60, count / 2_000)))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let seconds = RawBenchmark.seconds(start.duration(to: .now))
            var keys = streams.flatMap { [$0, $0 + ":dead"] }
            keys.append(names.partitionKey)
            for key in keys { _ = try await client.send(["DEL", key]) }
            let (missing, repeated) = tally.result
            return (seconds, missing, repeated)
        }

        static func entry(_ index: Int) -> StreamFields {
            [(name: "event", value: Array(#"{"id":"\#(index)","type":"bench","data":{"session_id":"s-\#(index % 5_000)","n":\#(index)}}"#.utf8))]
        }

        /// The integer after `"n":`.
        static func index(_ bytes: [UInt8]) -> Int? {
            let marker = Array(#""n":"#.utf8)
            guard bytes.count > marker.count else { return nil }
            for start in stride(from: bytes.count - marker.count, through: 0, by: -1) where bytes[start] == marker[0] {
                guard Array(bytes[start..<(start + marker.count)]) == marker else { continue }
                var value = 0
                var cursor = start + marker.count
                var digits = 0
                while cursor < bytes.count, (48...57).contains(bytes[cursor]) {
                    value = value * 10 + Int(bytes[cursor] - 48)
                    cursor += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            return nil
        }
    }

    /// Which indexes were handled and how often; wakes the waiter once all were seen.
    final class Tally: Sendable {
        private let state: Mutex<(seen: [UInt8], distinct: Int, repeated: Int, waiter: CheckedContinuation<Void, Never>?)>
        private let count: Int

        init(count: Int) {
            self.count = count
            state = Mutex(([UInt8](repeating: 0, count: count), 0, 0, nil))
        }

        func record(_ indexes: [Int]) {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                for index in indexes where index >= 0 && index < count {
                    if state.seen[index] == 0 { state.distinct += 1 } else { state.repeated += 1 }
                    state.seen[index] = 1
                }
                guard state.distinct >= count else { return nil }
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }

        var result: (missing: Int, repeated: Int) {
            state.withLock { (count - $0.distinct, $0.repeated) }
        }

        /// Returns once every index was seen, or after `timeout` (then ``result`` names what is missing).
        func waitUntilDone(timeout: Duration) async {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await withCheckedContinuation { continuation in
                        let done = self.state.withLock { state -> Bool in
                            if state.distinct >= self.count { return true }
                            state.waiter = continuation
                            return false
                        }
                        if done { continuation.resume() }
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                        defer { state.waiter = nil }
                        return state.waiter
                    }
                    waiter?.resume()
                }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
