/// Errors raised by the `Postgres` module.
///
/// Descriptions are safe to log: they never contain SQL text, bind parameter values or passwords.
/// Server messages are reduced to their primary text (no DETAIL, which may echo row values), and for
/// data exceptions (SQLSTATE class 22) the part after the first colon, which echoes the offending
/// value, is removed.
public enum PostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The database URL could not be parsed; `reason` names the part that is wrong.
    case invalidURL(reason: String)
    /// A connection could not be established (after the client's connect retries).
    case connectionFailed(reason: String)
    /// The connection broke while a statement was in flight, or the server terminated it
    /// (SQLSTATE 57P01, 57P02, 57P03, class 08). The statement may or may not have taken effect.
    case connectionLost
    /// A unique constraint was violated (SQLSTATE 23505).
    case uniqueViolation(constraint: String?)
    /// A serializable transaction could not be serialized (SQLSTATE 40001).
    case serializationFailure
    /// A deadlock was detected (SQLSTATE 40P01).
    case deadlock
    /// Any other server error, with its SQLSTATE and redacted primary message.
    case query(sqlState: String, message: String)
    /// A column value could not be decoded into the requested Swift type.
    case decoding(column: String, reason: String)
    /// A bind parameter cannot be sent (for example a string with a NUL character).
    case invalidParameter(index: Int, reason: String)
    /// libpq reported a client-side failure that carries no SQLSTATE.
    case client(reason: String)
    /// The client has been shut down.
    case poolClosed
    /// A migration file or list is invalid (bad file name, duplicate version, bad schema name).
    case invalidMigration(reason: String)
    /// An applied migration's recorded checksum differs from the migration's current SQL.
    case migrationChecksumMismatch(version: Int, name: String)
    /// A migration's SQL failed; it was rolled back and later migrations were not applied.
    indirect case migrationFailed(version: Int, name: String, underlying: PostgresError)

    public var description: String {
        switch self {
        case .invalidURL(let reason):
            return "invalid database URL: \(reason)"
        case .connectionFailed(let reason):
            return "could not connect to PostgreSQL: \(reason)"
        case .connectionLost:
            return "connection to PostgreSQL lost"
        case .uniqueViolation(let constraint):
            if let constraint {
                return "unique constraint \"\(constraint)\" violated (23505)"
            }
            return "unique constraint violated (23505)"
        case .serializationFailure:
            return "could not serialize access due to concurrent update (40001)"
        case .deadlock:
            return "deadlock detected (40P01)"
        case .query(let sqlState, let message):
            return "PostgreSQL error \(sqlState): \(message)"
        case .decoding(let column, let reason):
            return "cannot decode column \"\(column)\": \(reason)"
        case .invalidParameter(let index, let reason):
            return "invalid bind parameter $\(index): \(reason)"
        case .client(let reason):
            return "PostgreSQL client error: \(reason)"
        case .poolClosed:
            return "PostgreSQL client has been shut down"
        case .invalidMigration(let reason):
            return "invalid migration: \(reason)"
        case .migrationChecksumMismatch(let version, let name):
            return "migration \(version) (\(name)) was changed after it was applied: checksum mismatch"
        case .migrationFailed(let version, let name, let underlying):
            return "migration \(version) (\(name)) failed and was rolled back: \(underlying)"
        }
    }

    /// True for errors after which retrying the whole transaction is safe (40001, 40P01).
    public var isTransient: Bool {
        switch self {
        case .serializationFailure, .deadlock: return true
        default: return false
        }
    }

    /// Builds the typed error for a server SQLSTATE and primary message.
    static func fromServer(sqlState: String, message: String, constraint: String?) -> PostgresError {
        switch sqlState {
        case "23505":
            return .uniqueViolation(constraint: constraint)
        case "40001":
            return .serializationFailure
        case "40P01":
            return .deadlock
        case "57P01", "57P02", "57P03":
            return .connectionLost
        default:
            if sqlState.hasPrefix("08") {
                return .connectionLost
            }
            return .query(sqlState: sqlState, message: redact(message, sqlState: sqlState))
        }
    }

    /// Removes the value that data exceptions append after a colon, e.g.
    /// `invalid input syntax for type integer: "abc"`.
    static func redact(_ message: String, sqlState: String) -> String {
        let firstLine = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        guard sqlState.hasPrefix("22"), let colon = firstLine.firstIndex(of: ":") else {
            return firstLine
        }
        return String(firstLine[..<colon])
    }
}
