import Foundation
import KefuModel
import Postgres
import ReportingService
import Testing
import TestSupport

/// A 200,000-session export through the export stream, with the service's resident memory sampled while
/// it streams: it must stay flat. The CLI's file for the same request must be byte for byte the same.
@Suite(.serialized)
struct LargeExportTests {
    static let sessions = 200_000

    @Test func twoHundredThousandSessionsStreamWithFlatMemoryAndTheCLIWritesTheSameBytes() async throws {
        let harness = try await ReportingHarness()
        try await SyntheticRecords.insert(
            count: Self.sessions, firstDay: try #require(LocalDate("2026-10-01")), days: 30, postgres: harness.postgres)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-large-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)

        let baseline = try #require(harness.residentKiB())
        let sampler = Task {
            var samples: [(Int, Int)] = []
            while !Task.isCancelled {
                if let rss = harness.residentKiB() { samples.append((Int(Date().timeIntervalSince1970 * 1000), rss)) }
                try? await Task.sleep(for: .milliseconds(25))
            }
            return samples
        }
        let reply = try await harness.query(
            "export.start", ["kind": "sessions", "from": "2026-10-01", "to": "2026-10-30", "tz": "UTC"])
        let key = try #require(reply.result?["export_stream"]?.stringValue, "\(reply)")
        var chunks = 0
        var largest = 0
        let bytes = try await ExportStreamReader.read(redis: harness.redis, key: key) { chunk in
            chunks += 1
            largest = max(largest, chunk.count)
            try handle.write(contentsOf: chunk)
        }
        try handle.close()
        sampler.cancel()
        let samples = await sampler.value.map(\.1)

        #expect(largest <= ExportStreamWriter.maxChunkBytes)
        #expect(chunks > 100)
        let peak = samples.max() ?? baseline
        let quarter = samples.count / 4
        let early = samples.prefix(max(1, quarter)).max() ?? baseline
        let late = samples.suffix(max(1, quarter)).max() ?? baseline
        print("export of \(Self.sessions) sessions: \(bytes) bytes in \(chunks) chunks; service RSS baseline \(baseline) KiB, peak \(peak) KiB, first quarter \(early) KiB, last quarter \(late) KiB, \(samples.count) samples")
        #expect(samples.count >= 8, "too few samples to judge")
        #expect(peak - baseline < 40 * 1024, "RSS grew by \(peak - baseline) KiB while exporting")
        #expect(late - early < 8 * 1024, "RSS kept growing: \(early) KiB early, \(late) KiB late")

        let parsed = try PythonCSV.parse(Array(try Data(contentsOf: file)))
        #expect(parsed.rows.count == Self.sessions + 1)
        #expect(parsed.rows.allSatisfy { $0.count == ExportSQL.header(.sessions).count })
        let comment = try #require(ExportSQL.header(.sessions).firstIndex(of: "rating_comment"))
        #expect(parsed.rows.contains { $0[comment] == "很好，谢谢 \"客服\", 已解决" })

        let cliFile = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-cli-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: cliFile) }
        let cli = try await KefuCLI.run(
            ["export", "sessions", "--from", "2026-10-01", "--to", "2026-10-30", "--tz", "UTC", "--out", cliFile.path],
            database: harness.databaseURL)
        #expect(cli.status == 0, "\(cli.output)")
        #expect(try Data(contentsOf: cliFile) == Data(contentsOf: file))
        #expect(cli.output.contains("wrote \(Self.sessions) rows") || cli.output.isEmpty, "\(cli.output)")
        await harness.stop()
    }
}
