import Foundation
import Testing
@testable import RoutingService

/// America/New_York 2026: spring forward 2026-03-08 02:00 EST → 03:00 EDT (07:00Z),
/// fall back 2026-11-01 02:00 EDT → 01:00 EST (06:00Z). Both days are Sundays.
@Suite("ServiceSchedule across DST")
struct ServiceScheduleDSTTests {
    typealias F = ScheduleFixture
    static let zone = "America/New_York"

    @Test func springForwardDay() {
        let schedule = F.schedule(Self.zone, [.sun: [F.window("01:30", "03:30")]])
        #expect(!schedule.isOpen(at: F.utc("2026-03-08T06:29:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-03-08T06:30:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-03-08T07:00:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-03-08T07:29:00Z")))
        #expect(!schedule.isOpen(at: F.utc("2026-03-08T07:30:00Z")))
    }

    @Test func skippedWallTimesNeverOpen() {
        let schedule = F.schedule(Self.zone, [.sun: [F.window("02:00", "02:30")]])
        let start = F.utc("2026-03-08T05:00:00Z")
        for minute in 0..<240 {
            #expect(!schedule.isOpen(at: start.addingTimeInterval(Double(minute) * 60)))
        }
        #expect(schedule.nextChange(after: start).map { $0 > F.utc("2026-03-14T00:00:00Z") } == true)
    }

    @Test func businessHoursFollowLocalTimeAcrossDST() {
        let schedule = F.schedule(Self.zone, [.sun: [F.window("09:00", "17:00")], .sat: [F.window("09:00", "17:00")]])
        #expect(schedule.isOpen(at: F.utc("2026-03-07T14:00:00Z")))
        #expect(!schedule.isOpen(at: F.utc("2026-03-07T13:59:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-03-08T13:00:00Z")))
        #expect(!schedule.isOpen(at: F.utc("2026-03-08T12:59:00Z")))
        #expect(!schedule.isOpen(at: F.utc("2026-03-08T21:00:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-10-31T13:00:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-11-01T14:00:00Z")))
        #expect(!schedule.isOpen(at: F.utc("2026-11-01T13:59:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-11-01T21:59:00Z")))
        #expect(!schedule.isOpen(at: F.utc("2026-11-01T22:00:00Z")))
    }

    @Test func fallBackRepeatsWallTimes() {
        let schedule = F.schedule(Self.zone, [.sun: [F.window("01:30", "02:00")]])
        #expect(!schedule.isOpen(at: F.utc("2026-11-01T05:29:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-11-01T05:30:00Z")))
        #expect(!schedule.isOpen(at: F.utc("2026-11-01T06:00:00Z")))
        #expect(schedule.isOpen(at: F.utc("2026-11-01T06:30:00Z")))
        #expect(!schedule.isOpen(at: F.utc("2026-11-01T07:00:00Z")))
    }

    @Test func nextChangeOnSpringForwardDay() {
        let schedule = F.schedule(Self.zone, [.sun: [F.window("01:30", "02:30")]])
        #expect(schedule.nextChange(after: F.utc("2026-03-08T06:00:00Z")) == F.utc("2026-03-08T06:30:00Z"))
        #expect(schedule.nextChange(after: F.utc("2026-03-08T06:30:00Z")) == F.utc("2026-03-08T07:00:00Z"))
    }

    @Test func nextChangeOnFallBackDay() {
        let schedule = F.schedule(Self.zone, [.sun: [F.window("01:30", "02:00")]])
        #expect(schedule.nextChange(after: F.utc("2026-11-01T05:00:00Z")) == F.utc("2026-11-01T05:30:00Z"))
        #expect(schedule.nextChange(after: F.utc("2026-11-01T05:30:00Z")) == F.utc("2026-11-01T06:00:00Z"))
        #expect(schedule.nextChange(after: F.utc("2026-11-01T06:00:00Z")) == F.utc("2026-11-01T06:30:00Z"))
        #expect(schedule.nextChange(after: F.utc("2026-11-01T06:30:00Z")) == F.utc("2026-11-01T07:00:00Z"))
        let wide = F.schedule(Self.zone, [.sun: [F.window("01:00", "02:00")]])
        #expect(wide.nextChange(after: F.utc("2026-11-01T05:00:00Z")) == F.utc("2026-11-01T07:00:00Z"))
    }

    @Test(arguments: ["2026-03-06T00:00:00Z", "2026-10-30T00:00:00Z"])
    func nextChangeAgreesWithMinuteScan(start: String) {
        let schedule = F.schedule(Self.zone, [
            .fri: [F.window("22:00", "01:30")],
            .sat: [F.window("09:00", "12:00"), F.window("23:30", "02:30")],
            .sun: [F.window("01:15", "03:10"), F.window("09:00", "17:00")],
            .mon: [F.window("00:00", "24:00")],
        ])
        let origin = F.utc(start)
        var scanned: [Date] = []
        var previous = schedule.isOpen(at: origin)
        for minute in 1...(5 * 1_440) {
            let instant = origin.addingTimeInterval(Double(minute) * 60)
            let open = schedule.isOpen(at: instant)
            if open != previous { scanned.append(instant) }
            previous = open
        }
        var chained: [Date] = []
        var cursor = origin
        while let next = schedule.nextChange(after: cursor), next <= origin.addingTimeInterval(5 * 86_400) {
            chained.append(next)
            cursor = next
        }
        #expect(!scanned.isEmpty)
        #expect(chained == scanned)
    }
}
