import Foundation
import Testing
@testable import RoutingService

@Suite("ServiceSchedule evaluation")
struct ServiceScheduleTests {
    typealias F = ScheduleFixture

    @Test func splitWindowsWithMinuteBoundaries() {
        let schedule = F.schedule("Asia/Shanghai", [.mon: [F.window("09:00", "12:00"), F.window("13:30", "18:00")]])
        let expectations: [(String, Bool)] = [
            ("2026-01-05 08:59:59", false), ("2026-01-05 09:00", true), ("2026-01-05 11:59:59", true),
            ("2026-01-05 12:00", false), ("2026-01-05 13:29", false), ("2026-01-05 13:30", true),
            ("2026-01-05 17:59", true), ("2026-01-05 18:00", false), ("2026-01-06 10:00", false),
        ]
        for (time, open) in expectations {
            #expect(schedule.isOpen(at: F.local(time)) == open, "\(time)")
        }
    }

    @Test func windowCrossingMidnight() {
        let schedule = F.schedule("Asia/Shanghai", [.fri: [F.window("22:00", "02:00")]])
        #expect(!schedule.isOpen(at: F.local("2026-01-09 21:59")))
        #expect(schedule.isOpen(at: F.local("2026-01-09 22:00")))
        #expect(schedule.isOpen(at: F.local("2026-01-10 00:00")))
        #expect(schedule.isOpen(at: F.local("2026-01-10 01:59")))
        #expect(!schedule.isOpen(at: F.local("2026-01-10 02:00")))
        #expect(!schedule.isOpen(at: F.local("2026-01-08 23:00")))
        #expect(!schedule.isOpen(at: F.local("2026-01-10 23:00")))
    }

    @Test func sundayWindowSpillsIntoMonday() {
        let schedule = F.schedule("Asia/Shanghai", [.sun: [F.window("23:00", "01:30")]])
        #expect(schedule.isOpen(at: F.local("2026-01-12 01:00")))
        #expect(!schedule.isOpen(at: F.local("2026-01-12 01:30")))
    }

    @Test func endOfDayForms() {
        let until24 = F.schedule("Asia/Shanghai", [.mon: [F.window("18:00", "24:00")]])
        #expect(until24.isOpen(at: F.local("2026-01-05 23:59")))
        #expect(!until24.isOpen(at: F.local("2026-01-06 00:00")))
        let untilZero = F.schedule("Asia/Shanghai", [.mon: [F.window("18:00", "00:00")]])
        #expect(untilZero.isOpen(at: F.local("2026-01-05 23:59")))
        #expect(!untilZero.isOpen(at: F.local("2026-01-06 00:00")))
        let always = ServiceSchedule.alwaysOpen()
        #expect(always.isOpen(at: F.local("2026-01-05 00:00")))
        #expect(always.isOpen(at: F.local("2026-06-07 23:59:59")))
    }

    @Test func holidayOverrideClosesDay() {
        let weekdays: [ServiceWeekday] = [.mon, .tue, .wed, .thu, .fri]
        let schedule = ServiceSchedule(
            timezone: "Asia/Shanghai",
            weekly: ServiceWeeklyHours(days: weekdays, windows: [F.window("09:00", "18:00")]),
            overrides: [.closed(on: F.date("2026-10-01"))]
        )
        #expect(F.date("2026-10-01").weekday == .thu)
        #expect(!schedule.isOpen(at: F.local("2026-10-01 10:00")))
        #expect(schedule.isOpen(at: F.local("2026-10-02 10:00")))
        #expect(schedule.isOpen(at: F.local("2026-09-30 10:00")))
    }

    @Test func crossingWindowStillSpillsIntoOverrideDay() {
        let schedule = F.schedule(
            "Asia/Shanghai",
            [.wed: [F.window("22:00", "02:00")], .thu: [F.window("22:00", "02:00")]],
            overrides: [.closed(on: F.date("2026-10-01"))]
        )
        #expect(schedule.isOpen(at: F.local("2026-10-01 01:00")))
        #expect(!schedule.isOpen(at: F.local("2026-10-01 22:30")))
        #expect(!schedule.isOpen(at: F.local("2026-10-02 01:00")))
    }

    @Test func specialDayOverrideReplacesWeekdayWindows() {
        let schedule = F.schedule(
            "Asia/Shanghai",
            [.mon: [F.window("09:00", "18:00")]],
            overrides: [
                .special(on: F.date("2026-09-27"), windows: [F.window("10:00", "16:00")]),
                .special(on: F.date("2026-01-05"), windows: [F.window("14:00", "15:00")]),
            ]
        )
        #expect(F.date("2026-09-27").weekday == .sun)
        #expect(!schedule.isOpen(at: F.local("2026-09-27 09:59")))
        #expect(schedule.isOpen(at: F.local("2026-09-27 10:00")))
        #expect(!schedule.isOpen(at: F.local("2026-09-27 16:00")))
        #expect(!schedule.isOpen(at: F.local("2026-01-05 10:00")))
        #expect(schedule.isOpen(at: F.local("2026-01-05 14:30")))
        #expect(schedule.isOpen(at: F.local("2026-01-12 10:00")))
    }

    @Test func firstOverrideWinsForDuplicateDates() {
        let day = F.date("2026-01-05")
        let schedule = F.schedule(
            "Asia/Shanghai", [.mon: [F.window("09:00", "18:00")]],
            overrides: [.closed(on: day), .special(on: day, windows: [F.window("09:00", "18:00")])]
        )
        #expect(!schedule.isOpen(at: F.local("2026-01-05 10:00")))
    }

    @Test func asiaShanghaiUsesUTCPlus8() {
        let schedule = F.schedule("Asia/Shanghai", [.mon: [F.window("09:00", "18:00")]])
        #expect(!schedule.isOpen(at: F.utc("2026-01-05T00:59:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-01-05T01:00:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-01-05T09:59:59Z")))
        #expect(!schedule.isOpen(at: F.utc("2026-01-05T10:00:00Z")))
    }

    @Test func unusableInputIsClosed() {
        let unknownZone = F.schedule("Mars/Olympus", [.mon: [F.window("00:00", "24:00")]])
        #expect(!unknownZone.isOpen(at: F.utc("2026-01-05T10:00:00Z")))
        #expect(unknownZone.nextChange(after: F.utc("2026-01-05T10:00:00Z")) == nil)
        let badWindows = F.schedule("Asia/Shanghai", [.mon: [F.window("24:00", "24:00"), F.window("10:00", "10:00")]])
        #expect(!badWindows.isOpen(at: F.local("2026-01-05 10:00")))
        #expect(!ServiceSchedule.alwaysOpen().isOpen(at: Date(timeIntervalSince1970: 1e12)))
    }
}
