import CLibpq

/// A savepoint from ``PostgresConnection/lazySavepoint(_:)``.
public struct PostgresSavepoint: Sendable {
    /// Its SQL name.
    public let name: String
}

/// One parameterised statement, for ``PostgresConnection/pipeline(_:)`` and ``PostgresConnection/queue(_:_:)``.
public struct PostgresStatement: Sendable {
    /// The SQL, with `$1`, `$2`, … placeholders (one statement: pipelines use the extended protocol).
    public var sql: String
    /// The bind values.
    public var values: [PostgresValue]

    /// A statement with its parameters.
    public init(_ sql: String, _ parameters: [any PostgresEncodable] = []) {
        self.sql = sql
        values = parameters.map(\.postgresValue)
    }

    init(sql: String, values: [PostgresValue]) {
        self.sql = sql
        self.values = values
    }
}

/// libpq pipeline mode: many statements, one flush, one sync, every result read back — one round trip
/// instead of one per statement.
///
/// Two ways in. ``pipeline(_:)`` runs a list of statements and returns every result. ``queue(_:_:)`` holds a
/// statement whose result the caller does not need (an `INSERT`, an `UPDATE`, a `SAVEPOINT`); queued
/// statements are sent in the same pipeline as the next statement that needs an answer (``query(_:_:)``,
/// ``execute(_:_:)``, COMMIT) or by ``flush()``, so a run of writes costs no round trip of its own.
///
/// Errors: the server skips every statement after a failed one up to the sync; the first failure is thrown
/// (by the call that sent the pipeline, which may be a later query than the statement that failed). Inside
/// a transaction block that transaction is then aborted, as after any failed statement. A rollback drops
/// whatever is still queued.
extension PostgresConnection {
    /// Most statements sent before a sync: results are read only after the sync, so a bounded pipeline keeps
    /// a blocking connection from filling both socket buffers.
    static let pipelineLimit = 1_000
    /// Most statements kept prepared per connection; statements past it are sent unnamed (parsed each time).
    static let preparedLimit = 256

    /// Statements are prepared once per connection (parse and plan once, then only bind and execute), keyed by
    /// their text and which parameters are binary.
    static func preparationKey(_ statement: PostgresStatement) -> String {
        var key = statement.sql
        key.append("\u{1}")
        for value in statement.values {
            switch value {
            case .bytea: key.append("b")
            case .binary(let oid, _): key.append("b\(oid)")
            case .null, .text: key.append("t")
            }
        }
        return key
    }

    /// Queues `sql` to be sent with the next round trip; its error, if any, is thrown there.
    public func queue(_ sql: String, _ parameters: [any PostgresEncodable] = []) {
        queued.append(PostgresStatement(sql: sql, values: parameters.map(\.postgresValue)))
    }

    /// Statements queued and not yet sent.
    public var queuedCount: Int { queued.count }

    /// Sends every queued statement now (one round trip per ``pipelineLimit`` statements).
    public func flush() throws(PostgresError) {
        placePendingSavepoints()
        guard !queued.isEmpty else { return }
        let statements = queued
        queued = []
        _ = try pipeline(statements)
    }

    /// Runs `statements` in pipeline mode and returns each one's result, in order. Queued statements go
    /// first, in the same round trip.
    public func pipeline(_ statements: [PostgresStatement]) throws(PostgresError) -> [PostgresRows] {
        placePendingSavepoints()
        let all = queued + statements
        queued = []
        var results: [PostgresRows] = []
        results.reserveCapacity(all.count)
        var start = 0
        while start < all.count {
            let end = min(all.count, start + Self.pipelineLimit)
            results += try runPipeline(all[start..<end])
            start = end
        }
        return Array(results.suffix(statements.count))
    }

    /// The queued statements and `last` in one pipeline; returns `last`'s result.
    func runQueued(then last: PostgresStatement) throws(PostgresError) -> PostgresRows {
        guard let rows = try pipeline([last]).last else {
            throw .client(reason: "pipeline returned no result")
        }
        return rows
    }

    /// Drops queued statements (before a rollback, where they would be wasted).
    func discardQueued() {
        queued = []
        pendingSavepoints = []
    }

    /// Marks a point to roll back to that costs nothing unless it is needed: while every statement after it
    /// is still queued, ``rollback(to:)`` just drops them; if any is sent first, `SAVEPOINT` is sent in
    /// its place (before them), so a real savepoint exists. Subtransactions cost PostgreSQL far more than a
    /// statement (their locks become multixacts), so a handler that reads nothing never opens one.
    public func lazySavepoint(_ name: String) -> PostgresSavepoint {
        pendingSavepoints.append((name: name, index: queued.count))
        participants.forEach { $0.savepointMarked(name) }
        return PostgresSavepoint(name: name)
    }

    /// Undoes everything since `savepoint`: drops the statements queued since, or queues
    /// `ROLLBACK TO SAVEPOINT` when it was sent.
    public func rollback(to savepoint: PostgresSavepoint) {
        participants.forEach { $0.rolledBack(to: savepoint.name) }
        if let pending = pendingSavepoints.lastIndex(where: { $0.name == savepoint.name }) {
            queued.removeSubrange(min(pendingSavepoints[pending].index, queued.count)...)
            pendingSavepoints.removeSubrange(pending...)
        } else {
            queue("ROLLBACK TO SAVEPOINT \(savepoint.name)")
            queue("RELEASE SAVEPOINT \(savepoint.name)")
        }
    }

    /// Keeps what was done since `savepoint`; releases it if it was sent.
    public func release(_ savepoint: PostgresSavepoint) {
        participants.forEach { $0.released(savepoint.name) }
        if let pending = pendingSavepoints.lastIndex(where: { $0.name == savepoint.name }) {
            pendingSavepoints.removeSubrange(pending...)
        } else {
            queue("RELEASE SAVEPOINT \(savepoint.name)")
        }
    }

    /// The transaction's notes that take part in its savepoints and commit.
    var participants: [any PostgresTransactionParticipant] {
        transactionNotes.compactMap { $0 as? any PostgresTransactionParticipant }
    }

    /// Inserts `SAVEPOINT` statements for the lazy savepoints whose statements are about to be sent.
    func placePendingSavepoints() {
        for pending in pendingSavepoints.reversed() {
            queued.insert(PostgresStatement(sql: "SAVEPOINT \(pending.name)", values: []), at: min(pending.index, queued.count))
        }
        pendingSavepoints = []
    }

    private func runPipeline(_ statements: ArraySlice<PostgresStatement>) throws(PostgresError) -> [PostgresRows] {
        try ensureOpen()
        for statement in statements { try Self.checkNoNUL(statement.sql) }
        guard PQenterPipelineMode(handle) == 1 else { throw sendFailure() }
        roundTrips += 1
        defer { leavePipelineMode() }
        var preparing: [Int: String] = [:]
        for (offset, statement) in statements.enumerated() {
            let key = Self.preparationKey(statement)
            if let name = preparedStatements[key] {
                try send(statement.sql, values: statement.values, .prepared(name))
            } else if preparedStatements.count < Self.preparedLimit, statement.sql.utf8.count <= 8_192 {
                let name = "kefu_\(preparedStatements.count + preparing.count + 1)_\(roundTrips)"
                preparing[offset] = name
                try send(statement.sql, values: statement.values, .prepare(name))
            } else {
                try send(statement.sql, values: statement.values)
            }
        }
        guard PQpipelineSync(handle) == 1 else { throw sendFailure() }
        var results: [PostgresRows] = []
        results.reserveCapacity(statements.count)
        var firstError: PostgresError?
        for (offset, statement) in statements.enumerated() {
            if let name = preparing[offset] {
                while let result = PQgetResult(handle) {
                    defer { PQclear(result) }
                    switch PQresultStatus(result) {
                    case PGRES_COMMAND_OK: preparedStatements[Self.preparationKey(statement)] = name
                    case PGRES_PIPELINE_ABORTED: firstError = firstError ?? .client(reason: "statement skipped after an earlier failure in the pipeline")
                    default: firstError = firstError ?? error(from: result)
                    }
                }
                if isBroken { throw .connectionLost }
            }
            var rows = PostgresRows(columns: PostgresColumns(names: [], typeOIDs: []), rows: [], affectedRows: 0)
            while let result = PQgetResult(handle) {
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
                    rows = Self.rows(of: result)
                case PGRES_PIPELINE_ABORTED:
                    firstError = firstError ?? .client(reason: "statement skipped after an earlier failure in the pipeline")
                default:
                    firstError = firstError ?? failure(of: result)
                    preparedStatements.removeValue(forKey: Self.preparationKey(statement))
                }
                if isBroken { throw .connectionLost }
            }
            results.append(rows)
            if isBroken { throw .connectionLost }
        }
        try readSync()
        if let firstError { throw firstError }
        return results
    }

    /// Reads the sync's result that ends a pipeline.
    private func readSync() throws(PostgresError) {
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { return }
        }
        throw isBroken ? .connectionLost : .client(reason: "pipeline ended without its sync")
    }

    private func leavePipelineMode() {
        guard !isBroken, PQpipelineStatus(handle) != PQ_PIPELINE_OFF else { return }
        if PQexitPipelineMode(handle) == 1 { return }
        while let result = PQgetResult(handle) { PQclear(result) }
        if PQexitPipelineMode(handle) != 1 { close() }
    }
}
