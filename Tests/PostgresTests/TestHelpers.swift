import Testing
import Foundation
import Synchronization
import Logging
import Postgres
import TestSupport

/// Integration suites run one after another: timing and memory assertions need a quiet process.
@Suite(.serialized)
struct IntegrationTests {}

enum TestError: Error, Equatable {
    case boom
}

let testLogger: Logger = {
    var logger = Logger(label: "kefu.postgres.tests")
    logger.logLevel = .error
    return logger
}()

/// A client on a fresh database of the shared test server, shut down after `body`.
func withTestClient<T>(
    poolSize: Int = 4,
    _ body: (PostgresClient) async throws -> T
) async throws -> T {
    let server = try await PostgresTestServer.shared()
    let url = try await server.makeDatabase()
    var configuration = try PostgresConfiguration(url: url)
    configuration.poolSize = poolSize
    return try await withClient(configuration, body)
}

/// Runs `body` with a client for `configuration` and always shuts it down.
func withClient<T>(
    _ configuration: PostgresConfiguration,
    _ body: (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: configuration, logger: testLogger)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// The error `body` throws, or nil.
func caught<T>(_ body: () async throws -> T) async -> (any Error)? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

/// Resident set size of this process in bytes (from /proc/self/statm).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Seconds elapsed while running `body`.
func measure<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try await body()
    let elapsed = clock.now - start
    return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

/// A thread-safe counter for bodies that run on the client's pool threads.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds one and returns the new value.
    @discardableResult
    func increment() -> Int {
        value.withLock { count in
            count += 1
            return count
        }
    }

    var current: Int { value.withLock { $0 } }
}

/// Waits until a statement matching `pattern` (SQL LIKE) is running on the client's server.
func waitForActiveQuery(_ client: PostgresClient, like pattern: String) async throws {
    var configuration = client.configuration
    configuration.poolSize = 1
    try await withClient(configuration) { admin in
        for _ in 0..<250 {
            let rows = try await admin.query(
                "SELECT count(*)::int FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
                [pattern])
            if try rows[0].decode(Int.self, at: 0) > 0 {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no active statement like \(pattern)")
    }
}

/// Number of other sessions whose current or last statement matches `pattern`.
func sessionCount(_ client: PostgresClient, like pattern: String) async throws -> Int {
    let rows = try await client.query(
        "SELECT count(*)::int FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()", [pattern])
    return try rows[0].decode(Int.self, at: 0)
}
