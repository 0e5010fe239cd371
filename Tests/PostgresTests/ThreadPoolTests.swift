import Foundation
import Postgres
import Testing

extension IntegrationTests {
    @Suite("Blocking calls stay off the cooperative pool")
    struct ThreadPoolTests {
        /// Four `pg_sleep(1)` calls block four client threads for a second. Were they on Swift's
        /// cooperative pool (two threads here), the ticker below could not run and the sleeps would
        /// run two at a time (≥ 2 s).
        @Test func concurrentSleepsDoNotStallOtherTasks() async throws {
            try await withTestClient(poolSize: 4) { client in
                try await withThrowingTaskGroup(of: Void.self) { warm in
                    for _ in 0..<4 {
                        warm.addTask { _ = try await client.query("SELECT pg_sleep(0.05)") }
                    }
                    try await warm.waitForAll()
                }
                let clock = ContinuousClock()
                let start = clock.now
                let (ticks, sleepsDone) = try await withThrowingTaskGroup(of: (Int, Duration?).self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            _ = try await client.query("SELECT pg_sleep(1)")
                            return (0, clock.now - start)
                        }
                    }
                    group.addTask {
                        var ticks = 0
                        while clock.now - start < .milliseconds(900) {
                            try await Task.sleep(for: .milliseconds(10))
                            ticks += 1
                        }
                        return (ticks, nil)
                    }
                    var ticks = 0
                    var latest = Duration.zero
                    for try await (count, finished) in group {
                        ticks += count
                        if let finished { latest = max(latest, finished) }
                    }
                    return (ticks, latest)
                }
                print("4 × pg_sleep(1): done after \(sleepsDone); ticker made \(ticks) 10 ms ticks in 0.9 s")
                #expect(sleepsDone < .milliseconds(1_800))
                #expect(ticks >= 40)
            }
        }
    }
}
