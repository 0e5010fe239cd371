import Foundation
import Testing
@testable import RoutingService

@Suite("ServiceSchedule.nextChange")
struct ServiceScheduleNextChangeTests {
    typealias F = ScheduleFixture

    @Test func walksThroughWeeklyWindows() {
        let schedule = F.schedule("Asia/Shanghai", [.mon: [F.window("09:00", "18:00")]])
        #expect(schedule.nextChange(after: F.local("2026-01-05 08:00")) == F.local("2026-01-05 09:00"))
        #expect(schedule.nextChange(after: F.local("2026-01-05 08:59:30")) == F.local("2026-01-05 09:00"))
        #expect(schedule.nextChange(after: F.local("2026-01-05 09:00")) == F.local("2026-01-05 18:00"))
        #expect(schedule.nextChange(after: F.local("2026-01-05 18:00")) == F.local("2026-01-12 09:00"))
    }

    @Test func crossingAndAdjacentWindows() {
        let crossing = F.schedule("Asia/Shanghai", [.fri: [F.window("22:00", "02:00")]])
        #expect(crossing.nextChange(after: F.local("2026-01-09 23:00")) == F.local("2026-01-10 02:00"))
        let adjacent = F.schedule("Asia/Shanghai", [.mon: [F.window("09:00", "12:00"), F.window("12:00", "18:00")]])
        #expect(adjacent.nextChange(after: F.local("2026-01-05 10:00")) == F.local("2026-01-05 18:00"))
        let overlapping = F.schedule("Asia/Shanghai", [.mon: [F.window("09:00", "13:00"), F.window("12:00", "18:00")]])
        #expect(overlapping.nextChange(after: F.local("2026-01-05 10:00")) == F.local("2026-01-05 18:00"))
    }

    @Test func findsOverridesBeyondTheFirstWeek() {
        let schedule = ServiceSchedule(
            timezone: "Asia/Shanghai",
            weekly: ServiceSchedule.alwaysOpen().weekly,
            overrides: [.closed(on: F.date("2026-10-01"))]
        )
        #expect(schedule.nextChange(after: F.local("2026-09-01 12:00")) == F.local("2026-10-01 00:00"))
        #expect(schedule.nextChange(after: F.local("2026-10-01 00:00")) == F.local("2026-10-02 00:00"))
    }

    @Test func returnsNilWhenStateNeverChanges() {
        #expect(ServiceSchedule.alwaysOpen().nextChange(after: F.local("2026-01-05 10:00")) == nil)
        #expect(F.schedule("Asia/Shanghai", [:]).nextChange(after: F.local("2026-01-05 10:00")) == nil)
    }
}
