import Foundation
import Testing
@testable import RoutingService

@Suite("ServiceSchedule JSON and validation")
struct ServiceScheduleCodingTests {
    typealias F = ScheduleFixture

    static let exampleJSON = """
    {"timezone":"Asia/Shanghai",
     "weekly":{"mon":[{"start":"09:00","end":"12:00"},{"start":"13:30","end":"18:00"}],
               "fri":[{"start":"22:00","end":"02:00"}]},
     "overrides":[{"date":"2026-10-01","closed":true},
                  {"date":"2026-09-27","windows":[{"start":"10:00","end":"16:00"}]}]}
    """

    private func decode(_ json: String) throws -> ServiceSchedule {
        try JSONDecoder().decode(ServiceSchedule.self, from: Data(json.utf8))
    }

    @Test func decodesExample() throws {
        let schedule = try decode(Self.exampleJSON)
        #expect(schedule.timezone == "Asia/Shanghai")
        #expect(schedule.weekly[.mon] == [F.window("09:00", "12:00"), F.window("13:30", "18:00")])
        #expect(schedule.weekly[.fri] == [F.window("22:00", "02:00")])
        #expect(schedule.weekly[.tue].isEmpty)
        #expect(schedule.overrides == [
            .closed(on: F.date("2026-10-01")),
            .special(on: F.date("2026-09-27"), windows: [F.window("10:00", "16:00")]),
        ])
        #expect(schedule.validationIssues().isEmpty)
    }

    @Test func roundTripsThroughJSON() throws {
        let schedule = try decode(Self.exampleJSON)
        let data = try JSONEncoder().encode(schedule)
        #expect(try JSONDecoder().decode(ServiceSchedule.self, from: data) == schedule)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"closed\":true"))
        #expect(text.contains("\"sun\":[]"))
    }

    @Test func defaultsMissingWeeklyAndOverrides() throws {
        let schedule = try decode(#"{"timezone":"UTC"}"#)
        #expect(schedule.overrides.isEmpty)
        #expect(ServiceWeekday.allCases.allSatisfy { schedule.weekly[$0].isEmpty })
    }

    @Test func rejectsMalformedValuesWithPath() {
        let json = #"{"timezone":"UTC","weekly":{"mon":[{"start":"9:00","end":"18:00"}]}}"#
        #expect {
            try decode(json)
        } throws: { error in
            guard case let .dataCorrupted(context) = error as? DecodingError else { return false }
            return RoutingFieldPath.render(context.codingPath) == "weekly.mon[0].start"
                && context.debugDescription.contains("HH:MM")
        }
    }

    @Test func rejectsUnknownKeys() {
        #expect(throws: RoutingConfigIssue(
            fieldPath: "weekly.monday", code: .unknownKey,
            message: "unknown key \"monday\"; allowed keys here: mon, tue, wed, thu, fri, sat, sun"
        )) {
            try decode(#"{"timezone":"UTC","weekly":{"monday":[]}}"#)
        }
        #expect(throws: RoutingConfigIssue.self) {
            try decode(#"{"timezone":"UTC","overrides":[{"date":"2026-10-01","close":true}]}"#)
        }
    }

    @Test func parsesClockTimes() {
        #expect(ServiceClockTime("00:00")?.minutes == 0)
        #expect(ServiceClockTime("09:30")?.minutes == 570)
        #expect(ServiceClockTime("24:00")?.minutes == 1440)
        for bad in ["9:00", "24:01", "25:00", "12:60", "ab:cd", "１２:００", "12:00 ", "", "-1:00"] {
            #expect(ServiceClockTime(bad) == nil, "\(bad)")
        }
        #expect(ServiceClockTime(minutes: 1441) == nil)
        #expect(ServiceClockTime(minutes: 545)?.description == "09:05")
    }

    @Test func parsesLocalDates() {
        #expect(ServiceLocalDate("2024-02-29") != nil)
        for bad in ["2026-02-29", "2026-1-01", "2026-13-01", "2026-04-31", "26-01-01", "2026/01/01", "0000-01-01"] {
            #expect(ServiceLocalDate(bad) == nil, "\(bad)")
        }
        let date = F.date("2026-10-01")
        #expect(date.description == "2026-10-01")
        #expect(ServiceLocalDate(dayNumber: date.dayNumber) == date)
        #expect(F.date("1970-01-01").dayNumber == 0)
        #expect(F.date("1969-12-31").dayNumber == -1)
        #expect(F.date("2026-01-05").weekday == .mon)
    }

    @Test func validationReportsFieldPaths() {
        let schedule = ServiceSchedule(
            timezone: "Asia/Shanghia",
            weekly: ServiceWeeklyHours([
                .mon: [F.window("24:00", "02:00")],
                .tue: [F.window("09:00", "12:00"), F.window("13:00", "13:00")],
            ]),
            overrides: [
                .closed(on: F.date("2026-10-01")),
                ServiceDateOverride(date: F.date("2026-10-01"), closed: true, windows: [F.window("10:00", "10:00")]),
                ServiceDateOverride(date: F.date("2026-10-02"), closed: false, windows: []),
            ]
        )
        let issues = schedule.validationIssues()
        #expect(issues.map(\.fieldPath) == [
            "service_hours.timezone",
            "service_hours.weekly.mon[0].start",
            "service_hours.weekly.tue[1].end",
            "service_hours.overrides[1].date",
            "service_hours.overrides[1]",
            "service_hours.overrides[1].windows[0].end",
            "service_hours.overrides[2].windows",
        ])
        #expect(issues.map(\.code) == [
            .invalidTimezone, .invalidWindow, .invalidWindow, .duplicateDate, .conflictingOverride, .invalidWindow, .empty,
        ])
        #expect(throws: issues[0]) { try schedule.validate() }
        #expect(schedule.validationIssues(fieldPath: "hours").first?.fieldPath == "hours.timezone")
    }

    @Test func validationLimitsCounts() {
        let many = (0..<25).map { _ in F.window("09:00", "10:00") }
        let schedule = F.schedule("UTC", [.wed: many])
        #expect(schedule.validationIssues().map(\.code) == [.tooMany])
        #expect(ServiceSchedule.alwaysOpen().validationIssues().isEmpty)
    }
}
