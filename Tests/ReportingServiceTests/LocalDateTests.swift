import ReportingService
import Testing

@Suite struct LocalDateTests {
    @Test(arguments: ["2026-11-25", "2024-02-29", "1970-01-01", "9999-12-31"])
    func acceptsCalendarDates(_ text: String) {
        #expect(LocalDate(text)?.description == text)
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-5", "26-11-25", "2026/11/25", "", "2026-11-25T00:00",
                      "1969-12-31", "２０２６-11-25", "2100-02-29"])
    func rejectsEverythingElse(_ text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test func countsDaysAndOrders() throws {
        let start = try #require(LocalDate("2024-02-28"))
        let end = try #require(LocalDate("2024-03-01"))
        #expect(start.days(through: end) == 3)
        #expect(start < end)
        #expect(try #require(LocalDate("1970-01-02")).dayNumber == 1)
        #expect(try #require(LocalDate("2026-11-25")).dayNumber == 20_782)
    }

    @Test func rangesRefuseFromAfterToAndSpansOverTheMaximum() throws {
        let a = try #require(LocalDate("2026-11-25"))
        let b = try #require(LocalDate("2026-11-01"))
        #expect(throws: QueryFailure.self) { try DateRange(from: a, to: b, timezone: "UTC") }
        #expect(throws: QueryFailure.self) { try DateRange(from: b, to: a, timezone: "UTC", maxDays: 10) }
        #expect(try DateRange(from: b, to: a, timezone: "UTC", maxDays: 25).days == 25)
    }
}
