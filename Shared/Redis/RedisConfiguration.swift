/// Where and how to connect to Redis. Built once, validated before any socket opens.
///
/// With ``sentinel`` set, every connection discovers the primary through the sentinels instead of
/// using ``host`` and ``port`` (which then name the first sentinel and are not used to connect).
public struct RedisConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// Host name or IP address.
    public var host: String
    /// TCP port.
    public var port: Int
    /// Sentinel discovery; nil connects to ``host``:``port`` directly.
    public var sentinel: RedisSentinelConfiguration?
    /// Redis Cluster seeds; with it every command goes to the node serving its key's slot
    /// (``host`` and ``port`` then name the first seed).
    public var cluster: RedisClusterConfiguration?
    /// ACL user name (Redis 6+); `nil` authenticates the default user.
    public var username: String?
    /// Password sent with `AUTH`; `nil` skips `AUTH`.
    public var password: String?
    /// Logical database selected with `SELECT` after connecting.
    public var database: Int
    /// Upper bound for opening the TCP connection.
    public var connectTimeout: Duration
    /// Socket read/write timeout. Must be longer than any `BLOCK` used on the connection.
    public var readTimeout: Duration
    /// Enables TCP keepalive so a dead peer is detected.
    public var keepAlive: Bool

    /// Default socket read/write timeout (10 s).
    public static let defaultReadTimeout: Duration = .seconds(10)
    /// Default connect timeout (5 s).
    public static let defaultConnectTimeout: Duration = .seconds(5)

    /// Creates a configuration from its parts.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = RedisConfiguration.defaultConnectTimeout,
        readTimeout: Duration = RedisConfiguration.defaultReadTimeout,
        keepAlive: Bool = true,
        sentinel: RedisSentinelConfiguration? = nil,
        cluster: RedisClusterConfiguration? = nil
    ) {
        self.sentinel = sentinel
        self.cluster = cluster
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.keepAlive = keepAlive
    }

    /// Parses `redis://[[user]:password@]host[:port][/db]` or the Sentinel form
    /// `redis+sentinel://[[user]:password@]host[:port][,host[:port]…]/master-name[/db][?sentinel_username=…&sentinel_password=…]`
    /// (sentinel port 26379 by default; the credentials before `@` are for the primary, the query ones for
    /// the sentinels), or the Cluster form
    /// `redis+cluster://[[user]:password@]host[:port][,host[:port]…][?max_redirects=N&retry_timeout_ms=N]`
    /// (seed nodes, port 6379 by default; database 0 only). User names and passwords are percent-decoded.
    ///
    /// - Throws: ``RedisError/invalidURL(_:)`` naming the wrong part; the password is never echoed.
    public init(url: String) throws(RedisError) {
        let parsed = try RedisURLParser.parse(url)
        self.init(
            host: parsed.host,
            port: parsed.port,
            username: parsed.username,
            password: parsed.password,
            database: parsed.database,
            sentinel: parsed.sentinel,
            cluster: parsed.cluster
        )
    }

    /// A copy with another read timeout (for connections that use `BLOCK`).
    public func withReadTimeout(_ timeout: Duration) -> RedisConfiguration {
        var copy = self
        copy.readTimeout = timeout
        return copy
    }

    /// The URL with the passwords masked, safe to log.
    public var description: String {
        var auth = ""
        if password != nil {
            auth = "\(username ?? ""):***@"
        }
        if let cluster {
            let hosts = cluster.seeds.map(\.description).joined(separator: ",")
            return "redis+cluster://\(auth)\(hosts)"
        }
        guard let sentinel else {
            let hostPart = host.contains(":") ? "[\(host)]" : host
            return "redis://\(auth)\(hostPart):\(port)/\(database)"
        }
        var query: [String] = []
        if let username = sentinel.username { query.append("sentinel_username=\(username)") }
        if sentinel.password != nil { query.append("sentinel_password=***") }
        let hosts = sentinel.sentinels.map(\.description).joined(separator: ",")
        let suffix = query.isEmpty ? "" : "?" + query.joined(separator: "&")
        return "redis+sentinel://\(auth)\(hosts)/\(sentinel.masterName)/\(database)\(suffix)"
    }

    /// A copy that connects directly to `endpoint` (used once the primary has been discovered).
    func direct(to endpoint: RedisEndpoint) -> RedisConfiguration {
        var copy = self
        copy.host = endpoint.host
        copy.port = endpoint.port
        copy.sentinel = nil
        copy.cluster = nil
        return copy
    }
}
