import Logging
import Redis

#if canImport(Glibc)
import Glibc
#endif

signal(SIGPIPE, SIG_IGN)

if CommandLine.arguments.dropFirst().first == "routing" {
    exit(await RoutingBenchmark.main(Array(CommandLine.arguments.dropFirst(2))))
}

let options: BenchOptions
do {
    options = try BenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch .help {
    print(BenchOptions.usage)
    exit(0)
} catch .invalid(let reason) {
    print("kefu-bench: \(reason)\n\(BenchOptions.usage)")
    exit(2)
}

var logger = Logger(label: "kefu.bench.streams")
logger.logLevel = .warning

do {
    let configuration = try RedisConfiguration(url: options.redisURL)
    let client = RedisClient(configuration: configuration, poolSize: 2, logger: logger)
    guard await client.isReachable() else {
        print("kefu-bench: Redis at \(configuration) does not answer PING")
        exit(1)
    }
    let prefix = "kefu:bench:\(UInt32.random(in: .min ... .max))"
    let raw = RawBenchmark(configuration: configuration, count: options.count, batchSize: options.batchSize,
                           pipelineDepth: options.pipelineDepth)
    let runtime = RuntimeBenchmark(client: client, count: options.count, batchSize: options.batchSize,
                                   pipelineDepth: options.pipelineDepth, logger: logger)
    print("kefu-bench: \(options.count) messages, batch \(options.batchSize), pipeline ×\(options.pipelineDepth), Redis \(configuration)")
    for prefilled in [false, true] {
        let label = prefilled ? "consume only (stream filled first)" : "end to end (producer and consumer together)"
        var bestRaw = Double.infinity
        var bestRuntime = Double.infinity
        for round in 1...options.rounds {
            let rawStream = "\(prefix):raw:\(round)"
            let rawSeconds = try await raw.run(stream: rawStream, prefilled: prefilled)
            _ = try await client.send(["DEL", rawStream])
            let runtimeStream = "\(prefix):runtime:\(round)"
            let runtimeSeconds = try await runtime.run(stream: runtimeStream, prefilled: prefilled)
            _ = try await client.send(["DEL", runtimeStream, runtimeStream + ":dead"])
            bestRaw = min(bestRaw, rawSeconds)
            bestRuntime = min(bestRuntime, runtimeSeconds)
            if options.rounds > 1 {
                print("  round \(round): raw \(rate(options.count, rawSeconds)) msg/s, runtime \(rate(options.count, runtimeSeconds)) msg/s")
            }
        }
        let rawRate = Double(options.count) / bestRaw
        let runtimeRate = Double(options.count) / bestRuntime
        print("\(label):")
        print("  raw hiredis (pipelined XADD → XREADGROUP + pipelined XACK): \(Int(rawRate)) msg/s (\(seconds(bestRaw)) s)")
        print("  runtime (StreamProducer → StreamConsumer, ack after handler): \(Int(runtimeRate)) msg/s (\(seconds(bestRuntime)) s)")
        print("  runtime / raw: \(Int((runtimeRate / rawRate * 100).rounded())) %")
    }
    await client.shutdown()
} catch {
    print("kefu-bench: \(error)")
    exit(1)
}

func rate(_ count: Int, _ seconds: Double) -> Int {
    Int(Double(count) / seconds)
}

func seconds(_ value: Double) -> String {
    String(Double(Int(value * 1000)) / 1000)
}
