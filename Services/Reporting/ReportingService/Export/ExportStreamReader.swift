import Redis

/// Why reading an export stream failed.
public enum ExportStreamReadError: Error, Sendable, CustomStringConvertible {
    /// The writer ended the stream with `end: error:<message>`.
    case failed(String)
    /// Nothing arrived for the timeout (the export was abandoned, expired or never started).
    case timedOut(seconds: Int)
    /// An entry had neither `chunk` nor `end`.
    case malformed(String)

    public var description: String {
        switch self {
        case .failed(let message): return "the export failed: \(message)"
        case .timedOut(let seconds): return "no export data arrived for \(seconds) s"
        case .malformed(let id): return "export stream entry \(id) has neither 'chunk' nor 'end'"
        }
    }
}

/// Reads an export stream the way `docs/queries.md` tells readers to (and the gateway does): `XREAD` a
/// batch, hand each `chunk` on, `XDEL` what was read (making room for the writer), stop at `end`, and
/// `DEL` the stream when done. Blocking reads use a dedicated connection.
public enum ExportStreamReader {
    /// Reads `key` until its `end` entry, passing chunks to `sink`; throws on `end: error:…` or when nothing
    /// arrives for `timeout`. Returns the bytes read.
    @discardableResult
    public static func read(
        redis: RedisClient, key: String, timeout: Duration = .seconds(35), sink: ([UInt8]) async throws -> Void
    ) async throws -> Int {
        let connection = redis.makeDedicatedConnection(readTimeout: timeout + .seconds(5))
        do {
            let total = try await readLoop(redis: redis, connection: connection, key: key, timeout: timeout, sink: sink)
            await connection.close()
            return total
        } catch {
            await connection.close()
            throw error
        }
    }

    private static func readLoop(
        redis: RedisClient, connection: RedisDedicatedConnection, key: String, timeout: Duration,
        sink: ([UInt8]) async throws -> Void
    ) async throws -> Int {
        var last = "0-0"
        var total = 0
        var lastData = ContinuousClock.now
        while true {
            let reply = try await connection.run { [last] connection in
                try connection.command(["XREAD", "COUNT", "16", "BLOCK", "1000", "STREAMS", key, last]).throwingOnError()
            }
            guard let entries = reply.array?.first?.array?.dropFirst().first?.array, !entries.isEmpty else {
                if ContinuousClock.now - lastData > timeout {
                    _ = try? await redis.send(["DEL", key])
                    throw ExportStreamReadError.timedOut(seconds: Int(timeout.components.seconds))
                }
                continue
            }
            lastData = .now
            var read: [String] = []
            var ended: String?
            for entry in entries {
                guard let parts = entry.array, parts.count == 2, let id = parts[0].string, let fields = parts[1].array,
                      fields.count >= 2, let name = fields[0].string, let value = fields[1].bytes
                else { throw ExportStreamReadError.malformed(entry.array?.first?.string ?? "?") }
                last = id
                read.append(id)
                switch name {
                case "chunk":
                    total += value.count
                    try await sink(value)
                case "end":
                    ended = String(decoding: value, as: UTF8.self)
                default:
                    throw ExportStreamReadError.malformed(id)
                }
            }
            _ = try await redis.send(["XDEL", key] + read)
            if let ended {
                _ = try? await redis.send(["DEL", key])
                if ended == "ok" { return total }
                throw ExportStreamReadError.failed(ended.hasPrefix("error:") ? String(ended.dropFirst(6)) : ended)
            }
        }
    }
}
