/// How to reach a Redis Cluster: a few seed nodes to learn the slot map from, and how hard to try when the
/// cluster is resharding or failing over.
public struct RedisClusterConfiguration: Sendable, Equatable {
    /// Default for ``maxRedirects``.
    public static let defaultMaxRedirects = 5
    /// Default for ``retryTimeout``.
    public static let defaultRetryTimeout: Duration = .seconds(5)

    /// Nodes asked for `CLUSTER SLOTS`, in order, until the slot map is known (then every node of the map).
    public var seeds: [RedisEndpoint]
    /// `MOVED`/`ASK` redirects followed for one command before giving up.
    public var maxRedirects: Int
    /// How long a command is retried after `-CLUSTERDOWN`, `-TRYAGAIN` or a refused connection.
    public var retryTimeout: Duration

    /// Creates Cluster settings.
    public init(
        seeds: [RedisEndpoint], maxRedirects: Int = RedisClusterConfiguration.defaultMaxRedirects,
        retryTimeout: Duration = RedisClusterConfiguration.defaultRetryTimeout
    ) {
        self.seeds = seeds
        self.maxRedirects = maxRedirects
        self.retryTimeout = retryTimeout
    }
}
