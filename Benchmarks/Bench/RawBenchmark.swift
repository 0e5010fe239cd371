import Dispatch
import Redis

/// Baseline: hiredis through `RedisConnection` only. One thread XADDs with pipelines of
/// `pipelineDepth`; another loops `XACK <previous batch>` + `XREADGROUP COUNT batch BLOCK` in one
/// round trip until every message was read and acknowledged.
struct RawBenchmark {
    let configuration: RedisConfiguration
    let count: Int
    let batchSize: Int
    let pipelineDepth: Int

    /// Runs once on a fresh stream. End to end (`prefilled == false`): seconds from the first XADD
    /// to the last XACK, producer and consumer running together. Prefilled: the stream is filled
    /// first (untimed), then only the consumer is timed.
    func run(stream: String, prefilled: Bool) async throws -> Double {
        let setup = RedisConnection(configuration: configuration)
        _ = try setup.command(["XGROUP", "CREATE", stream, "bench", "0", "MKSTREAM"]).throwingOnError()
        setup.close()
        if prefilled {
            try await onThread { try produce(stream: stream) }
        }
        let start = ContinuousClock.now
        async let produced: Void = prefilled ? () : onThread { try produce(stream: stream) }
        async let consumed: Int = onThread { try consume(stream: stream) }
        try await produced
        let acknowledged = try await consumed
        let seconds = Self.seconds(start.duration(to: .now))
        guard acknowledged == count else {
            throw BenchError.mismatch("raw consumer acknowledged \(acknowledged) of \(count)")
        }
        return seconds
    }

    private func produce(stream: String) throws {
        let connection = RedisConnection(configuration: configuration)
        defer { connection.close() }
        var sent = 0
        while sent < count {
            let end = min(sent + pipelineDepth, count)
            let commands: [[[UInt8]]] = (sent..<end).map { index in
                [Array("XADD".utf8), Array(stream.utf8), Array("MAXLEN".utf8), Array("~".utf8),
                 Array("1000000".utf8), Array("*".utf8), Array("event".utf8), BenchPayload.event(index)]
            }
            for reply in try connection.pipeline(commands) where reply.errorMessage != nil {
                throw BenchError.mismatch("XADD failed: \(reply)")
            }
            sent = end
        }
    }

    private func consume(stream: String) throws -> Int {
        let connection = RedisConnection(configuration: configuration.withReadTimeout(.seconds(10)))
        defer { connection.close() }
        var received = 0
        var acknowledged = 0
        var toAcknowledge: [String] = []
        let read = ["XREADGROUP", "GROUP", "bench", "raw", "COUNT", String(batchSize), "BLOCK", "1000",
                    "STREAMS", stream, ">"]
        while received < count || !toAcknowledge.isEmpty {
            var commands: [[String]] = []
            if !toAcknowledge.isEmpty { commands.append(["XACK", stream, "bench"] + toAcknowledge) }
            if received < count { commands.append(read) }
            let replies = try connection.pipeline(commands)
            if !toAcknowledge.isEmpty {
                acknowledged += Int(replies[0].int ?? 0)
                toAcknowledge = []
            }
            guard received < count, let last = replies.last else { continue }
            for entry in last.array?.first?.array?[1].array ?? [] {
                guard let id = entry.array?[0].string, entry.array?[1].array?.count == 2 else {
                    throw BenchError.mismatch("malformed entry")
                }
                toAcknowledge.append(id)
                received += 1
            }
        }
        return acknowledged
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Runs blocking work on a Dispatch thread (never the cooperative pool).
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result(catching: work)) }
    }
}

/// A benchmark run that did not add up.
enum BenchError: Error {
    case mismatch(String)
}
