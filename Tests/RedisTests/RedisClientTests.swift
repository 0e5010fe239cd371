import Logging
import Redis
import TestSupport
import Testing

@Suite("RedisClient and dedicated connections")
struct RedisClientTests {
    let logger = Logger(label: "test.redis")

    @Test func sendPipelineAndErrors() async throws {
        let server = try await RedisTestServer.shared()
        let client = RedisClient(configuration: try server.configuration, poolSize: 2, logger: logger)
        let key = RedisTestServer.uniquePrefix() + "list"
        #expect(await client.isReachable())
        #expect(try await client.send(["RPUSH", key, "a", "b"]) == .integer(2))
        let replies = try await client.pipeline([["LLEN", key], ["GET", key], ["LPOP", key]])
        #expect(replies[0] == .integer(2))
        #expect(replies[1].errorMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(replies[2].string == "a")
        await #expect(throws: RedisError.self) { try await client.send(["GET", key]) }
        do {
            _ = try await client.send(["GET", key])
        } catch let error as RedisError {
            guard case .server(let message) = error else {
                Issue.record("expected .server, got \(error)")
                return
            }
            #expect(message.hasPrefix("WRONGTYPE"))
        }
        let binary = try await client.send([Array("ECHO".utf8), [0, 1, 2, 255]])
        #expect(binary == .bulk([0, 1, 2, 255]))
        await client.shutdown()
        await #expect(throws: RedisError.closed) { try await client.send(["PING"]) }
    }

    @Test func concurrentCallsShareThePool() async throws {
        let server = try await RedisTestServer.shared()
        let client = RedisClient(configuration: try server.configuration, poolSize: 3, logger: logger)
        let key = RedisTestServer.uniquePrefix() + "n"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask { _ = try await client.send(["INCR", key]) }
            }
            try await group.waitForAll()
        }
        #expect(try await client.send(["GET", key]).int == 200)
        let clients = try await client.send(["CLIENT", "LIST"]).string ?? ""
        #expect(clients.split(separator: "\n").count >= 1)
        await client.shutdown()
    }

    @Test func unreachableServerIsNotReachable() async throws {
        let configuration = RedisConfiguration(host: "127.0.0.1", port: 1, connectTimeout: .milliseconds(200))
        let client = RedisClient(configuration: configuration, poolSize: 1, logger: logger)
        #expect(await client.isReachable() == false)
        await client.shutdown()
    }

    @Test func dedicatedConnectionBlocksOnItsOwnThread() async throws {
        let server = try await RedisTestServer.shared()
        let client = RedisClient(configuration: try server.configuration, logger: logger)
        let key = RedisTestServer.uniquePrefix() + "queue"
        let dedicated = client.makeDedicatedConnection(readTimeout: .seconds(5))
        async let popped = dedicated.run { connection in try connection.command(["BLPOP", key, "3"]) }
        try await Task.sleep(for: .milliseconds(200))
        _ = try await client.send(["RPUSH", key, "hello"])
        let reply = try await popped
        #expect(reply == .array([.bulk(Array(key.utf8)), .bulk(Array("hello".utf8))]))
        let timedOut = try await dedicated.run { connection in try connection.command(["BLPOP", key, "0.1"]) }
        #expect(timedOut == .null, "a BLOCK timeout is a nil reply, not an error")
        await dedicated.close()
        await #expect(throws: RedisError.closed) { try await dedicated.run { try $0.command(["PING"]) } }
        await client.shutdown()
    }

    @Test func readTimeoutShorterThanBlockIsConnectionLost() async throws {
        let server = try await RedisTestServer.shared()
        let client = RedisClient(configuration: try server.configuration, logger: logger)
        let dedicated = client.makeDedicatedConnection(readTimeout: .milliseconds(200))
        let key = RedisTestServer.uniquePrefix() + "never"
        do {
            _ = try await dedicated.run { connection in try connection.command(["BLPOP", key, "2"]) }
            Issue.record("expected a read timeout")
        } catch let error as RedisError {
            guard case .connectionLost = error else {
                Issue.record("expected connectionLost, got \(error)")
                return
            }
        }
        let recovered = try await dedicated.run { connection in try connection.command(["PING"]) }
        #expect(recovered == .status("PONG"))
        await dedicated.close()
        await client.shutdown()
    }
}
