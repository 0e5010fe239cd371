import Foundation
import Logging

/// Opens, checks and recycles connections. Runs only on the client's pool threads.
enum ConnectionFactory {
    /// A usable connection for a checkout: the leased one if it is healthy, else a new one.
    /// A dead idle connection is replaced before anything is sent on it.
    static func ready(
        _ lease: PooledConnection?, configuration: PostgresConfiguration, logger: Logger
    ) throws(PostgresError) -> PooledConnection {
        if let lease {
            if lease.connection.isHealthyWhenIdle() {
                return lease
            }
            logger.info("Replacing broken PostgreSQL connection", metadata: ["db.pid": "\(lease.connection.backendPID)"])
            lease.connection.close()
        }
        return PooledConnection(try connect(configuration: configuration, logger: logger))
    }

    /// Connects, retrying with jittered exponential backoff (100 ms, 200 ms, …) up to
    /// `configuration.connectAttempts` times.
    static func connect(configuration: PostgresConfiguration, logger: Logger) throws(PostgresError) -> PostgresConnection {
        var attempt = 1
        var delay = 0.1
        while true {
            do {
                let connection = try PostgresConnection(configuration: configuration, logger: logger)
                logger.debug("Opened PostgreSQL connection", metadata: ["db.pid": "\(connection.backendPID)"])
                return connection
            } catch {
                guard attempt < configuration.connectAttempts else {
                    logger.warning(
                        "Giving up connecting to PostgreSQL",
                        metadata: ["attempts": "\(attempt)", "error": "\(error)"])
                    throw error
                }
                logger.debug(
                    "Connecting to PostgreSQL failed; retrying",
                    metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                Thread.sleep(forTimeInterval: delay * Double.random(in: 0.8...1.2))
                delay = min(delay * 2, 2)
                attempt += 1
            }
        }
    }

    /// The connection if it can go back to the pool (open transaction rolled back), else nil after
    /// closing it.
    static func reusable(_ pooled: PooledConnection, logger: Logger) -> PooledConnection? {
        if pooled.connection.prepareForReuse() {
            return pooled
        }
        logger.debug("Closing PostgreSQL connection that cannot be reused", metadata: ["db.pid": "\(pooled.connection.backendPID)"])
        pooled.connection.close()
        return nil
    }
}
