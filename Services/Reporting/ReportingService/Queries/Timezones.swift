import Postgres
import Synchronization

/// The timezone names PostgreSQL knows (`pg_timezone_names`), loaded once per process.
///
/// Only IANA-shaped names are accepted (see ``ReportingSettings/isPlausibleTimezone(_:)``): PostgreSQL
/// would also take POSIX strings like `+08`, whose sign is the reverse of what people expect.
public final class TimezoneCatalog: Sendable {
    private let names = Mutex<Set<String>?>(nil)

    /// An empty catalog; names are loaded on first use.
    public init() {}

    /// Checks `name` against the server's list; throws `invalid_timezone` for an unknown one.
    public func check(_ name: String, on connection: PostgresConnection) throws -> String {
        guard ReportingSettings.isPlausibleTimezone(name) else { throw Self.unknown(name) }
        let known: Set<String>
        if let cached = names.withLock({ $0 }) {
            known = cached
        } else {
            let rows = try connection.query("SELECT name FROM pg_timezone_names")
            known = Set(try rows.map { try $0.decode(String.self, at: 0) })
            names.withLock { $0 = known }
        }
        guard known.contains(name) else { throw Self.unknown(name) }
        return name
    }

    private static func unknown(_ name: String) -> QueryFailure {
        QueryFailure(
            "invalid_timezone",
            "unknown timezone '\(name.prefix(64))': use an IANA name such as Asia/Shanghai, Europe/Berlin or UTC")
    }
}
