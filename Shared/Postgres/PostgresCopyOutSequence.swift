/// The output of a `COPY … TO STDOUT` statement as chunks of bytes, read on demand.
///
/// Each `next()` reads the next chunk (rows gathered up to about the requested chunk size) on the
/// client's thread pool, so memory stays flat however large the output is. Iterate once. The
/// connection is checked out on the first `next()` and returned after the last chunk; if iteration
/// stops early (the iterator is released, or the task is cancelled) the connection is closed rather
/// than returned mid-COPY, and the pool opens a fresh one later.
public struct PostgresCopyOutSequence: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let client: PostgresClient
    let sql: String
    let chunkSize: Int

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(state: CopyOutState(client: client, sql: sql, chunkSize: chunkSize))
    }

    /// Reads one chunk per call; see ``PostgresCopyOutSequence``.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let state: CopyOutState

        /// The next chunk, or nil once the COPY has finished.
        public mutating func next() async throws -> [UInt8]? {
            try await state.next()
        }
    }
}

/// Iteration state of one COPY. Touched only by the task iterating it (one `next()` at a time); its
/// deinit closes a connection that is still mid-COPY.
final class CopyOutState: @unchecked Sendable {
    private enum Phase {
        case notStarted
        case streaming(PooledConnection)
        case finished
    }

    private let client: PostgresClient
    private let sql: String
    private let chunkSize: Int
    private var phase = Phase.notStarted

    init(client: PostgresClient, sql: String, chunkSize: Int) {
        self.client = client
        self.sql = sql
        self.chunkSize = chunkSize
    }

    deinit {
        if case .streaming(let pooled) = phase {
            client.logger.debug("COPY abandoned; closing its connection")
            client.discard(pooled)
        }
    }

    func next() async throws -> [UInt8]? {
        switch phase {
        case .finished:
            return nil
        case .notStarted:
            try Task.checkCancellation()
            let pooled = try await start()
            phase = .streaming(pooled)
            return try await read(from: pooled)
        case .streaming(let pooled):
            if Task.isCancelled {
                abandon(pooled)
                throw CancellationError()
            }
            return try await read(from: pooled)
        }
    }

    private func start() async throws -> PooledConnection {
        let lease = try await client.pool.acquire()
        let outcome: (result: Result<Void, any Error>, connection: PooledConnection?)
        do {
            outcome = try await client.threadPool.runIfActive { [client, sql] in
                let pooled: PooledConnection
                do {
                    pooled = try ConnectionFactory.ready(lease, configuration: client.configuration, logger: client.logger)
                } catch {
                    return (.failure(error), nil)
                }
                do {
                    try pooled.connection.startCopyOut(sql)
                    return (.success(()), pooled)
                } catch {
                    return (.failure(error), ConnectionFactory.reusable(pooled, logger: client.logger))
                }
            }
        } catch {
            phase = .finished
            client.checkIn(lease)
            throw error
        }
        switch outcome.result {
        case .success:
            guard let pooled = outcome.connection else {
                phase = .finished
                throw PostgresError.connectionLost
            }
            return pooled
        case .failure(let error):
            phase = .finished
            client.checkIn(outcome.connection)
            throw error
        }
    }

    private func read(from pooled: PooledConnection) async throws -> [UInt8]? {
        let outcome: (result: Result<[UInt8], any Error>, finished: Bool, keep: PooledConnection?)
        do {
            outcome = try await client.threadPool.runIfActive { [chunkSize, logger = client.logger] in
                do {
                    let chunk = try pooled.connection.readCopyChunk(targetSize: chunkSize)
                    if chunk.finished {
                        return (.success(chunk.bytes), true, ConnectionFactory.reusable(pooled, logger: logger))
                    }
                    return (.success(chunk.bytes), false, nil)
                } catch {
                    return (.failure(error), true, ConnectionFactory.reusable(pooled, logger: logger))
                }
            }
        } catch {
            abandon(pooled)
            throw error
        }
        if outcome.finished {
            phase = .finished
            client.checkIn(outcome.keep)
        }
        let bytes = try outcome.result.get()
        return bytes.isEmpty && outcome.finished ? nil : bytes
    }

    private func abandon(_ pooled: PooledConnection) {
        phase = .finished
        client.discard(pooled)
    }
}
