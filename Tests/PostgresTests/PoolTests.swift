import Foundation
import Postgres
import TestSupport
import Testing

extension IntegrationTests {
    @Suite("Connection pool")
    struct PoolTests {
        @Test func queuesCallersBeyondPoolSize() async throws {
            try await withTestClient(poolSize: 2) { client in
                let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            try await client.withConnection { connection in
                                _ = try connection.query("SELECT pg_sleep(0.05)")
                                return connection.backendPID
                            }
                        }
                    }
                    var pids = Set<Int32>()
                    for try await pid in group { pids.insert(pid) }
                    return pids
                }
                #expect(pids.count <= 2)
            }
        }

        @Test func cancelledWaiterDoesNotLeakAPermit() async throws {
            try await withTestClient(poolSize: 1) { client in
                async let holder: [PostgresRow] = client.query("SELECT pg_sleep(0.5)")
                try await waitForActiveQuery(client, like: "SELECT pg_sleep(0.5)")
                let waiter = Task { try await client.query("SELECT 1") }
                try await Task.sleep(for: .milliseconds(50))
                waiter.cancel()
                let result = await waiter.result
                #expect(throws: CancellationError.self) { try result.get() }
                _ = try await holder
                let rows = try await client.query("SELECT 3 AS three")
                #expect(try rows[0].decode(Int.self, "three") == 3)
            }
        }

        @Test func shutdownRejectsLaterCalls() async throws {
            let server = try await PostgresTestServer.shared()
            let client = PostgresClient(configuration: try PostgresConfiguration(url: server.url), logger: testLogger)
            #expect(await client.isReachable())
            try await client.shutdown()
            try await client.shutdown()
            let error = await caught { try await client.query("SELECT 1") }
            #expect(error as? PostgresError == .poolClosed)
        }
    }
}
