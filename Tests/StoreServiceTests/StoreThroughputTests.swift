import Foundation
import KefuModel
import RedisStreams
import Testing
@testable import StoreService

/// Throughput of the events consumer's handler (decode + store), without Redis: the same 5,000
/// `message.accepted` events stored in batches of 100 (one statement per batch) and one per transaction.
/// Prints both figures; the assertions check that each way stored everything exactly once.
@Suite(.serialized)
struct StoreThroughputTests {
    static let total = 5_000

    static func entries(_ sessions: [SessionID]) throws -> [StreamEntry] {
        var entries: [StreamEntry] = []
        for seq in 1...(total / sessions.count) {
            for session in sessions {
                entries.append(try StoreHarness.entry(StoreHarness.message(session, seq: seq), id: "\(entries.count + 1)-0"))
            }
        }
        return entries
    }

    /// Messages per second storing `entries` in batches of `batchSize`.
    static func rate(_ store: StoreHarness, _ entries: [StreamEntry], batchSize: Int) async throws -> Double {
        let start = ContinuousClock.now
        for first in stride(from: 0, to: entries.count, by: batchSize) {
            let batch = try entries[first..<min(first + batchSize, entries.count)].map {
                StreamMessage(entry: $0, message: try store.recorder.decode($0))
            }
            try await store.recorder.handle(batch)
        }
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return Double(entries.count) / seconds
    }

    @Test func batchesAgainstOneEventPerTransaction() async throws {
        let batched = try await StoreHarness.make()
        let single = try await StoreHarness.make()
        defer { Task { await batched.shutdown(); await single.shutdown() } }
        let sessions = (0..<100).map { _ in SessionID.random() }
        let entries = try Self.entries(sessions)

        let batchRate = try await Self.rate(batched, entries, batchSize: 100)
        let singleRate = try await Self.rate(single, entries, batchSize: 1)
        print(String(format: "store throughput (debug build, %d messages, 100 sessions): batches of 100 %.0f msg/s, one per transaction %.0f msg/s (×%.1f)",
                     Self.total, batchRate, singleRate, batchRate / singleRate))
        for store in [batched, single] {
            #expect(try await store.count("SELECT count(*) FROM store.events") == Self.total)
            #expect(try await store.count("SELECT sum(message_count)::int FROM store.sessions") == Self.total)
        }
    }
}
