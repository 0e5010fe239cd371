#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A UTC instant with millisecond precision, written on the wire as RFC 3339 with a `Z` suffix.
///
/// Encoding always writes three fraction digits (`2026-11-25T08:00:00.123Z`). Decoding accepts zero to
/// nine fraction digits and truncates to milliseconds; offsets other than `Z` are rejected.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millisecondsSince1970: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Creates a timestamp from a `Date`, rounded to the nearest millisecond.
    public init(_ date: Date) {
        millisecondsSince1970 = Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The current time.
    public static func now() -> Timestamp {
        Timestamp(Date())
    }

    /// The same instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000)
    }

    /// The RFC 3339 wire form, e.g. `2026-11-25T08:00:00.123Z`.
    public var rfc3339: String {
        let (days, msOfDay) = Self.floorDivMod(millisecondsSince1970, 86_400_000)
        let (year, month, day) = CivilDate.fromDays(days)
        let seconds = msOfDay / 1000
        guard (0...9999).contains(year) else {
            return Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
                + "T" + Self.pad(seconds / 3600, 2) + ":" + Self.pad(seconds / 60 % 60, 2) + ":" + Self.pad(seconds % 60, 2)
                + "." + Self.pad(msOfDay % 1000, 3) + "Z"
        }
        // Written into one buffer: this runs for every envelope encoded.
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int64, _ width: Int, at start: Int) {
                var value = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    out[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, 4, at: 0)
            out[4] = UInt8(ascii: "-")
            put(month, 2, at: 5)
            out[7] = UInt8(ascii: "-")
            put(day, 2, at: 8)
            out[10] = UInt8(ascii: "T")
            put(seconds / 3600, 2, at: 11)
            out[13] = UInt8(ascii: ":")
            put(seconds / 60 % 60, 2, at: 14)
            out[16] = UInt8(ascii: ":")
            put(seconds % 60, 2, at: 17)
            out[19] = UInt8(ascii: ".")
            put(msOfDay % 1000, 3, at: 20)
            out[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// The wire form.
    public var description: String { rfc3339 }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z`; returns nil for any other form or an impossible date.
    public init?(rfc3339 string: String) {
        let chars = Array(string.utf8)
        guard chars.count >= 20, chars.count != 21, chars.count <= 30, chars.last == UInt8(ascii: "Z") else { return nil }
        let separators: [(Int, UInt8)] = [(4, 45), (7, 45), (10, 84), (13, 58), (16, 58)]
        for (index, expected) in separators where chars[index] != expected { return nil }
        guard let year = Self.number(chars, 0..<4), let month = Self.number(chars, 5..<7),
              let day = Self.number(chars, 8..<10), let hour = Self.number(chars, 11..<13),
              let minute = Self.number(chars, 14..<16), let second = Self.number(chars, 17..<19)
        else { return nil }
        var millis: Int64 = 0
        if chars.count > 20 {
            guard chars[19] == UInt8(ascii: "."), let fraction = Self.number(chars, 20..<(chars.count - 1)) else { return nil }
            let digits = chars.count - 21
            millis = digits >= 3 ? fraction / Self.power(10, digits - 3) : fraction * Self.power(10, 3 - digits)
        } else if chars[19] != UInt8(ascii: "Z") {
            return nil
        }
        guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let days = CivilDate.toDays(year: year, month: month, day: day)
        millisecondsSince1970 = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis
    }

    /// Decodes the wire form, throwing ``ContractError/invalidField(_:reason:)`` with the field path.
    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Timestamp(rfc3339: string) else {
            throw ContractError.invalidField(
                FieldPath.render(decoder.codingPath),
                reason: "must be an RFC 3339 UTC time like 2026-11-25T08:00:00.123Z, got '\(string.prefix(40))'"
            )
        }
        self = parsed
    }

    /// Encodes the wire form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }

    /// Orders by instant.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    private static func number(_ chars: [UInt8], _ range: Range<Int>) -> Int64? {
        guard !range.isEmpty else { return nil }
        var value: Int64 = 0
        for index in range {
            let char = chars[index]
            guard char >= 48, char <= 57 else { return nil }
            value = value * 10 + Int64(char - 48)
        }
        return value
    }

    private static func power(_ base: Int64, _ exponent: Int) -> Int64 {
        (0..<exponent).reduce(1) { result, _ in result * base }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func floorDivMod(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's `days_from_civil` and its inverse).
enum CivilDate {
    /// Days since 1970-01-01 for a civil date.
    static func toDays(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func fromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Number of days in a month of a year.
    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
