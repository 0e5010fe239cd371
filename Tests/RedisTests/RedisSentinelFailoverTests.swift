import Logging
import Redis
import TestSupport
import Testing

/// Real Sentinel setups (one primary, one replica, three sentinels) started per test on loopback.
@Suite("Redis Sentinel discovery and failover", .serialized)
struct RedisSentinelFailoverTests {
    let logger: Logger = {
        var logger = Logger(label: "test.redis.sentinel")
        logger.logLevel = .warning
        return logger
    }()

    @Test func discoversThePrimaryAndRefusesAReplica() async throws {
        let cluster = try await SentinelTestCluster()
        do {
            let key = RedisTestServer.uniquePrefix() + "k"
            // The first sentinel listed is down: the next one answers.
            let url = "redis+sentinel://127.0.0.1:1," + cluster.url.dropFirst("redis+sentinel://".count)
            let client = RedisClient(configuration: try RedisConfiguration(url: url), poolSize: 2, logger: logger)
            #expect(try await client.send(["SET", key, "v"]) == .status("OK"))
            #expect(client.resolver?.knownPrimary == RedisEndpoint(host: "127.0.0.1", port: cluster.primary.port))
            #expect(try await cluster.directCommand(port: cluster.primary.port, ["GET", key]).string == "v")
            await client.shutdown()

            let sentinel = "redis+sentinel://127.0.0.1:\(cluster.sentinelPorts[0])"
            let unknown = SendableConnection(RedisConnection(configuration: try RedisConfiguration(url: "\(sentinel)/nosuch")))
            let unknownError = await Blocking.run { () -> RedisError? in
                do throws(RedisError) { try unknown.value.connect() } catch { return error }
                return nil
            }
            guard case .connectionFailed(let reason) = unknownError else {
                Issue.record("expected connectionFailed, got \(String(describing: unknownError))")
                throw TestFailure()
            }
            #expect(reason.contains("'nosuch'"), "\(reason)")

            // A sentinel that names a replica (monitored under another name by one sentinel, quorum 2, so it
            // is never failed over): the ROLE check refuses it and no command reaches the replica.
            _ = try await cluster.sentinelCommand(0, [
                "SENTINEL", "MONITOR", "replica-as-master", "127.0.0.1", String(cluster.replica.port), "2",
            ]).throwingOnError()
            let misled = SendableConnection(
                RedisConnection(configuration: try RedisConfiguration(url: "\(sentinel)/replica-as-master")))
            let misledError = await Blocking.run { () -> RedisError? in
                do throws(RedisError) { _ = try misled.value.command(["SET", key, "replica"]) } catch { return error }
                return nil
            }
            guard case .connectionFailed(let roleReason) = misledError else {
                Issue.record("expected connectionFailed, got \(String(describing: misledError))")
                throw TestFailure()
            }
            #expect(roleReason.contains("role 'slave'"), "\(roleReason)")
            let errors = try await cluster.directCommand(port: cluster.replica.port, ["INFO", "errorstats"]).string ?? ""
            #expect(!errors.contains("READONLY"), "a write reached the replica: \(errors)")
            #expect(try await cluster.directCommand(port: cluster.replica.port, ["GET", key]).string == "v")
            misled.value.close()
            unknown.value.close()
            try await readonlyDropsTheConnection(cluster)
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }

    /// A primary demoted behind the client's back (here by a direct `REPLICAOF`, which, unlike Sentinel's
    /// reconfiguration, keeps its clients connected) answers writes with `-READONLY`: the connection is
    /// dropped, the error is a lost connection, and the next attempt asks the sentinels and checks `ROLE` again.
    private func readonlyDropsTheConnection(_ cluster: SentinelTestCluster) async throws {
        let lonely = try await RedisTestServer()
        do {
            _ = try await cluster.sentinelCommand(0, [
                "SENTINEL", "MONITOR", "lonely", "127.0.0.1", String(lonely.port), "2",
            ]).throwingOnError()
            let key = RedisTestServer.uniquePrefix() + "ro"
            let connection = SendableConnection(RedisConnection(configuration: try RedisConfiguration(
                url: "redis+sentinel://127.0.0.1:\(cluster.sentinelPorts[0])/lonely")))
            let first = try await Blocking.run { try connection.value.command(["SET", key, "1"]) }
            #expect(first == .status("OK"))
            #expect(connection.value.primary?.port == lonely.port)
            _ = try await cluster.directCommand(port: lonely.port, ["REPLICAOF", "127.0.0.1", String(cluster.primary.port)])
                .throwingOnError()
            let refused = await Blocking.run { () -> RedisError? in
                do throws(RedisError) { _ = try connection.value.command(["SET", key, "2"]) } catch { return error }
                return nil
            }
            guard case .connectionLost(let reason) = refused else {
                Issue.record("expected connectionLost, got \(String(describing: refused))")
                throw TestFailure()
            }
            #expect(reason.contains("READONLY"), "\(reason)")
            #expect(!connection.value.isConnected)
            let again = await Blocking.run { () -> RedisError? in
                do throws(RedisError) { _ = try connection.value.command(["SET", key, "3"]) } catch { return error }
                return nil
            }
            guard case .connectionFailed(let roleReason) = again else {
                Issue.record("expected connectionFailed, got \(String(describing: again))")
                throw TestFailure()
            }
            #expect(roleReason.contains("role 'slave'"), "\(roleReason)")
            connection.value.close()
            _ = try? await cluster.sentinelCommand(0, ["SENTINEL", "REMOVE", "lonely"])
        } catch {
            await lonely.cleanup()
            throw error
        }
        await lonely.cleanup()
    }

    @Test func authenticatesToTheSentinelsAndThePrimary() async throws {
        let cluster = try await SentinelTestCluster(password: "data-pw", sentinelPassword: "sentinel-pw")
        do {
            #expect(cluster.url.hasSuffix("?sentinel_password=sentinel%2Dpw"))
            let key = RedisTestServer.uniquePrefix() + "auth"
            let client = RedisClient(configuration: try RedisConfiguration(url: cluster.url), poolSize: 1, logger: logger)
            #expect(try await client.send(["SET", key, "v"]) == .status("OK"))
            #expect(try await cluster.directCommand(port: cluster.primary.port, ["GET", key]).string == "v")
            await client.shutdown()

            let hosts = cluster.sentinelPorts.map { "127.0.0.1:\($0)" }.joined(separator: ",")
            let wrongSentinel = "redis+sentinel://:data-pw@\(hosts)/mymaster?sentinel_password=wrong-secret"
            let noSentinel = try await failure(of: wrongSentinel)
            guard case .connectionFailed(let reason) = noSentinel else {
                Issue.record("expected connectionFailed, got \(String(describing: noSentinel))")
                throw TestFailure()
            }
            #expect(reason.contains("WRONGPASS") || reason.contains("invalid password"), "\(reason)")
            #expect(!reason.contains("wrong-secret") && !reason.contains("sentinel-pw"))

            let wrongData = "redis+sentinel://:wrong-secret@\(hosts)/mymaster?sentinel_password=sentinel-pw"
            let refused = try await failure(of: wrongData)
            guard case .authenticationFailed(let authReason) = refused else {
                Issue.record("expected authenticationFailed, got \(String(describing: refused))")
                throw TestFailure()
            }
            #expect(!authReason.contains("wrong-secret") && !authReason.contains("data-pw"))
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }

    /// The error of a first `PING` on a new connection to `url`.
    private func failure(of url: String) async throws -> RedisError? {
        let connection = SendableConnection(RedisConnection(configuration: try RedisConfiguration(url: url)))
        defer { connection.value.close() }
        return await Blocking.run { () -> RedisError? in
            do throws(RedisError) { _ = try connection.value.command(["PING"]) } catch { return error }
            return nil
        }
    }

    @Test func followsAFailoverAndNeverWritesToTheReplica() async throws {
        let cluster = try await SentinelTestCluster()
        do {
            let configuration = try RedisConfiguration(url: cluster.url)
            let client = RedisClient(configuration: configuration, poolSize: 2, logger: logger)
            let bystander = RedisClient(configuration: configuration, poolSize: 1, logger: logger)
            let reader = client.makeDedicatedConnection(readTimeout: .seconds(5))
            #expect(try await bystander.send(["PING"]) == .status("PONG"))
            #expect(try await reader.run { try $0.command(["PING"]) } == .status("PONG"))
            let key = RedisTestServer.uniquePrefix() + "log"
            for value in 0..<50 {
                _ = try await client.send(["RPUSH", key, String(value)])
            }
            // Replication is asynchronous: only writes a replica has confirmed (WAIT) are sure to survive.
            #expect(try await client.send(["WAIT", "1", "2000"]).int == 1)

            let oldPort = cluster.primary.port
            await cluster.primary.stop(kill: true)
            var failedAttempts = 0
            let deadline = ContinuousClock.now + .seconds(30)
            for value in 50..<100 {
                while true {
                    do {
                        _ = try await client.send(["RPUSH", key, String(value)])
                        break
                    } catch let error as RedisError where error.isConnectionError && ContinuousClock.now < deadline {
                        failedAttempts += 1
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
            }
            let newPort = try await cluster.waitForFailover(from: oldPort)
            #expect(newPort == cluster.replica.port)
            #expect(failedAttempts > 0, "the writes never saw the primary go away")
            #expect(client.resolver?.knownPrimary?.port == newPort)

            // The bystander sent nothing since the failover: its +switch-master watcher learned of it.
            let watched = ContinuousClock.now + .seconds(5)
            while bystander.resolver?.knownPrimary?.port != newPort, ContinuousClock.now < watched {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(bystander.resolver?.knownPrimary?.port == newPort)
            #expect(try await bystander.send(["ROLE"]).array?.first?.string == "master")

            // The dedicated connection still held a socket to the old primary; it reconnects to the new one
            // before its next command, which succeeds at once.
            let role = try await reader.run { connection in
                (try connection.command(["ROLE"]).array?.first?.string, connection.primary?.port)
            }
            #expect(role.0 == "master" && role.1 == newPort)

            let stored = try await cluster.directCommand(port: newPort, ["LRANGE", key, "0", "-1"])
            #expect(stored.array?.compactMap(\.string) == (0..<100).map(String.init))
            let errors = try await cluster.directCommand(port: newPort, ["INFO", "errorstats"]).string ?? ""
            #expect(!errors.contains("READONLY"), "a write was sent while the server was a replica: \(errors)")
            await reader.close()
            await bystander.shutdown()
            await client.shutdown()
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }
}

struct TestFailure: Error {}
