import Foundation
import KefuModel
import Logging
import Postgres
import Redis

/// The configuration every Kefu service shares, read from the environment.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `REDIS_URL` | required | Redis server, `redis://[[user]:password@]host:port[/db]`, `redis+sentinel://…` or `redis+cluster://host:port,…` |
/// | `DATABASE_URL` | required | PostgreSQL server, `postgres://user:password@host:port/db` |
/// | `HTTP_HOST` | `127.0.0.1` | address the HTTP port binds to |
/// | `HTTP_PORT` | per service (8080–8084) | HTTP port: `/health`, `/ready`, `/metrics` (and the API on the gateway) |
/// | `LOG_LEVEL` | `info` | `trace` … `critical` |
/// | `LOG_FORMAT` | `text` | `text` or `json` |
/// | `KEFU_STREAM_PREFIX` | `kefu` | prefix of every Redis key and stream; on a Redis Cluster it must carry a hash tag (`{kefu}`) |
/// | `KEFU_STREAM_PARTITIONS` | `1` | partitions per shared stream (1-1024); the same for every service of a deployment |
/// | `KEFU_INSTANCE` | host name + `-0` | stable instance name, part of consumer names |
/// | `KEFU_SHUTDOWN_TIMEOUT_MS` | `10000` | how long a graceful shutdown may take before tasks are cancelled |
/// | `KEFU_DB_POOL_SIZE` | `4` | PostgreSQL connections (and threads) of this instance |
///
/// Stream settings: see ``StreamSettings``.
public struct ServiceConfiguration: Sendable {
    /// The service's short name, e.g. `routing`.
    public var service: String
    /// Redis connection settings.
    public var redis: RedisConfiguration
    /// PostgreSQL connection settings.
    public var database: PostgresConfiguration
    /// Address the HTTP port binds to.
    public var httpHost: String
    /// HTTP port.
    public var httpPort: Int
    /// Minimum log level.
    public var logLevel: Logger.Level
    /// Log line format.
    public var logFormat: LogFormat
    /// Prefix of every Redis key and stream.
    public var streamPrefix: String
    /// Every stream name under ``streamPrefix``.
    public var streamNames: StreamNames
    /// Stable name of this instance.
    public var instance: String
    /// Deadline for a graceful shutdown.
    public var shutdownTimeout: Duration
    /// Stream consumer and producer settings.
    public var streams: StreamSettings

    /// Reads and validates the shared variables.
    /// - Parameters:
    ///   - service: the service's short name.
    ///   - defaultPort: the service's default `HTTP_PORT`.
    public init(service: String, defaultPort: Int, reader: ConfigReader = ConfigReader()) throws(ConfigError) {
        self.service = service
        let redisURL = try reader.requiredString("REDIS_URL")
        do {
            redis = try RedisConfiguration(url: redisURL)
        } catch {
            throw .invalid(variable: "REDIS_URL", value: Self.redacted(redisURL), reason: "\(error)")
        }
        let databaseURL = try reader.requiredString("DATABASE_URL")
        do {
            database = try PostgresConfiguration(url: databaseURL)
        } catch {
            throw .invalid(variable: "DATABASE_URL", value: Self.redacted(databaseURL), reason: "\(error)")
        }
        database.poolSize = try reader.int("KEFU_DB_POOL_SIZE", default: 4, range: 1...64)
        httpHost = reader.string("HTTP_HOST", default: "127.0.0.1")
        httpPort = try reader.int("HTTP_PORT", default: defaultPort, range: 1...65535)
        logLevel = try reader.logLevel("LOG_LEVEL", default: .info)
        let format = try reader.choice("LOG_FORMAT", default: "text", allowed: LogFormat.allCases.map(\.rawValue))
        logFormat = LogFormat(rawValue: format) ?? .text
        streamPrefix = reader.string("KEFU_STREAM_PREFIX", default: StreamNames.defaultPrefix)
        let partitions = try reader.int("KEFU_STREAM_PARTITIONS", default: 1, range: 1...StreamPartitions.maximumCount)
        do {
            streamNames = try StreamNames(prefix: streamPrefix, partitions: partitions)
        } catch {
            throw .invalid(variable: "KEFU_STREAM_PREFIX", value: streamPrefix, reason: "\(error)")
        }
        if redis.cluster != nil, !streamPrefix.contains("{") {
            throw .invalid(
                variable: "KEFU_STREAM_PREFIX", value: streamPrefix,
                reason: "on a Redis Cluster the prefix needs a {hash tag}, e.g. {\(streamPrefix)}, so that every unpartitioned key shares one slot")
        }
        instance = reader.string("KEFU_INSTANCE", default: Self.defaultInstance())
        guard instance.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", options: .regularExpression) != nil else {
            throw .invalid(
                variable: "KEFU_INSTANCE", value: instance,
                reason: "expected 1-64 characters of letters, digits, '_', '.', '-'")
        }
        shutdownTimeout = try reader.milliseconds("KEFU_SHUTDOWN_TIMEOUT_MS", default: 10_000, range: 100...600_000)
        streams = try StreamSettings(reader: reader)
        if let wait = streams.replicaWait, redis.cluster != nil {
            // WAIT covers the writes of one connection to one master; a cluster pipeline spans several.
            throw .invalid(
                variable: "KEFU_REDIS_WAIT_REPLICAS", value: String(wait.replicas),
                reason: "applies to one primary (redis:// or redis+sentinel://), not to a Redis Cluster; set it to 0")
        }
    }

    /// The host name with an instance index, stable across restarts of the same host.
    static func defaultInstance() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        let cleaned = host.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return (cleaned.isEmpty ? "localhost" : String(cleaned.prefix(48))) + "-0"
    }

    /// `url` with any password (in the user info, or a query parameter whose name ends in `password`)
    /// replaced by `***`, safe to print.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        var rest = url[scheme.upperBound...]
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var result = String(url[..<scheme.upperBound])
        if let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            result += rest[..<colon] + ":***" + rest[at...]
        } else {
            result += rest
        }
        guard let query else { return result }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let key = pair.prefix { $0 != "=" }
            return key.lowercased().hasSuffix("password") && key.count < pair.count ? "\(key)=***" : String(pair)
        }
        return result + "?" + pairs.joined(separator: "&")
    }
}

/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// Human-readable lines.
    case text
    /// One JSON object per line.
    case json
}
