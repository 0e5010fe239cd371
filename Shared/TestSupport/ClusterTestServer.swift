import Foundation
import Redis

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway 3-master Redis Cluster on free loopback ports for tests: three `redis-server
/// --cluster-enabled yes` joined with `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`.
/// Also moves slots by hand (`CLUSTER SETSLOT … MIGRATING/IMPORTING`, `MIGRATE`, `SETSLOT … NODE`).
public final class ClusterTestServer: Sendable {
    /// The masters, in port order of creation.
    public let nodes: [RedisTestServer]

    /// `redis+cluster://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>`.
    public var url: String {
        "redis+cluster://" + nodes.map { "127.0.0.1:\($0.port)" }.joined(separator: ",")
    }

    /// The parsed configuration of ``url``.
    public var configuration: RedisConfiguration {
        get throws { try RedisConfiguration(url: url) }
    }

    /// Starts three nodes, creates the cluster and waits until every node reports `cluster_state:ok`.
    /// With `assignSlots` false the nodes are joined (`CLUSTER MEET`) but no slot is assigned.
    public init(masters: Int = 3, assignSlots: Bool = true) async throws {
        var started: [RedisTestServer] = []
        do {
            for _ in 0..<masters {
                // The bus port defaults to port + 10000, which is past 65535 for high ephemeral ports.
                started.append(try await RedisTestServer(arguments: [
                    "--cluster-enabled", "yes", "--cluster-port", String(try RedisTestServer.freePort()), "--cluster-node-timeout", "5000", "--cluster-config-file", "nodes.conf",
                    "--cluster-require-full-coverage", "yes",
                ]))
            }
        } catch {
            for node in started { await node.cleanup() }
            throw error
        }
        nodes = started
        do {
            if assignSlots {
                let log = (started[0].directoryPath ?? NSTemporaryDirectory()) + "/cluster-create.log"
                let status = try await CommandRunner.run(
                    try Self.redisCLIPath(),
                    ["--cluster", "create"] + started.map { "127.0.0.1:\($0.port)" } + ["--cluster-replicas", "0", "--cluster-yes"],
                    log: log)
                guard status == 0 else {
                    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    throw RedisTestServerError.startFailed("redis-cli --cluster create failed (\(status)): \(text.suffix(400))")
                }
                try await waitUntilOK()
            } else {
                for node in started.dropFirst() {
                    _ = try await command(started[0].port, ["CLUSTER", "MEET", "127.0.0.1", String(node.port)])
                }
            }
        } catch {
            await cleanup()
            throw error
        }
    }

    /// Stops every node and removes their directories.
    public func cleanup() async {
        for node in nodes { await node.cleanup() }
    }

    /// Sends one command to the node on `port` over a plain (non-cluster) connection.
    public func command(_ port: Int, _ arguments: [String]) async throws -> RedisReply {
        let configuration = RedisConfiguration(host: "127.0.0.1", port: port, readTimeout: .seconds(10))
        let result: Result<RedisReply, RedisError> = await RedisTestServer.offPool {
            let connection = RedisConnection(configuration: configuration)
            defer { connection.close() }
            do throws(RedisError) {
                return .success(try connection.command(arguments))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The node id (`CLUSTER MYID`) of the node on `port`.
    public func nodeID(_ port: Int) async throws -> String {
        guard let id = try await command(port, ["CLUSTER", "MYID"]).string else {
            throw RedisTestServerError.startFailed("CLUSTER MYID gave no id")
        }
        return id
    }

    /// The port of the master serving `slot`, from the first node's `CLUSTER SLOTS`.
    public func owner(of slot: Int) async throws -> Int {
        let reply = try await command(nodes[0].port, ["CLUSTER", "SLOTS"])
        for range in reply.array ?? [] {
            guard let parts = range.array, parts.count >= 3, let start = parts[0].int, let end = parts[1].int,
                  let port = parts[2].array?[1].int else { continue }
            if (Int(start)...Int(end)).contains(slot) { return Int(port) }
        }
        throw RedisTestServerError.startFailed("slot \(slot) has no owner")
    }

    /// Marks `slot` as migrating from `source` to `target` (ports) without moving keys yet.
    public func beginMigration(slot: Int, from source: Int, to target: Int) async throws {
        let sourceID = try await nodeID(source)
        let targetID = try await nodeID(target)
        _ = try await command(target, ["CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceID]).throwingOnError()
        _ = try await command(source, ["CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetID]).throwingOnError()
    }

    /// Moves `keys` (all in one migrating slot) from `source` to `target` with `MIGRATE`.
    public func migrate(keys: [String], from source: Int, to target: Int) async throws {
        guard !keys.isEmpty else { return }
        _ = try await command(source, ["MIGRATE", "127.0.0.1", String(target), "", "0", "5000", "KEYS"] + keys)
            .throwingOnError()
    }

    /// Moves every key of `slot` with `MIGRATE` (in batches), then gives the slot to `target` on every node.
    public func finishMigration(slot: Int, from source: Int, to target: Int) async throws {
        while true {
            let keys = try await command(source, ["CLUSTER", "GETKEYSINSLOT", String(slot), "100"]).array?.compactMap(\.string) ?? []
            if keys.isEmpty { break }
            try await migrate(keys: keys, from: source, to: target)
        }
        let targetID = try await nodeID(target)
        for node in [target, source] + nodes.map(\.port).filter({ $0 != source && $0 != target }) {
            _ = try await command(node, ["CLUSTER", "SETSLOT", String(slot), "NODE", targetID]).throwingOnError()
        }
    }

    /// Moves `slot` (with its keys) from its owner to `target` by hand.
    public func moveSlot(_ slot: Int, to target: Int) async throws {
        let source = try await owner(of: slot)
        guard source != target else { return }
        try await beginMigration(slot: slot, from: source, to: target)
        try await finishMigration(slot: slot, from: source, to: target)
    }

    /// `redis-cli --cluster reshard` of `count` slots from the node on `source` to the node on `target`.
    public func reshard(count: Int, from source: Int, to target: Int) async throws {
        let log = (nodes[0].directoryPath ?? NSTemporaryDirectory()) + "/cluster-reshard.log"
        let status = try await CommandRunner.run(try Self.redisCLIPath(), [
            "--cluster", "reshard", "127.0.0.1:\(nodes[0].port)", "--cluster-from", try await nodeID(source),
            "--cluster-to", try await nodeID(target), "--cluster-slots", String(count), "--cluster-yes",
            "--cluster-pipeline", "100",
        ], log: log)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw RedisTestServerError.startFailed("redis-cli --cluster reshard failed (\(status)): \(text.suffix(400))")
        }
    }

    /// Waits until every node reports `cluster_state:ok` and agrees on the slot map.
    public func waitUntilOK() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            var ok = true
            var maps: Set<String> = []
            for node in nodes {
                let info = try? await command(node.port, ["CLUSTER", "INFO"])
                if info?.string?.contains("cluster_state:ok") != true { ok = false }
                let slots = try? await command(node.port, ["CLUSTER", "SLOTS"])
                maps.insert("\(slots.map { Self.normalized($0) } ?? [])")
            }
            if ok, maps.count == 1 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RedisTestServerError.startFailed("the cluster did not reach cluster_state:ok within 30 s")
    }

    private static func normalized(_ reply: RedisReply) -> [String] {
        (reply.array ?? []).compactMap { range -> String? in
            guard let parts = range.array, parts.count >= 3 else { return nil }
            return "\(parts[0].int ?? -1)-\(parts[1].int ?? -1)@\(parts[2].array?[1].int ?? -1)"
        }.sorted()
    }

    static func redisCLIPath() throws -> String {
        let server = try RedisTestServer.redisServerPath()
        let sibling = (server as NSString).deletingLastPathComponent + "/redis-cli"
        if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        for directory in ["/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/redis-cli") {
            return "\(directory)/redis-cli"
        }
        throw RedisTestServerError.startFailed("redis-cli not found next to redis-server")
    }
}
