import Foundation
import KnowledgeService

/// `kefu-knowledge-bench [--entries N] [--queries N] [--redis-url URL --database-url URL --service PATH]`:
/// the matcher in process, and with the URLs and the path of a built `kefu-knowledge` also the running service.
var options: [String: String] = [:]
var arguments = Array(CommandLine.arguments.dropFirst()).makeIterator()
while let flag = arguments.next() {
    guard flag.hasPrefix("--"), let value = arguments.next() else {
        FileHandle.standardError.write(Data("usage: kefu-knowledge-bench [--entries N] [--queries N] [--service-queries N] [--redis-url URL --database-url URL --service PATH]\n".utf8))
        exit(2)
    }
    options[String(flag.dropFirst(2))] = value
}
let entryCount = Int(options["entries"] ?? "") ?? 50_000
let queryCount = Int(options["queries"] ?? "") ?? 2_000
var corpus = SyntheticCorpus(seed: 42)
let entries = corpus.entries(count: entryCount, similarPerEntry: 3)
let queries = corpus.queries(count: queryCount, from: entries)
do {
    try MatcherBenchmark(entries: entries, queries: queries).run()
    if let redis = options["redis-url"], let database = options["database-url"], let service = options["service"] {
        let serviceQueries = Array(queries.prefix(Int(options["service-queries"] ?? "") ?? 500))
        try await ServiceBenchmark(
            entries: entries, queries: serviceQueries, redisURL: redis, databaseURL: database,
            executable: URL(fileURLWithPath: service)
        ).run()
    }
} catch {
    FileHandle.standardError.write(Data("kefu-knowledge-bench: \(error)\n".utf8))
    exit(1)
}
