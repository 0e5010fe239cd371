import Foundation

/// Service hours (服务时间): weekly windows in an IANA time zone plus date overrides.
///
/// Evaluation rules:
/// - times are local wall-clock times in `timezone`, so DST is handled naturally: a window
///   09:00–18:00 opens at 09:00 local time whatever the UTC offset is that day; wall times
///   skipped by a spring-forward jump never occur, repeated fall-back times are open twice;
/// - minute precision: open from `start` (inclusive) to `end` (exclusive); seconds are ignored;
/// - a window with `end <= start` crosses midnight and continues on the next day;
/// - a window belongs to the day it starts on: an override replaces (or closes) that day's own
///   windows, but a crossing window started the previous day still spills into the override day;
/// - windows that `validate()` would reject (start 24:00, start == end) are ignored when evaluating;
///   an unknown time zone makes the schedule always closed.
public struct ServiceSchedule: Sendable, Hashable, Codable {
    /// IANA time zone identifier, e.g. `Asia/Shanghai`.
    public var timezone: String
    /// Regular weekly windows.
    public var weekly: ServiceWeeklyHours
    /// Date-specific overrides (holidays, special days).
    public var overrides: [ServiceDateOverride]

    /// Creates a schedule.
    public init(timezone: String, weekly: ServiceWeeklyHours, overrides: [ServiceDateOverride] = []) {
        self.timezone = timezone
        self.weekly = weekly
        self.overrides = overrides
    }

    /// Open all day, every day (00:00–24:00) in `timezone`.
    public static func alwaysOpen(timezone: String = "Asia/Shanghai") -> Self {
        let fullDay = ServiceWindow(start: .startOfDay, end: .endOfDay)
        return Self(timezone: timezone, weekly: ServiceWeeklyHours(days: ServiceWeekday.allCases, windows: [fullDay]))
    }

    /// `true` if service is open at `date`.
    public func isOpen(at date: Date) -> Bool {
        guard let evaluator = ServiceScheduleEvaluator(schedule: self),
              let second = ServiceScheduleEvaluator.wholeSecond(of: date) else { return false }
        return evaluator.isOpen(atSecond: second)
    }

    /// The first instant strictly after `date` at which `isOpen` changes, or `nil` if it does
    /// not change within about 400 days (or the time zone is unknown).
    public func nextChange(after date: Date) -> Date? {
        guard let evaluator = ServiceScheduleEvaluator(schedule: self),
              let second = ServiceScheduleEvaluator.wholeSecond(of: date) else { return nil }
        return evaluator.nextChange(afterSecond: second, exactly: date.timeIntervalSince1970)
            .map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case timezone, weekly, overrides
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        timezone = try container.decode(String.self, forKey: .timezone)
        weekly = try container.decode(.weekly, default: ServiceWeeklyHours())
        overrides = try container.decode(.overrides, default: [])
    }
}
