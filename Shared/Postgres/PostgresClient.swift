import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// A pool of libpq connections with an async API.
///
/// Every blocking libpq call runs on the client's own `NIOThreadPool` (one thread per connection),
/// never on Swift's cooperative pool. Connections are opened lazily. A pooled connection that is found
/// broken when checked out (the server restarted or killed the session while it was idle) is closed
/// and replaced before anything is sent; a statement that was in flight when the connection broke
/// fails with `.connectionLost` and is not re-run.
///
/// Call ``shutdown()`` before releasing the client.
public final class PostgresClient: Sendable {
    /// The configuration this client connects with.
    public let configuration: PostgresConfiguration
    let logger: Logger
    let threadPool: NIOThreadPool
    let pool: ConnectionPool
    private let isShutDown = NIOLockedValueBox(false)

    /// Creates a client; no connection is opened until first use.
    public init(configuration: PostgresConfiguration, logger: Logger = Logger(label: "kefu.postgres")) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "db.host"] = "\(configuration.host):\(configuration.port)"
        logger[metadataKey: "db.name"] = "\(configuration.database)"
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.poolSize)
        self.pool = ConnectionPool(size: configuration.poolSize)
        threadPool.start()
    }

    /// Creates a client from a `postgres://` URL.
    public convenience init(url: String, logger: Logger = Logger(label: "kefu.postgres")) throws(PostgresError) {
        self.init(configuration: try PostgresConfiguration(url: url), logger: logger)
    }

    deinit {
        let needsShutdown = isShutDown.withLockedValue { !$0 }
        if needsShutdown {
            threadPool.shutdownGracefully { _ in }
        }
    }

    /// Runs `body` with a checked-out connection on a pool thread.
    ///
    /// Statements `body` queued (``PostgresConnection/queue(_:_:)``) are sent when it returns; a transaction
    /// left open by `body` is rolled back before the connection returns to the pool.
    /// - Throws: `body`'s error, `.connectionFailed`, `.poolClosed`, or `CancellationError` if the task
    ///   was cancelled before `body` started.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let lease = try await pool.acquire()
        let outcome: (result: Result<T, any Error>, keep: PooledConnection?)
        do {
            outcome = try await threadPool.runIfActive { [configuration, logger] in
                let pooled: PooledConnection
                do {
                    pooled = try ConnectionFactory.ready(lease, configuration: configuration, logger: logger)
                } catch {
                    return (.failure(error), nil)
                }
                let result = Result {
                    let value = try body(pooled.connection)
                    try pooled.connection.flush()
                    return value
                }
                return (result, ConnectionFactory.reusable(pooled, logger: logger))
            }
        } catch {
            checkIn(lease)
            throw error
        }
        checkIn(outcome.keep)
        return try outcome.result.get()
    }

    /// Runs one parameterised statement and returns its rows.
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> [PostgresRow] {
        let values = parameters.map(\.postgresValue)
        return try await withConnection { connection in
            try connection.query(sql, values: values).rows
        }
    }

    /// Runs one parameterised statement and returns the number of affected rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
        let values = parameters.map(\.postgresValue)
        return try await withConnection { connection in
            try connection.query(sql, values: values).affectedRows
        }
    }

    /// Quotes a value as an SQL literal with a pooled connection's `PQescapeLiteral`, for COPY SQL.
    public func escapeLiteral(_ value: String) async throws -> String {
        try await withConnection { connection in
            try connection.escapeLiteral(value)
        }
    }

    /// True when `SELECT 1` succeeds: for readiness probes.
    public func isReachable() async -> Bool {
        do {
            _ = try await query("SELECT 1")
            return true
        } catch {
            logger.debug("PostgreSQL not reachable", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Streams the output of `COPY (…) TO STDOUT …` in chunks of about `chunkSize` bytes.
    ///
    /// COPY takes no bind parameters: quote every value in `sql` with
    /// ``PostgresConnection/escapeLiteral(_:)`` (or ``escapeLiteral(_:)``). The connection stays checked
    /// out while iterating; stopping early closes it rather than returning it mid-COPY.
    public func copyOut(_ sql: String, chunkSize: Int = 64 * 1024) -> PostgresCopyOutSequence {
        PostgresCopyOutSequence(client: self, sql: sql, chunkSize: max(1, chunkSize))
    }

    /// Closes every connection and stops the thread pool. Waits for checked-out connections to come
    /// back (an unfinished `copyOut` iterator must be finished or released first). Idempotent.
    public func shutdown() async throws {
        let alreadyShutDown = isShutDown.withLockedValue { state in
            defer { state = true }
            return state
        }
        guard !alreadyShutDown else { return }
        let idle = await pool.close()
        if !idle.isEmpty {
            try? await threadPool.runIfActive {
                idle.forEach { $0.connection.close() }
            }
        }
        try await threadPool.shutdownGracefully()
        logger.debug("PostgreSQL client shut down")
    }

    /// Returns a permit (with the connection if reusable); closes the connection on a pool thread if
    /// the client was shut down meanwhile.
    func checkIn(_ pooled: PooledConnection?) {
        if let orphan = pool.release(pooled) {
            threadPool.submit { _ in orphan.connection.close() }
        }
    }

    /// Closes a connection that must not be reused (e.g. abandoned mid-COPY) and returns its permit.
    func discard(_ pooled: PooledConnection) {
        threadPool.submit { [pool] _ in
            pooled.connection.close()
            _ = pool.release(nil)
        }
    }
}
