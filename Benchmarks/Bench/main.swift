import Foundation
import Logging
import Redis

#if canImport(Glibc)
import Glibc
#endif

signal(SIGPIPE, SIG_IGN)

if CommandLine.arguments.dropFirst().first == "routing" {
    exit(await RoutingBenchmark.main(Array(CommandLine.arguments.dropFirst(2))))
}
if CommandLine.arguments.dropFirst().first == "cluster" {
    exit(await ClusterBenchmark.main(Array(CommandLine.arguments.dropFirst(2))))
}
if CommandLine.arguments.dropFirst().first == "codec" {
    exit(CodecBenchmark.main(Array(CommandLine.arguments.dropFirst(2))))
}
if CommandLine.arguments.dropFirst().first == "export" {
    await runExportBenchmark(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
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

/// `kefu-bench export [--redis-url URL] --database-url URL [--count N] [--bin DIR]`.
func runExportBenchmark(_ arguments: [String]) async {
    var redisURL = "redis://127.0.0.1:6379"
    var databaseURL = ""
    var count = 1_000_000
    var binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    var iterator = arguments.makeIterator()
    while let flag = iterator.next() {
        guard let value = iterator.next() else {
            print("kefu-bench export: \(flag) needs a value")
            exit(2)
        }
        switch flag {
        case "--redis-url": redisURL = value
        case "--database-url": databaseURL = value
        case "--count":
            guard let number = Int(value.filter { $0 != "_" }), number > 0 else {
                print("kefu-bench export: --count must be a positive integer")
                exit(2)
            }
            count = number
        case "--bin": binaries = URL(fileURLWithPath: value)
        default:
            print("usage: kefu-bench export [--redis-url URL] --database-url URL [--count N] [--bin DIR]")
            exit(2)
        }
    }
    guard !databaseURL.isEmpty else {
        print("kefu-bench export: --database-url is required")
        exit(2)
    }
    var logger = Logger(label: "kefu.bench.export")
    logger.logLevel = .warning
    print("kefu-bench export: \(count) session records, sessions export, release build")
    do {
        try await ExportBenchmark(
            redisURL: redisURL, databaseURL: databaseURL, count: count, binaries: binaries, logger: logger
        ).run()
    } catch {
        print("kefu-bench export: \(error)")
        exit(1)
    }
}
