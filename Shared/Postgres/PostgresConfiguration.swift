/// How to reach a PostgreSQL server and how many connections to keep.
///
/// Build it from a URL (`DATABASE_URL`) with ``init(url:)``:
/// `postgres://user:password@host:5432/database?sslmode=disable&application_name=kefu-gateway`.
/// The `description` never includes the password.
public struct PostgresConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// TLS negotiation mode, as libpq's `sslmode`.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    /// TCP port; default 5432.
    public var port: Int
    /// Role to log in as.
    public var user: String
    /// Password, if any. Never printed.
    public var password: String?
    /// Database name; defaults to the user name.
    public var database: String
    /// TLS mode; default `.prefer` (libpq's default).
    public var sslMode: SSLMode
    /// Reported in `pg_stat_activity.application_name`.
    public var applicationName: String?
    /// Number of pooled connections and of threads running blocking libpq calls; default 4.
    public var poolSize: Int
    /// Time allowed for one connection attempt; libpq rounds to whole seconds (minimum 2). Default 5 s.
    public var connectTimeout: Duration
    /// Connection attempts per checkout before `.connectionFailed` is thrown; default 3.
    public var connectAttempts: Int

    /// Creates a configuration from its parts.
    public init(
        host: String,
        port: Int = 5432,
        user: String,
        password: String? = nil,
        database: String? = nil,
        sslMode: SSLMode = .prefer,
        applicationName: String? = nil,
        poolSize: Int = 4,
        connectTimeout: Duration = .seconds(5),
        connectAttempts: Int = 3
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database ?? user
        self.sslMode = sslMode
        self.applicationName = applicationName
        self.poolSize = max(1, poolSize)
        self.connectTimeout = connectTimeout
        self.connectAttempts = max(1, connectAttempts)
    }

    /// Parses `postgres://` or `postgresql://` URLs.
    ///
    /// User, password, database and query values are percent-decoded. Supported query parameters:
    /// `sslmode`, `application_name`, `connect_timeout` (seconds), `pool_size`. Anything else is
    /// rejected with an error that names the parameter. Error messages never contain the password.
    public init(url: String) throws(PostgresError) {
        self = try PostgresURLParser.parse(url)
    }

    public var description: String {
        let secret = password == nil ? "" : ":***"
        return "postgres://\(user)\(secret)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// The URL form of this configuration, including the percent-encoded password.
    /// Treat it as a secret; use `description` for logs.
    public var url: String {
        let credentials = PostgresURLParser.encode(user)
            + (password.map { ":" + PostgresURLParser.encode($0) } ?? "")
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var query = "sslmode=\(sslMode.rawValue)"
        if let applicationName {
            query += "&application_name=" + PostgresURLParser.encode(applicationName)
        }
        return "postgres://\(credentials)@\(hostPart):\(port)/\(PostgresURLParser.encode(database))?\(query)"
    }

    /// libpq connection keywords and values for `PQconnectdbParams`, with the session settings the
    /// decoder relies on (`DateStyle=ISO`, `TimeZone=UTC`, `bytea_output=hex`, UTF-8).
    var libpqParameters: [(String, String)] {
        let parts = connectTimeout.components
        let timeout = max(2, Int(parts.seconds) + (parts.attoseconds > 0 ? 1 : 0))
        var result: [(String, String)] = [
            ("host", host),
            ("port", String(port)),
            ("user", user),
            ("dbname", database),
            ("sslmode", sslMode.rawValue),
            ("connect_timeout", String(timeout)),
            ("client_encoding", "UTF8"),
            ("options", "-c DateStyle=ISO -c TimeZone=UTC -c bytea_output=hex -c extra_float_digits=1"),
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
        ]
        if let password {
            result.append(("password", password))
        }
        if let applicationName {
            result.append(("application_name", applicationName))
        }
        return result
    }
}
