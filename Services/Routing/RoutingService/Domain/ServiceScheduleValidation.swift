import Foundation

extension ServiceSchedule {
    /// Maximum windows per day (weekly or override).
    public static let maxWindowsPerDay = 24
    /// Maximum number of date overrides.
    public static let maxOverrides = 1_000

    /// Throws the first problem found; see `validationIssues(fieldPath:)`.
    public func validate(fieldPath: String = "service_hours") throws(RoutingConfigIssue) {
        if let first = validationIssues(fieldPath: fieldPath).first { throw first }
    }

    /// All problems found, each with a field path below `fieldPath`
    /// (e.g. `service_hours.weekly.mon[0].start`).
    public func validationIssues(fieldPath: String = "service_hours") -> [RoutingConfigIssue] {
        var issues: [RoutingConfigIssue] = []
        if TimeZone(identifier: timezone) == nil {
            issues.append(RoutingConfigIssue(
                fieldPath: RoutingFieldPath.join(fieldPath, "timezone"), code: .invalidTimezone,
                message: "\"\(timezone)\" is not a known IANA time zone; use e.g. \"Asia/Shanghai\""
            ))
        }
        let weeklyPath = RoutingFieldPath.join(fieldPath, "weekly")
        for day in ServiceWeekday.allCases {
            issues += Self.windowIssues(weekly[day], path: RoutingFieldPath.join(weeklyPath, day.rawValue))
        }
        let overridesPath = RoutingFieldPath.join(fieldPath, "overrides")
        if overrides.count > Self.maxOverrides {
            issues.append(RoutingConfigIssue(
                fieldPath: overridesPath, code: .tooMany,
                message: "at most \(Self.maxOverrides) overrides are allowed; remove past dates"
            ))
        }
        var seen: Set<ServiceLocalDate> = []
        for (index, entry) in overrides.enumerated() {
            let path = RoutingFieldPath.index(overridesPath, index)
            if !seen.insert(entry.date).inserted {
                issues.append(RoutingConfigIssue(
                    fieldPath: RoutingFieldPath.join(path, "date"), code: .duplicateDate,
                    message: "\(entry.date) already has an override; merge them into one entry"
                ))
            }
            if entry.closed && !entry.windows.isEmpty {
                issues.append(RoutingConfigIssue(
                    fieldPath: path, code: .conflictingOverride,
                    message: "set either \"closed\": true or \"windows\", not both"
                ))
            } else if !entry.closed && entry.windows.isEmpty {
                issues.append(RoutingConfigIssue(
                    fieldPath: RoutingFieldPath.join(path, "windows"), code: .empty,
                    message: "add at least one window, or set \"closed\": true for a closed day"
                ))
            }
            issues += Self.windowIssues(entry.windows, path: RoutingFieldPath.join(path, "windows"))
        }
        return issues
    }

    private static func windowIssues(_ windows: [ServiceWindow], path: String) -> [RoutingConfigIssue] {
        var issues: [RoutingConfigIssue] = []
        if windows.count > maxWindowsPerDay {
            issues.append(RoutingConfigIssue(
                fieldPath: path, code: .tooMany, message: "at most \(maxWindowsPerDay) windows per day are allowed"
            ))
        }
        for (index, window) in windows.enumerated() {
            let windowPath = RoutingFieldPath.index(path, index)
            if window.start.minutes == 1440 {
                issues.append(RoutingConfigIssue(
                    fieldPath: RoutingFieldPath.join(windowPath, "start"), code: .invalidWindow,
                    message: "24:00 is only allowed as an end time; use 00:00 to start at midnight"
                ))
            } else if window.start == window.end {
                issues.append(RoutingConfigIssue(
                    fieldPath: RoutingFieldPath.join(windowPath, "end"), code: .invalidWindow,
                    message: "start and end are both \(window.start); use 00:00–24:00 for a full day"
                ))
            }
        }
        return issues
    }
}
