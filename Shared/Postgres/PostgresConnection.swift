import CLibpq
import Foundation
import Logging

/// One synchronous libpq connection.
///
/// Every method blocks the calling thread until the server answers, so call it from a thread that may
/// block (the `PostgresClient` thread pool), never from Swift's cooperative pool. The connection is not
/// `Sendable`: use it from one thread at a time. Results are copied into Swift values and every
/// `PGresult` is cleared before a method returns.
public final class PostgresConnection {
    let handle: OpaquePointer
    private var isFinished = false
    /// Statements queued by ``queue(_:_:)``, sent with the next round trip.
    var queued: [PostgresStatement] = []
    /// Lazy savepoints not yet sent: their name and the queue index they stand at.
    var pendingSavepoints: [(name: String, index: Int)] = []
    /// Statements prepared on this connection: name by SQL text and parameter formats.
    var preparedStatements: [String: String] = [:]
    /// Round trips to the server so far (each statement sent alone, each pipeline, each simple query):
    /// what the batch handlers are measured by.
    public internal(set) var roundTrips = 0
    /// Values that code inside a transaction leaves for the code that commits it (the service runtime's
    /// outbox lists the rows to publish right after COMMIT). Emptied when a transaction begins.
    public var transactionNotes: [any Sendable] = []
    private let notices: NoticeSink

    /// Opens a connection with the session settings the decoders rely on
    /// (`DateStyle=ISO`, `TimeZone=UTC`, `bytea_output=hex`, `client_encoding=UTF8`).
    ///
    /// Server notices and warnings go to `logger` at debug level (libpq would print them to stderr).
    /// - Throws: `.connectionFailed` with libpq's reason (which never contains the password).
    public init(configuration: PostgresConfiguration, logger: Logger = Logger(label: "kefu.postgres")) throws(PostgresError) {
        let parameters = configuration.libpqParameters
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = values.map { UnsafePointer($0) } + [nil]
        guard let connection = PQconnectdbParams(keywordPointers, valuePointers, 0) else {
            throw .connectionFailed(reason: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.oneLine(PQerrorMessage(connection))
            PQfinish(connection)
            throw .connectionFailed(reason: reason.isEmpty ? "unknown libpq error" : reason)
        }
        handle = connection
        notices = NoticeSink(logger: logger)
        PQsetNoticeProcessor(connection, { context, message in
            guard let context, let message else { return }
            Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue().receive(message)
        }, Unmanaged.passUnretained(notices).toOpaque())
    }

    deinit {
        close()
    }

    /// Closes the connection (`PQfinish`). Safe to call more than once.
    public func close() {
        guard !isFinished else { return }
        isFinished = true
        PQfinish(handle)
    }

    /// True once the connection is closed or libpq has found it broken (`CONNECTION_BAD`).
    public var isBroken: Bool {
        isFinished || PQstatus(handle) != CONNECTION_OK
    }

    /// The server process id serving this connection (for `pg_terminate_backend` and logs).
    public var backendPID: Int32 {
        isFinished ? 0 : PQbackendPID(handle)
    }

    /// Runs one parameterised statement (`$1`, `$2`, …) and returns its rows.
    ///
    /// - Throws: a `PostgresError` mapped from the SQLSTATE; `.connectionLost` if the connection broke.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws(PostgresError) -> PostgresRows {
        try query(sql, values: parameters.map(\.postgresValue))
    }

    /// Runs one parameterised statement and returns the number of affected rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws(PostgresError) -> Int {
        try query(sql, values: parameters.map(\.postgresValue)).affectedRows
    }

    /// Runs one or more `;`-separated statements without parameters (simple query protocol), as
    /// migrations need. Outside an explicit transaction the server runs them as one implicit transaction.
    public func simpleQuery(_ sql: String) throws(PostgresError) {
        try flush()
        try ensureOpen()
        try Self.checkNoNUL(sql)
        roundTrips += 1
        guard PQsendQuery(handle, sql) == 1 else {
            throw sendFailure()
        }
        _ = try collectResults()
    }

    /// Quotes `value` as an SQL string literal (`PQescapeLiteral`), including the surrounding quotes.
    ///
    /// Use it where bind parameters are impossible, above all in `COPY (…) TO STDOUT` statements for
    /// `PostgresClient.copyOut`: every value interpolated into such SQL must go through this method.
    public func escapeLiteral(_ value: String) throws(PostgresError) -> String {
        try escape(value, with: PQescapeLiteral)
    }

    /// Quotes `name` as an SQL identifier (`PQescapeIdentifier`), including the double quotes.
    public func escapeIdentifier(_ name: String) throws(PostgresError) -> String {
        try escape(name, with: PQescapeIdentifier)
    }

    // MARK: - Internals

    func query(_ sql: String, values: [PostgresValue]) throws(PostgresError) -> PostgresRows {
        try runQueued(then: PostgresStatement(sql: sql, values: values))
    }

    /// How a statement is sent: as an unnamed statement, by the name it was prepared under, or prepared now.
    enum Preparation {
        case unnamed
        case prepared(String)
        case prepare(String)
    }

    func send(_ sql: String, values: [PostgresValue], _ preparation: Preparation = .unnamed) throws(PostgresError) {
        var types = [Oid](repeating: 0, count: values.count)
        var formats = [Int32](repeating: 0, count: values.count)
        var lengths = [Int32](repeating: 0, count: values.count)
        var buffers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: values.count)
        defer { buffers.forEach { free($0) } }
        func bind(_ bytes: [UInt8], oid: Oid, at index: Int) throws(PostgresError) {
            guard bytes.count <= Int(Int32.max) else {
                throw .invalidParameter(index: index + 1, reason: "binary value is too large")
            }
            let buffer = malloc(max(1, bytes.count))!.assumingMemoryBound(to: CChar.self)
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress {
                    memcpy(buffer, base, raw.count)
                }
            }
            buffers[index] = buffer
            types[index] = oid
            formats[index] = 1
            lengths[index] = Int32(bytes.count)
        }
        for (index, value) in values.enumerated() {
            switch value {
            case .null:
                break
            case .text(let text):
                guard !text.utf8.contains(0) else {
                    throw .invalidParameter(index: index + 1, reason: "text contains a NUL character")
                }
                buffers[index] = strdup(text)
            case .bytea(let bytes):
                try bind(bytes, oid: 17, at: index)
            case .binary(let oid, let bytes):
                try bind(bytes, oid: oid, at: index)
            }
        }
        let pointers = buffers.map { UnsafePointer($0) }
        let count = Int32(values.count)
        let sent: Int32
        switch preparation {
        case .unnamed:
            sent = PQsendQueryParams(handle, sql, count, types, pointers, lengths, formats, 0)
        case .prepared(let name):
            sent = PQsendQueryPrepared(handle, name, count, pointers, lengths, formats, 0)
        case .prepare(let name):
            guard PQsendPrepare(handle, name, sql, count, types) == 1 else { throw sendFailure() }
            sent = PQsendQueryPrepared(handle, name, count, pointers, lengths, formats, 0)
        }
        guard sent == 1 else {
            throw sendFailure()
        }
    }

    /// Reads every result until `PQgetResult` returns NULL, clearing each, and returns the last
    /// successful one. The first error wins; later results are still drained.
    func collectResults() throws(PostgresError) -> PostgresRows? {
        var last: PostgresRows?
        var firstError: PostgresError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
                if firstError == nil {
                    last = Self.rows(of: result)
                }
            default:
                firstError = firstError ?? failure(of: result)
            }
            if isFinished { break }
        }
        if let firstError {
            throw firstError
        }
        if isBroken {
            throw .connectionLost
        }
        return last
    }

    /// The error a result that holds no rows stands for; a COPY the client did not ask for is ended first
    /// (a replication COPY closes the connection).
    func failure(of result: OpaquePointer) -> PostgresError {
        switch PQresultStatus(result) {
        case PGRES_COPY_OUT:
            discardCopyOut()
            return .client(reason: "COPY TO STDOUT must be run through copyOut")
        case PGRES_COPY_IN:
            PQputCopyEnd(handle, "COPY FROM STDIN is not supported by this client")
            return .client(reason: "COPY FROM STDIN is not supported")
        case PGRES_COPY_BOTH:
            close()
            return .client(reason: "replication COPY is not supported")
        default:
            return error(from: result)
        }
    }

    /// Maps a failed result to a typed error; a broken connection always wins.
    func error(from result: OpaquePointer) -> PostgresError {
        if isBroken {
            return .connectionLost
        }
        guard let sqlState = PQresultErrorField(result, Self.diagSQLState) else {
            return .client(reason: Self.oneLine(PQresultErrorMessage(result)))
        }
        let primary = PQresultErrorField(result, Self.diagMessagePrimary).map { String(cString: $0) } ?? ""
        let constraint = PQresultErrorField(result, Self.diagConstraintName).map { String(cString: $0) }
        return .fromServer(sqlState: String(cString: sqlState), message: primary, constraint: constraint)
    }

    func sendFailure() -> PostgresError {
        if isBroken {
            return .connectionLost
        }
        return .client(reason: Self.oneLine(PQerrorMessage(handle)))
    }

    func discardCopyOut() {
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(handle, &buffer, 0) > 0 {
            PQfreemem(buffer)
            buffer = nil
        }
    }

    func ensureOpen() throws(PostgresError) {
        if isBroken {
            throw .connectionLost
        }
    }

    private func escape(
        _ value: String,
        with function: (OpaquePointer?, UnsafePointer<CChar>?, Int) -> UnsafeMutablePointer<CChar>?
    ) throws(PostgresError) -> String {
        try ensureOpen()
        guard !value.utf8.contains(0) else {
            throw .client(reason: "cannot quote a string that contains a NUL character")
        }
        let escaped = value.withCString { function(handle, $0, value.utf8.count) }
        guard let escaped else {
            throw .client(reason: Self.oneLine(PQerrorMessage(handle)))
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    static func rows(of result: OpaquePointer) -> PostgresRows {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var names: [String] = []
        var types: [UInt32] = []
        names.reserveCapacity(columnCount)
        types.reserveCapacity(columnCount)
        for column in 0..<Int32(columnCount) {
            names.append(PQfname(result, column).map { String(cString: $0) } ?? "?column?")
            types.append(PQftype(result, column))
        }
        let columns = PostgresColumns(names: names, typeOIDs: types)
        var rows: [PostgresRow] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                    continue
                }
                let length = Int(PQgetlength(result, row, column))
                let text = PQgetvalue(result, row, column).map { pointer in
                    pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
                        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                    }
                }
                values.append(text ?? "")
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return PostgresRows(columns: columns, rows: rows, affectedRows: affected)
    }

    static func checkNoNUL(_ sql: String) throws(PostgresError) {
        if sql.utf8.contains(0) {
            throw .client(reason: "SQL text contains a NUL character")
        }
    }

    /// libpq messages span several lines with tabs; logs want one line.
    static func oneLine(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message)
            .split(whereSeparator: { $0 == "\n" || $0 == "\t" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    private static let diagSQLState = Int32(UInt8(ascii: "C"))
    private static let diagMessagePrimary = Int32(UInt8(ascii: "M"))
    private static let diagConstraintName = Int32(UInt8(ascii: "n"))
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}

/// Receives libpq notices for one connection (kept alive by it) and logs them at debug level.
private final class NoticeSink {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func receive(_ message: UnsafePointer<CChar>) {
        logger.debug("PostgreSQL notice", metadata: ["notice": "\(PostgresConnection.oneLine(message))"])
    }
}
