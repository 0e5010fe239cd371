import Foundation
import KefuModel
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test("formats with milliseconds and Z")
    func format() {
        #expect(Timestamp(millisecondsSince1970: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSince1970: 1_795_593_600_123).rfc3339 == "2026-11-25T08:00:00.123Z")
        #expect(Timestamp(millisecondsSince1970: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(millisecondsSince1970: 951_782_400_000).rfc3339 == "2000-02-29T00:00:00.000Z")
    }

    @Test("parses 0 to 9 fraction digits, truncating to milliseconds", arguments: [
        ("2026-11-25T08:00:00Z", Int64(1_795_593_600_000)),
        ("2026-11-25T08:00:00.1Z", 1_795_593_600_100),
        ("2026-11-25T08:00:00.123Z", 1_795_593_600_123),
        ("2026-11-25T08:00:00.123999999Z", 1_795_593_600_123),
    ])
    func parse(text: String, millis: Int64) {
        #expect(Timestamp(rfc3339: text)?.millisecondsSince1970 == millis)
    }

    @Test("rejects other forms", arguments: [
        "2026-11-25T08:00:00", "2026-11-25T08:00:00.Z", "2026-11-25t08:00:00Z", "2026-11-25T08:00:00+00:00",
        "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T08:00:60Z",
        "2026-11-25T08:00:00.1234567890Z", "２０２６-11-25T08:00:00Z",
    ])
    func reject(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("round trips through Date at millisecond precision")
    func dateRoundTrip() {
        let stamp = Timestamp(millisecondsSince1970: 1_795_593_600_123)
        #expect(Timestamp(stamp.date) == stamp)
        #expect(Timestamp(rfc3339: stamp.rfc3339) == stamp)
    }

    @Test("every day of a leap cycle formats and parses back")
    func civilCalendar() {
        for day in stride(from: Int64(-800), to: 146_097 + 800, by: 1) {
            let stamp = Timestamp(millisecondsSince1970: day * 86_400_000 + 45_296_789)
            #expect(Timestamp(rfc3339: stamp.rfc3339) == stamp)
        }
    }
}

@Suite("Timestamp formatting across the range")
struct TimestampRangeTests {
    @Test("formats years 1 to 9999 with zero padding, and falls back outside")
    func range() {
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00.000Z")?.rfc3339 == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp(rfc3339: "0999-12-31T23:59:59.999Z")?.rfc3339 == "0999-12-31T23:59:59.999Z")
        #expect(Timestamp(rfc3339: "9999-12-31T23:59:59.007Z")?.rfc3339 == "9999-12-31T23:59:59.007Z")
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.999Z")?.millisecondsSince1970 == -1)
        #expect(Timestamp(millisecondsSince1970: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
    }
}
