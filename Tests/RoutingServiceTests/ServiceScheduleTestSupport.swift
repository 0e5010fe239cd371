import Foundation
@testable import RoutingService

/// Helpers for service-schedule tests.
enum ScheduleFixture {
    /// Instant for a local wall time `"YYYY-MM-DD HH:MM[:SS]"` in `timezone` (unambiguous times only).
    static func local(_ text: String, _ timezone: String = "Asia/Shanghai") -> Date {
        let parts = text.split(whereSeparator: { "- :".contains($0) }).compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone)!
        let components = DateComponents(
            year: parts[0], month: parts[1], day: parts[2],
            hour: parts[3], minute: parts[4], second: parts.count > 5 ? parts[5] : 0
        )
        return calendar.date(from: components)!
    }

    /// Instant from an ISO 8601 UTC string like `2026-03-08T06:30:00Z`.
    static func utc(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    static func window(_ start: String, _ end: String) -> ServiceWindow {
        ServiceWindow(start, end)!
    }

    static func date(_ text: String) -> ServiceLocalDate {
        ServiceLocalDate(text)!
    }

    static func schedule(
        _ timezone: String = "Asia/Shanghai",
        _ weekly: [ServiceWeekday: [ServiceWindow]],
        overrides: [ServiceDateOverride] = []
    ) -> ServiceSchedule {
        ServiceSchedule(timezone: timezone, weekly: ServiceWeeklyHours(weekly), overrides: overrides)
    }
}
