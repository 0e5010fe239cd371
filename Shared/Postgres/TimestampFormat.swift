import Foundation

/// Converts between `Date` and PostgreSQL timestamp text with microsecond precision, in UTC.
///
/// Encoding produces ISO 8601 (`2024-05-01T08:30:00.123456Z`). Decoding reads the server's
/// `DateStyle=ISO` output (`2024-05-01 08:30:00.123456+00`, offset optional for `timestamp`
/// columns, which are taken as UTC); `infinity` and `-infinity` map to `Date.distantFuture` and
/// `Date.distantPast`. `Date` is a `Double` of seconds since 2001, so whole microseconds are exact
/// only within about ±285 years of 2001; further out values are rounded to the nearest representable.
enum TimestampFormat {
    private static let unixEpochSinceReference: Int64 = 978_307_200
    private static let microsPerSecond: Int64 = 1_000_000
    private static let secondsPerDay: Int64 = 86_400

    /// Microseconds since 1970-01-01 UTC, rounded to the nearest microsecond.
    static func microseconds(of date: Date) -> Int64 {
        let sinceReference = (date.timeIntervalSinceReferenceDate * 1_000_000).rounded()
        return Int64(sinceReference) + unixEpochSinceReference * microsPerSecond
    }

    /// The date for microseconds since 1970-01-01 UTC.
    static func date(microseconds: Int64) -> Date {
        let sinceReference = microseconds - unixEpochSinceReference * microsPerSecond
        return Date(timeIntervalSinceReferenceDate: Double(sinceReference) / 1_000_000)
    }

    /// ISO 8601 text in UTC with six fractional digits.
    static func encode(_ date: Date) -> String {
        let micros = microseconds(of: date)
        let (days, microOfDay) = floorDivide(micros, secondsPerDay * microsPerSecond)
        let (year, month, day) = civil(fromDays: days)
        let seconds = microOfDay / microsPerSecond
        let fraction = microOfDay % microsPerSecond
        let time = pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
            + "." + pad(fraction, 6)
        if year <= 0 {
            return pad(1 - year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " " + time + "+00 BC"
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + time + "Z"
    }

    /// Parses server timestamp output; nil if the text is not a timestamp.
    static func decode(_ text: String) -> Date? {
        switch text {
        case "infinity": return .distantFuture
        case "-infinity": return .distantPast
        default: break
        }
        var scanner = ByteScanner(text)
        let isBC = scanner.stripSuffix(" BC")
        guard var year = scanner.number(minDigits: 4, maxDigits: 9), scanner.skip("-"),
            let month = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip("-"),
            let day = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip(" ") || scanner.skip("T"),
            let hour = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip(":"),
            let minute = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip(":"),
            let second = scanner.number(minDigits: 2, maxDigits: 2),
            (1...12).contains(month), (1...31).contains(day), hour < 25, minute < 60, second < 61
        else { return nil }
        var fraction: Int64 = 0
        if scanner.skip(".") {
            guard let digits = scanner.fractionMicros() else { return nil }
            fraction = digits
        }
        var offsetSeconds: Int64 = 0
        if !scanner.isAtEnd {
            guard let offset = scanner.utcOffset() else { return nil }
            offsetSeconds = offset
        }
        guard scanner.isAtEnd else { return nil }
        if isBC { year = 1 - year }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * secondsPerDay + hour * 3600 + minute * 60 + second - offsetSeconds
        return date(microseconds: seconds * microsPerSecond + fraction)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let quotient = a / b
        let remainder = a % b
        return remainder < 0 ? (quotient - 1, remainder + b) : (quotient, remainder)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date for days since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A tiny forward scanner over ASCII bytes for timestamp parsing.
private struct ByteScanner {
    private var bytes: ArraySlice<UInt8>

    init(_ text: String) {
        bytes = Array(text.utf8)[...]
    }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func stripSuffix(_ suffix: String) -> Bool {
        let tail = Array(suffix.utf8)
        guard bytes.count >= tail.count, Array(bytes.suffix(tail.count)) == tail else { return false }
        bytes.removeLast(tail.count)
        return true
    }

    mutating func skip(_ literal: Character) -> Bool {
        guard let ascii = literal.asciiValue, bytes.first == ascii else { return false }
        bytes.removeFirst()
        return true
    }

    mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
        var value: Int64 = 0
        var count = 0
        while count < maxDigits, let byte = bytes.first, (48...57).contains(byte) {
            value = value * 10 + Int64(byte - 48)
            count += 1
            bytes.removeFirst()
        }
        return count >= minDigits ? value : nil
    }

    /// Up to six fraction digits as microseconds; more digits are rejected.
    mutating func fractionMicros() -> Int64? {
        var value: Int64 = 0
        var count = 0
        while let byte = bytes.first, (48...57).contains(byte) {
            guard count < 6 else { return nil }
            value = value * 10 + Int64(byte - 48)
            count += 1
            bytes.removeFirst()
        }
        guard count > 0 else { return nil }
        for _ in count..<6 { value *= 10 }
        return value
    }

    /// `+HH`, `+HH:MM`, `+HH:MM:SS` (or `-`), or `Z`, in seconds east of UTC.
    mutating func utcOffset() -> Int64? {
        if skip("Z") { return 0 }
        let sign: Int64
        if skip("+") {
            sign = 1
        } else if skip("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = number(minDigits: 2, maxDigits: 2) else { return nil }
        var total = hours * 3600
        if skip(":") {
            guard let minutes = number(minDigits: 2, maxDigits: 2) else { return nil }
            total += minutes * 60
            if skip(":") {
                guard let seconds = number(minDigits: 2, maxDigits: 2) else { return nil }
                total += seconds
            }
        }
        return sign * total
    }
}
