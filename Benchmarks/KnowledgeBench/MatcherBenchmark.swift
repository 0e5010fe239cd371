import Foundation
import KnowledgeService

/// The matcher alone, in this process: build time and memory of an index of generated entries, then the
/// latency of `search` (what smart assist and `kb.test` run) and `answer` (what a bot question runs).
struct MatcherBenchmark {
    let entries: [SyntheticCorpus.Entry]
    let queries: [String]

    func run() throws {
        let clock = ContinuousClock()
        let before = Measurements.mebibytes("VmRSS")
        let indexEntries = entries.enumerated().map { number, entry in
            KnowledgeIndexEntry(id: "synthetic-\(number)", question: entry.question, similarQuestions: entry.similar)
        }
        var index = try KnowledgeBM25Index()
        let build = try clock.measure {
            for entry in indexEntries { try index.upsert(entry) }
        }
        let after = Measurements.mebibytes("VmRSS")
        let questions = index.questionCount
        var search: [Duration] = []
        var searchCPU: [Duration] = []
        var answer: [Duration] = []
        var answered = 0
        for query in queries {
            let cpu = Measurements.threadCPUNanoseconds()
            search.append(clock.measure { _ = index.search(query, limit: 3) })
            searchCPU.append(.nanoseconds(Int64(Measurements.threadCPUNanoseconds() - cpu)))
            var result: KnowledgeMatch?
            answer.append(clock.measure { result = index.answer(query) })
            if result != nil { answered += 1 }
        }
        let edits = try clock.measure {
            for entry in indexEntries.prefix(1_000) {
                var edited = entry
                edited.similarQuestions.append(edited.question + "呢")
                try index.upsert(edited)
            }
            for entry in indexEntries.suffix(500) { index.remove(entryID: entry.id) }
        }
        print("matcher (in process): \(entries.count) entries, \(questions) questions, \(index.termCount) terms")
        print("  build: \(Measurements.format(build))")
        if let before, let after {
            print("  memory: RSS grew by \(Measurements.format(after - before)) while building (RSS \(Measurements.format(after)), peak \(Measurements.format(Measurements.mebibytes("VmHWM"))))")
        }
        print("  search(limit: 3) over \(queries.count) queries, wall: \(Measurements.percentiles(search))")
        print("  search(limit: 3), thread CPU: \(Measurements.percentiles(searchCPU))")
        print("  answer() over \(queries.count) queries: \(Measurements.percentiles(answer)); answered \(answered)")
        print("  1,000 upserts + 500 removes: \(Measurements.format(edits))")
        print("  load average: \(Measurements.loadAverage)")
    }
}
