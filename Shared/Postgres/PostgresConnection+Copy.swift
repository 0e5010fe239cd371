import CLibpq

extension PostgresConnection {
    /// Sends a `COPY … TO STDOUT` statement and waits until the server starts sending data.
    ///
    /// - Throws: the server's error, or `.client` if the statement is not a COPY TO STDOUT.
    func startCopyOut(_ sql: String) throws(PostgresError) {
        try ensureOpen()
        if sql.utf8.contains(0) {
            throw .client(reason: "SQL text contains a NUL character")
        }
        guard PQsendQuery(handle, sql) == 1 else {
            throw sendFailure()
        }
        guard let result = PQgetResult(handle) else {
            throw isBroken ? .connectionLost : .client(reason: "no result for COPY statement")
        }
        let status = PQresultStatus(result)
        if status == PGRES_COPY_OUT {
            PQclear(result)
            return
        }
        let failure: PostgresError
        switch status {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            failure = .client(reason: "copyOut needs a COPY … TO STDOUT statement")
        default:
            failure = error(from: result)
        }
        PQclear(result)
        _ = try? collectResults()
        throw failure
    }

    /// Reads COPY rows until at least `targetSize` bytes are gathered or the COPY ends.
    ///
    /// At the end the final command result is read and the connection is idle again (`finished`).
    func readCopyChunk(targetSize: Int) throws(PostgresError) -> (bytes: [UInt8], finished: Bool) {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(targetSize + 1024)
        while chunk.count < targetSize {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length > 0, let buffer {
                buffer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                    chunk.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
                }
                PQfreemem(buffer)
                continue
            }
            if let buffer {
                PQfreemem(buffer)
            }
            if length == -1 {
                _ = try collectResults()
                return (chunk, true)
            }
            if isBroken {
                throw .connectionLost
            }
            _ = try collectResults()
            throw .client(reason: PostgresConnection.oneLine(PQerrorMessage(handle)))
        }
        return (chunk, false)
    }
}
