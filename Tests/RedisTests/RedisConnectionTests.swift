import Redis
import TestSupport
import Testing

@Suite("RedisConnection against a real redis-server")
struct RedisConnectionTests {
    @Test func replyTypesRoundTrip() async throws {
        let server = try await RedisTestServer.shared()
        let configuration = try server.configuration
        let key = RedisTestServer.uniquePrefix()
        let allBytes = (0...255).map { UInt8($0) }
        let replies = try await Blocking.run {
            let connection = RedisConnection(configuration: configuration)
            defer { connection.close() }
            return [
                try connection.command([Array("SET".utf8), Array("\(key)bin".utf8), allBytes]),
                try connection.command(["GET", "\(key)bin"]),
                try connection.command(["SET", "\(key)zh", "客服系统：你好，世界"]),
                try connection.command(["GET", "\(key)zh"]),
                try connection.command(["INCRBY", "\(key)n", "-42"]),
                try connection.command(["GET", "\(key)missing"]),
                try connection.command(["PING"]),
                try connection.command(["NOSUCHCOMMAND", "x"]),
                try connection.command(["EVAL", "return {1, 'a', {2, {'b'}}, false}", "0"]),
                try connection.command(["PING"]),
            ]
        }
        #expect(replies[0] == .status("OK"))
        #expect(replies[1] == .bulk(allBytes))
        #expect(replies[3].string == "客服系统：你好，世界")
        #expect(replies[4] == .integer(-42))
        #expect(replies[5] == .null)
        #expect(replies[5].isNull)
        #expect(replies[6] == .status("PONG"))
        #expect(replies[7].errorMessage?.hasPrefix("ERR unknown command") == true)
        #expect(replies[8] == .array([.integer(1), .bulk(Array("a".utf8)), .array([.integer(2), .array([.bulk(Array("b".utf8))])]), .null]))
        #expect(replies[9] == .status("PONG"), "an error reply must not break the connection")
    }

    @Test func pipelinesAThousandCommands() async throws {
        let server = try await RedisTestServer.shared()
        let configuration = try server.configuration
        let key = RedisTestServer.uniquePrefix() + "counter"
        let replies = try await Blocking.run {
            let connection = RedisConnection(configuration: configuration)
            defer { connection.close() }
            var commands = Array(repeating: ["INCR", key], count: 999)
            commands.insert(["HGET", key, "x"], at: 500)
            return try connection.pipeline(commands)
        }
        #expect(replies.count == 1000)
        #expect(replies[0] == .integer(1))
        #expect(replies[500].errorMessage?.hasPrefix("WRONGTYPE") == true, "error replies stay in place")
        #expect(replies[999] == .integer(999))
    }

    @Test func authenticatesWithPasswordAndUserAndSelectsDatabase() async throws {
        let password = "p@ss:w/rd 密码"
        let server = try await RedisTestServer(password: password)
        var configuration = try server.configuration
        #expect(configuration.password == password)
        configuration.database = 3
        let selected = configuration
        let result = try await Blocking.run {
            let connection = RedisConnection(configuration: selected)
            defer { connection.close() }
            _ = try connection.command(["SET", "where", "db3"]).throwingOnError()
            _ = try connection.command(["ACL", "SETUSER", "alice", "on", ">alice-pw", "~*", "&*", "+@all"]).throwingOnError()
            let database = try connection.command(["CLIENT", "INFO"]).string ?? ""
            var aliceConfiguration = selected
            aliceConfiguration.username = "alice"
            aliceConfiguration.password = "alice-pw"
            aliceConfiguration.database = 0
            let alice = RedisConnection(configuration: aliceConfiguration)
            defer { alice.close() }
            let who = try alice.command(["ACL", "WHOAMI"])
            let inDatabaseZero = try alice.command(["GET", "where"])
            return (database, who, inDatabaseZero)
        }
        #expect(result.0.contains("db=3"))
        #expect(result.1.string == "alice")
        #expect(result.2 == .null)
        await server.cleanup()
    }

    @Test func wrongPasswordIsAnAuthenticationErrorWithoutThePassword() async throws {
        let server = try await RedisTestServer(password: "right")
        var configuration = try server.configuration
        configuration.password = "wrong-guess"
        let probe = configuration
        let error = await Blocking.run { () -> RedisError? in
            let connection = RedisConnection(configuration: probe)
            defer { connection.close() }
            do throws(RedisError) {
                _ = try connection.command(["PING"])
                return nil
            } catch {
                return error
            }
        }
        guard case .authenticationFailed = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            await server.cleanup()
            return
        }
        #expect(error?.description.contains("wrong-guess") == false)
        await server.cleanup()
    }

    @Test func refusedConnectionIsConnectionFailed() async throws {
        let configuration = RedisConfiguration(host: "127.0.0.1", port: 1, connectTimeout: .milliseconds(300))
        let error = await Blocking.run { () -> RedisError? in
            let connection = RedisConnection(configuration: configuration)
            do throws(RedisError) {
                _ = try connection.command(["PING"])
                return nil
            } catch {
                return error
            }
        }
        guard case .connectionFailed(let reason) = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("127.0.0.1:1"))
    }

    @Test func reconnectsAfterServerRestart() async throws {
        let server = try await RedisTestServer()
        let configuration = try server.configuration
        let connection = SendableConnection(RedisConnection(configuration: configuration))
        let first = try await Blocking.run { try connection.value.command(["SET", "k", "v"]) }
        #expect(first == .status("OK"))

        await server.stop()
        let whileDown = await Blocking.run { () -> RedisError? in
            do throws(RedisError) {
                _ = try connection.value.command(["PING"])
                return nil
            } catch {
                return error
            }
        }
        #expect(whileDown?.isConnectionError == true)
        #expect(connection.isConnected == false)

        try await server.start()
        let after = try await Blocking.run { () throws -> RedisReply in
            var lastError: Error?
            for _ in 0..<50 {
                do {
                    return try connection.value.command(["PING"])
                } catch {
                    lastError = error
                }
            }
            throw lastError ?? RedisError.closed
        }
        #expect(after == .status("PONG"))
        connection.value.close()
        await server.cleanup()
    }

    @Test func closedConnectionThrowsClosed() async throws {
        let server = try await RedisTestServer.shared()
        let configuration = try server.configuration
        let error = await Blocking.run { () -> RedisError? in
            let connection = RedisConnection(configuration: configuration)
            connection.close()
            do throws(RedisError) {
                _ = try connection.command(["PING"])
                return nil
            } catch {
                return error
            }
        }
        #expect(error == .closed)
    }
}
