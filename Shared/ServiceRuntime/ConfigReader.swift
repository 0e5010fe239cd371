import Foundation
import Logging

/// Reads typed configuration values from environment variables.
///
/// Each accessor takes the variable name and a documented default; a value that is set but
/// unusable throws ``ConfigError`` naming the variable.
public struct ConfigReader: Sendable {
    /// The variables read, usually `ProcessInfo.processInfo.environment`.
    public let environment: [String: String]

    /// Creates a reader over `environment` (the process environment by default).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The raw value of `variable`, `nil` when unset or empty.
    public func raw(_ variable: String) -> String? {
        guard let value = environment[variable]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// A string value, or `defaultValue` when unset.
    public func string(_ variable: String, default defaultValue: String) -> String {
        raw(variable) ?? defaultValue
    }

    /// A string value that must be set.
    public func requiredString(_ variable: String) throws(ConfigError) -> String {
        guard let value = raw(variable) else { throw .missing(variable: variable) }
        return value
    }

    /// An integer within `range`, or `defaultValue` when unset.
    public func int(_ variable: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let text = raw(variable) else { return defaultValue }
        guard let value = Int(text) else {
            throw .invalid(variable: variable, value: text, reason: "expected an integer")
        }
        guard range.contains(value) else {
            throw .invalid(variable: variable, value: text, reason: "expected \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A boolean (`true/false/1/0/yes/no/on/off`), or `defaultValue` when unset.
    public func bool(_ variable: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        guard let text = raw(variable) else { return defaultValue }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw .invalid(variable: variable, value: text, reason: "expected true or false")
        }
    }

    /// A duration given in milliseconds within `range`, or `defaultValue` when unset.
    public func milliseconds(
        _ variable: String, default defaultValue: Int, range: ClosedRange<Int>
    ) throws(ConfigError) -> Duration {
        .milliseconds(try int(variable, default: defaultValue, range: range))
    }

    /// One of `allowed` (case-insensitive), or `defaultValue` when unset.
    public func choice(_ variable: String, default defaultValue: String, allowed: [String]) throws(ConfigError) -> String {
        guard let text = raw(variable) else { return defaultValue }
        let lowered = text.lowercased()
        guard allowed.contains(lowered) else {
            throw .invalid(variable: variable, value: text, reason: "expected one of \(allowed.joined(separator: ", "))")
        }
        return lowered
    }

    /// A log level (`trace` … `critical`), or `defaultValue` when unset.
    public func logLevel(_ variable: String, default defaultValue: Logger.Level) throws(ConfigError) -> Logger.Level {
        let names = Logger.Level.allCases.map(\.rawValue)
        let text = try choice(variable, default: defaultValue.rawValue, allowed: names)
        return Logger.Level(rawValue: text) ?? defaultValue
    }
}
