import Foundation

extension ServiceScheduleEvaluator {
    private static let stageDays = 8
    private static let maxStages = 50
    /// More than the widest UTC offset (+14:00), so local days map safely to instants.
    private static let offsetMargin = 15 * 3_600

    /// First whole second `> exactly` where the open state differs from the state at `second`.
    ///
    /// State can only change where the local time crosses a window boundary or at a UTC offset
    /// transition, so those instants are the only candidates; they are examined in order in
    /// stages of a few local days.
    func nextChange(afterSecond second: Int, exactly: TimeInterval) -> Int? {
        let initial = isOpen(atSecond: second)
        var stageStart = Self.floorDivide(localMinute(atSecond: second), 1_440)
        var checkedUntil = second
        for _ in 0..<Self.maxStages {
            let stageEnd = stageStart + Self.stageDays
            let limit = stageEnd * 86_400 - Self.offsetMargin
            var candidates: [Int] = []
            for day in (stageStart - 4)..<stageEnd {
                for range in minuteRanges(onDay: day) {
                    for boundary in [range.lowerBound, range.upperBound] {
                        candidates += instants(atLocalMinute: day * 1_440 + boundary)
                    }
                }
            }
            var cursor = Date(timeIntervalSince1970: TimeInterval(checkedUntil - 1))
            while let transition = zone.nextDaylightSavingTimeTransition(after: cursor),
                  transition.timeIntervalSince1970 < TimeInterval(limit) {
                candidates.append(Int(transition.timeIntervalSince1970.rounded(.up)))
                cursor = transition
            }
            for candidate in Set(candidates).sorted()
            where TimeInterval(candidate) > exactly && candidate >= checkedUntil && candidate < limit {
                if isOpen(atSecond: candidate) != initial { return candidate }
            }
            checkedUntil = max(checkedUntil, limit)
            stageStart = stageEnd
        }
        return nil
    }
}
