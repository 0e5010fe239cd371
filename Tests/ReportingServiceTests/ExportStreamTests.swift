import Foundation
import KefuModel
import ReportingService
import Testing
import TestSupport

/// The export stream's flow control: at most 16 unread entries, an unread stream is abandoned and deleted
/// after the idle timeout, the slot limit refuses extra exports, and a slot comes back after abandonment.
@Suite(.serialized)
struct ExportStreamTests {
    @Test func unreadExportsStopAtSixteenEntriesAreAbandonedAndFreeTheirSlot() async throws {
        let harness = try await ReportingHarness(environment: [
            "KEFU_EXPORT_IDLE_TIMEOUT_MS": "1000", "KEFU_REPORTING_MAX_EXPORTS": "1",
        ])
        try await SyntheticRecords.insert(
            count: 50_000, firstDay: try #require(LocalDate("2026-10-01")), days: 10, postgres: harness.postgres)
        let params: [String: JSONValue] = ["kind": "sessions", "from": "2026-10-01", "to": "2026-10-10"]
        let first = try await harness.query("export.start", params)
        let key = try #require(first.result?["export_stream"]?.stringValue, "\(first)")

        var length: Int64 = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while length < 16, ContinuousClock.now < deadline {
            length = try await harness.redis.send(["XLEN", key]).int ?? 0
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(length == 16)
        let busy = try await harness.query("export.start", params)
        #expect(busy.code == "too_many_exports", "\(busy)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await harness.redis.send(["XLEN", key]).int == 16, "the writer must wait for the reader")

        var gone = false
        while !gone, ContinuousClock.now < deadline {
            gone = try await harness.redis.send(["EXISTS", key]).int == 0
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(gone, "an unread export stream is deleted after the idle timeout")
        #expect(harness.process.output().contains("nobody read the export stream"))

        var bytes = 0
        for _ in 0..<50 {
            let again = try await harness.query("export.start", params)
            if again.code == "too_many_exports" {
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            let next = try #require(again.result?["export_stream"]?.stringValue, "\(again)")
            bytes = try await ExportStreamReader.read(redis: harness.redis, key: next) { _ in }
            break
        }
        #expect(bytes > 5_000_000, "the slot came back and a full export ran")
        #expect(try await harness.redis.send(["EXISTS", key]).int == 0)
        await harness.stop()
    }
}
