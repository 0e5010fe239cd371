/// Where and how to connect to Redis. Built once, validated before any socket opens.
public struct RedisConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// Host name or IP address.
    public var host: String
    /// TCP port.
    public var port: Int
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
        keepAlive: Bool = true
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.keepAlive = keepAlive
    }

    /// Parses `redis://[[user]:password@]host[:port][/db]`; user and password are percent-decoded.
    ///
    /// - Throws: ``RedisError/invalidURL(_:)`` naming the wrong part; the password is never echoed.
    public init(url: String) throws(RedisError) {
        let parsed = try RedisURLParser.parse(url)
        self.init(
            host: parsed.host,
            port: parsed.port,
            username: parsed.username,
            password: parsed.password,
            database: parsed.database
        )
    }

    /// A copy with another read timeout (for connections that use `BLOCK`).
    public func withReadTimeout(_ timeout: Duration) -> RedisConfiguration {
        var copy = self
        copy.readTimeout = timeout
        return copy
    }

    /// The URL with the password masked, safe to log.
    public var description: String {
        var auth = ""
        if password != nil {
            auth = "\(username ?? ""):***@"
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "redis://\(auth)\(hostPart):\(port)/\(database)"
    }
}
