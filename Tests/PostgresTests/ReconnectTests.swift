import Foundation
import Postgres
import TestSupport
import Testing

extension IntegrationTests {
    /// Expectations: a pooled connection that died while idle (server restart, terminated backend) is
    /// detected at checkout and replaced before anything is sent, so the next call succeeds on its
    /// first attempt. A statement in flight when the connection drops fails with `.connectionLost` and
    /// is not re-run; the call after that succeeds. While the server is down, calls fail with
    /// `.connectionFailed` after the client's short connect retries.
    @Suite("Reconnect")
    struct ReconnectTests {
        @Test func survivesServerRestart() async throws {
            let server = try await PostgresTestServer.launch()
            do {
                var configuration = try PostgresConfiguration(url: server.url)
                configuration.poolSize = 2
                configuration.connectAttempts = 2
                try await withClient(configuration) { client in
                    let before = try await client.withConnection { $0.backendPID }
                    try await server.stop()

                    let down = await caught { try await client.query("SELECT 1") }
                    #expect(isConnectionFailed(down), "\(String(describing: down))")
                    #expect(await client.isReachable() == false)

                    try await server.start()
                    var attempts = 0
                    var pid: Int32 = 0
                    while attempts < 3 {
                        attempts += 1
                        do {
                            pid = try await client.withConnection { $0.backendPID }
                            break
                        } catch PostgresError.connectionLost {
                            continue
                        }
                    }
                    #expect(attempts == 1)
                    #expect(pid != 0 && pid != before)
                    #expect(await client.isReachable())
                }
            } catch {
                await server.cleanup()
                throw error
            }
            await server.cleanup()
        }

        @Test func inFlightQueryFailsWithConnectionLost() async throws {
            let server = try await PostgresTestServer.launch()
            do {
                let configuration = try PostgresConfiguration(url: server.url)
                try await withClient(configuration) { client in
                    async let sleeper: (any Error)? = caught { try await client.query("SELECT pg_sleep(30)") }
                    try await waitForActiveQuery(client, like: "SELECT pg_sleep%")
                    try await server.stop()
                    let error = await sleeper
                    #expect(error as? PostgresError == .connectionLost)
                    try await server.start()
                    let rows = try await client.query("SELECT 1 AS one")
                    #expect(try rows[0].decode(Int.self, "one") == 1)
                }
            } catch {
                await server.cleanup()
                throw error
            }
            await server.cleanup()
        }

        @Test func replacesTerminatedIdleConnection() async throws {
            try await withTestClient(poolSize: 1) { client in
                let first = try await client.withConnection { $0.backendPID }
                let admin = PostgresClient(configuration: client.configuration, logger: testLogger)
                let terminated = try await admin.query("SELECT pg_terminate_backend($1::int)", [Int(first)])
                try await admin.shutdown()
                #expect(try terminated[0].decode(Bool.self, at: 0))
                try await Task.sleep(for: .milliseconds(100))
                let second = try await client.withConnection { $0.backendPID }
                #expect(second != first)
            }
        }

        private func isConnectionFailed(_ error: (any Error)?) -> Bool {
            if case .connectionFailed = error as? PostgresError { return true }
            return false
        }

    }
}
