import Foundation

/// Precomputed view of a `ServiceSchedule` used for evaluation.
struct ServiceScheduleEvaluator {
    private static let secondsPerDay = 86_400
    private static let minutesPerDay = 1_440
    /// Largest magnitude of seconds since 1970 accepted (about year 5138).
    private static let secondLimit = 100_000_000_000.0

    let zone: TimeZone
    private let weekly: ServiceWeeklyHours
    private let overridesByDay: [Int: [ServiceWindow]]

    init?(schedule: ServiceSchedule) {
        guard let zone = TimeZone(identifier: schedule.timezone) else { return nil }
        self.zone = zone
        weekly = schedule.weekly
        var byDay: [Int: [ServiceWindow]] = [:]
        for entry in schedule.overrides where byDay[entry.date.dayNumber] == nil {
            byDay[entry.date.dayNumber] = entry.effectiveWindows
        }
        overridesByDay = byDay
    }

    /// `date` floored to whole seconds since 1970, or `nil` if out of the supported range.
    static func wholeSecond(of date: Date) -> Int? {
        let value = date.timeIntervalSince1970.rounded(.down)
        guard value.isFinite, abs(value) < secondLimit else { return nil }
        return Int(value)
    }

    /// Windows starting on local day `dayNumber`, as minute ranges relative to that day.
    func minuteRanges(onDay dayNumber: Int) -> [Range<Int>] {
        let windows: [ServiceWindow]
        if let special = overridesByDay[dayNumber] {
            windows = special
        } else {
            windows = weekly[ServiceWeekday(dayNumber: dayNumber)]
        }
        return windows.compactMap(\.minuteRange)
    }

    /// Local minutes since 1970-01-01 00:00 local time for instant `second`.
    func localMinute(atSecond second: Int) -> Int {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(second)))
        return Self.floorDivide(second + offset, 60)
    }

    func isOpen(atSecond second: Int) -> Bool {
        let minute = localMinute(atSecond: second)
        let day = Self.floorDivide(minute, Self.minutesPerDay)
        for candidateDay in [day - 1, day] {
            let relative = minute - candidateDay * Self.minutesPerDay
            if minuteRanges(onDay: candidateDay).contains(where: { $0.contains(relative) }) { return true }
        }
        return false
    }

    /// Instants (whole seconds) whose local wall time is `localMinute`: none in a DST gap,
    /// two in a DST overlap.
    func instants(atLocalMinute localMinute: Int) -> [Int] {
        let local = localMinute * 60
        var offsets: [Int] = []
        for probe in [local - Self.secondsPerDay, local, local + Self.secondsPerDay] {
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(probe)))
            if !offsets.contains(offset) { offsets.append(offset) }
        }
        return offsets.compactMap { offset in
            let instant = local - offset
            let actual = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
            return actual == offset ? instant : nil
        }
    }

    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
