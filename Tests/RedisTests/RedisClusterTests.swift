import Logging
import Redis
import TestSupport
import Testing

/// A real 3-master Redis Cluster started per test on loopback (`redis-cli --cluster create`).
@Suite("Redis Cluster client", .serialized)
struct RedisClusterTests {
    let logger: Logger = {
        var logger = Logger(label: "test.redis.cluster")
        logger.logLevel = .warning
        return logger
    }()

    @Test func parsesTheClusterURLAndRefusesUnknownOptions() throws {
        let configuration = try RedisConfiguration(url: "redis+cluster://:pw@10.0.0.1:7000,10.0.0.2,[::1]:7002?max_redirects=8&retry_timeout_ms=2000")
        let cluster = try #require(configuration.cluster)
        #expect(cluster.seeds == [
            RedisEndpoint(host: "10.0.0.1", port: 7000), RedisEndpoint(host: "10.0.0.2", port: 6379),
            RedisEndpoint(host: "::1", port: 7002),
        ])
        #expect(cluster.maxRedirects == 8 && cluster.retryTimeout == .milliseconds(2000))
        #expect(configuration.password == "pw")
        #expect(configuration.description == "redis+cluster://:***@10.0.0.1:7000,10.0.0.2:6379,[::1]:7002")
        #expect(throws: RedisError.invalidURL("unknown query parameter 'foo', expected max_redirects or retry_timeout_ms")) {
            try RedisConfiguration(url: "redis+cluster://a:1?foo=1")
        }
        #expect(throws: RedisError.invalidURL("a Redis Cluster has only database 0, got '/3'")) {
            try RedisConfiguration(url: "redis+cluster://a:1/3")
        }
        #expect(throws: RedisError.invalidURL("max_redirects must be a number from 1 to 100, got '0'")) {
            try RedisConfiguration(url: "redis+cluster://a:1?max_redirects=0")
        }
        let line = "\(RedisError.invalidURL("unknown query parameter 'foo', expected max_redirects or retry_timeout_ms"))"
        #expect(!line.contains("\n"))
    }

    @Test func keySlotsMatchTheServerAndRoutingReachesTheOwner() async throws {
        let cluster = try await ClusterTestServer()
        do {
            let keys = (0..<300).map { "t:\($0):k" } + ["foo", "{user1000}.following", "{user1000}.followers", "a{}b", "{}x", "kefu:{p3}:events"]
            for key in keys.prefix(40) + keys.suffix(6) {
                let server = try await cluster.command(cluster.nodes[0].port, ["CLUSTER", "KEYSLOT", key]).int
                #expect(server == Int64(ClusterKeySlot.slot(of: key)), "slot of \(key)")
            }
            let client = RedisClient(configuration: try cluster.configuration, poolSize: 2, logger: logger)
            let replies = try await client.pipeline(keys.map { ["SET", $0, "v-\($0)"] })
            #expect(replies.allSatisfy { $0 == .status("OK") })
            var owners: Set<Int> = []
            for key in keys.prefix(60) {
                let owner = try await cluster.owner(of: ClusterKeySlot.slot(of: key))
                owners.insert(owner)
                #expect(try await cluster.command(owner, ["GET", key]).string == "v-\(key)", "\(key) lives on its slot's master")
            }
            #expect(owners.count == 3, "keys spread over the three masters")
            let values = try await client.pipeline(keys.map { ["GET", $0] })
            #expect(values.map(\.string) == keys.map { "v-\($0)" }, "pipeline replies come back in command order")
            #expect(try await client.send(["DEL"] + Array(keys.prefix(50))) == .integer(50), "multi-slot DEL is split and summed")
            let transaction = try await client.pipeline([
                ["MULTI"], ["SET", "{tx}a", "1"], ["INCR", "{tx}a"], ["EXEC"], ["GET", "{tx}a"],
            ])
            #expect(transaction.last?.string == "2")
            #expect(try await client.send(["PING"]) == .status("PONG"))
            await client.shutdown()
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }

    @Test func followsMovedAfterASlotMigration() async throws {
        let cluster = try await ClusterTestServer()
        do {
            let client = RedisClient(configuration: try cluster.configuration, poolSize: 1, logger: logger)
            let key = "{moved}k"
            let slot = ClusterKeySlot.slot(of: key)
            #expect(try await client.send(["SET", key, "1"]) == .status("OK"))
            let source = try await cluster.owner(of: slot)
            let target = cluster.nodes.map(\.port).first { $0 != source }!
            #expect(try client.topology?.master(of: slot) == RedisEndpoint(host: "127.0.0.1", port: source))
            try await cluster.moveSlot(slot, to: target)
            #expect(try await cluster.command(source, ["GET", key]).errorMessage?.hasPrefix("MOVED") == true)
            #expect(try await client.send(["INCR", key]) == .integer(2), "the client follows MOVED")
            #expect(try client.topology?.master(of: slot) == RedisEndpoint(host: "127.0.0.1", port: target))
            #expect(try await cluster.command(target, ["GET", key]).string == "2")
            await client.shutdown()
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }

    @Test func followsAskDuringAMigration() async throws {
        let cluster = try await ClusterTestServer()
        do {
            let client = RedisClient(configuration: try cluster.configuration, poolSize: 1, logger: logger)
            let moved = "{ask}moved"
            let stays = "{ask}stays"
            let slot = ClusterKeySlot.slot(of: moved)
            _ = try await client.pipeline([["SET", moved, "m"], ["SET", stays, "s"]])
            let source = try await cluster.owner(of: slot)
            let target = cluster.nodes.map(\.port).first { $0 != source }!
            try await cluster.beginMigration(slot: slot, from: source, to: target)
            try await cluster.migrate(keys: [moved], from: source, to: target)
            #expect(try await cluster.command(source, ["GET", moved]).errorMessage?.hasPrefix("ASK") == true)

            #expect(try await client.send(["GET", moved]).string == "m", "ASK: ASKING then GET on the importing node")
            #expect(try await client.send(["GET", stays]).string == "s", "a key not yet moved is served by the source")
            #expect(try await client.send(["SET", "{ask}new", "n"]) == .status("OK"), "a new key goes to the importing node")
            #expect(try await cluster.command(target, ["ASKING"]) == .status("OK"))
            #expect(try client.topology?.master(of: slot) == RedisEndpoint(host: "127.0.0.1", port: source),
                    "ASK does not change the slot map")
            let streams = try await client.pipeline([["XADD", "{ask}s", "*", "event", "1"], ["XLEN", "{ask}s"]])
            #expect(streams.last == .integer(1))

            try await cluster.finishMigration(slot: slot, from: source, to: target)
            #expect(try await client.pipeline([["GET", moved], ["GET", stays], ["GET", "{ask}new"]]).map(\.string) == ["m", "s", "n"])
            #expect(try client.topology?.master(of: slot) == RedisEndpoint(host: "127.0.0.1", port: target))
            await client.shutdown()
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }

    @Test func blockingReadOverSlotsOfSeveralMastersWakesOnTheFirstEntry() async throws {
        let cluster = try await ClusterTestServer()
        do {
            let client = RedisClient(configuration: try cluster.configuration, poolSize: 2, logger: logger)
            let streams = (0..<6).map { "kefu:{p\($0)}:events" }
            var owners: Set<Int> = []
            for stream in streams { owners.insert(try await cluster.owner(of: ClusterKeySlot.slot(of: stream))) }
            #expect(owners.count >= 2, "the partitions span several masters")
            for stream in streams { _ = try await client.send(["XGROUP", "CREATE", stream, "g", "$", "MKSTREAM"]) }
            let reader = client.makeDedicatedConnection(readTimeout: .seconds(15))
            let command = ["XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "BLOCK", "8000", "STREAMS"] + streams + streams.map { _ in ">" }
            let started = ContinuousClock.now
            async let read = reader.run { connection in try connection.command(command) }
            try await Task.sleep(for: .milliseconds(300))
            let id = try await client.send(["XADD", streams[4], "*", "event", "x"]).string
            let reply = try await read
            let elapsed = started.duration(to: .now)
            #expect(elapsed < .seconds(3), "woken by the entry, not by the BLOCK timeout: \(elapsed)")
            let first = reply.array?.first?.array
            #expect(first?.first?.string == streams[4])
            #expect(first?.last?.array?.first?.array?.first?.string == id)

            _ = try await client.pipeline(streams.map { ["XADD", $0, "*", "event", "y"] })
            let all = try await reader.run { connection in try connection.command(command) }
            #expect(all.array?.count == 6, "entries of every partition come back in one reply")
            let idle = try await reader.run { connection in
                try connection.command(["XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "BLOCK", "300", "STREAMS"] + streams + streams.map { _ in ">" })
            }
            #expect(idle.isNull, "nothing new: nil after BLOCK")
            var pending = 0
            for stream in streams { pending += Int(try await client.send(["XPENDING", stream, "g"]).array?.first?.int ?? 0) }
            #expect(pending == 7, "every entry read is in the pending lists (none lost by waking)")
            await reader.close()
            await client.shutdown()
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }

    @Test func aClusterWithUncoveredSlotsIsRefusedInOneLine() async throws {
        let cluster = try await ClusterTestServer(assignSlots: false)
        do {
            _ = try await cluster.command(cluster.nodes[0].port, ["CLUSTER", "ADDSLOTSRANGE", "0", "8191"]).throwingOnError()
            let client = RedisClient(configuration: try cluster.configuration, poolSize: 1, logger: logger)
            await #expect(throws: RedisError.cluster("8192 of 16384 slots have no master (slots 8192-16383); assign every slot (redis-cli --cluster fix) before starting")) {
                try await client.verifyClusterCoverage()
            }
            await client.shutdown()
        } catch {
            await cluster.cleanup()
            throw error
        }
        await cluster.cleanup()
    }
}
