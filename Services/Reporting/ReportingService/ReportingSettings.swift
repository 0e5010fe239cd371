import Foundation
import ServiceRuntime

/// The reporting service's own settings, read from the environment.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `KEFU_REPORTING_TZ` | `Asia/Shanghai` | IANA timezone whose calendar days the statistics tables are kept in |
/// | `KEFU_REPORTING_MAX_EXPORTS` | `2` | CSV exports running at once per instance (each holds a PostgreSQL connection) |
/// | `KEFU_EXPORT_IDLE_TIMEOUT_MS` | `30000` | an export stream nobody reads for this long is abandoned and deleted |
public struct ReportingSettings: Sendable {
    /// The timezone of the statistics tables' days.
    public var statsTimezone: String
    /// Exports running at once per instance.
    public var maxExports: Int
    /// How long an export waits for its reader before giving up.
    public var exportIdleTimeout: Duration

    /// The defaults.
    public init(statsTimezone: String = "Asia/Shanghai", maxExports: Int = 2, exportIdleTimeout: Duration = .seconds(30)) {
        self.statsTimezone = statsTimezone
        self.maxExports = maxExports
        self.exportIdleTimeout = exportIdleTimeout
    }

    /// Reads the variables, rejecting an unknown timezone or an out-of-range number with the variable's name.
    public init(reader: ConfigReader) throws(ConfigError) {
        statsTimezone = reader.string("KEFU_REPORTING_TZ", default: "Asia/Shanghai")
        guard Self.isPlausibleTimezone(statsTimezone), TimeZone(identifier: statsTimezone) != nil else {
            throw .invalid(
                variable: "KEFU_REPORTING_TZ", value: statsTimezone,
                reason: "expected an IANA timezone name such as Asia/Shanghai or UTC")
        }
        maxExports = try reader.int("KEFU_REPORTING_MAX_EXPORTS", default: 2, range: 1...32)
        exportIdleTimeout = try reader.milliseconds("KEFU_EXPORT_IDLE_TIMEOUT_MS", default: 30_000, range: 100...3_600_000)
    }

    /// True for names shaped like IANA zone names (`Area/City`, `UTC`), which rules out POSIX offsets such
    /// as `+08` whose sign PostgreSQL reads backwards.
    public static func isPlausibleTimezone(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64 else { return false }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/-+")
        guard let first = name.first, first.isLetter, name.allSatisfy(allowed.contains) else { return false }
        return !name.contains("//") && !name.hasSuffix("/")
    }
}
