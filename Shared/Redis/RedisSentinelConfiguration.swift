/// A host and TCP port.
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP address.
    public var host: String
    /// TCP port.
    public var port: Int

    /// Creates an endpoint.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with an IPv6 host in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// How to find the Redis primary through Redis Sentinel: the sentinels to ask, in order, and the name
/// they monitor the primary under (`sentinel monitor <name> …`).
public struct RedisSentinelConfiguration: Sendable, Equatable {
    /// Default Sentinel port.
    public static let defaultPort = 26379

    /// The sentinels, asked in this order (the last one that answered is asked first next time).
    public var sentinels: [RedisEndpoint]
    /// The master name the sentinels monitor.
    public var masterName: String
    /// ACL user for the sentinels; `nil` authenticates the default user.
    public var username: String?
    /// Password sent with `AUTH` to the sentinels (`requirepass` in sentinel.conf); `nil` skips `AUTH`.
    public var password: String?

    /// Creates Sentinel settings.
    public init(sentinels: [RedisEndpoint], masterName: String, username: String? = nil, password: String? = nil) {
        self.sentinels = sentinels
        self.masterName = masterName
        self.username = username
        self.password = password
    }
}
