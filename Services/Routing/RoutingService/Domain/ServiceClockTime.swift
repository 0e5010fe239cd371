/// A wall-clock time of day with minute precision, written `"HH:MM"` (00:00–24:00).
///
/// `24:00` exists only to express "until the end of the day" and is valid only as a window end.
public struct ServiceClockTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Minutes since local midnight, 0...1440.
    public let minutes: Int

    /// Creates a time from minutes since midnight; `nil` outside 0...1440.
    public init?(minutes: Int) {
        guard (0...1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    /// 00:00, the start of the day.
    public static let startOfDay = ServiceClockTime(uncheckedMinutes: 0)
    /// 24:00, the end of the day (valid only as a window end).
    public static let endOfDay = ServiceClockTime(uncheckedMinutes: 1440)

    private init(uncheckedMinutes: Int) {
        minutes = uncheckedMinutes
    }

    /// Parses `"HH:MM"` (two-digit hour 00–24, two-digit minute 00–59, `24:00` only).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":") else { return nil }
        let digits = [bytes[0], bytes[1], bytes[3], bytes[4]].map { Int($0) - Int(UInt8(ascii: "0")) }
        guard digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        let hour = digits[0] * 10 + digits[1]
        let minute = digits[2] * 10 + digits[3]
        guard minute < 60, hour < 24 || (hour == 24 && minute == 0) else { return nil }
        self.minutes = hour * 60 + minute
    }

    /// `"HH:MM"` form.
    public var description: String {
        let hour = minutes / 60
        let minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.minutes < rhs.minutes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = ServiceClockTime(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "\"\(text)\" is not a time; use HH:MM between 00:00 and 24:00, e.g. \"09:30\""
            ))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A service window on one day. `end <= start` means the window crosses midnight
/// and ends on the next day (e.g. 22:00–02:00). `start == end` is invalid.
public struct ServiceWindow: Sendable, Hashable, Codable {
    /// Opening time (inclusive).
    public var start: ServiceClockTime
    /// Closing time (exclusive).
    public var end: ServiceClockTime

    /// Creates a window from parsed times.
    public init(start: ServiceClockTime, end: ServiceClockTime) {
        self.start = start
        self.end = end
    }

    /// Creates a window from `"HH:MM"` strings; `nil` if either does not parse.
    public init?(_ start: String, _ end: String) {
        guard let startTime = ServiceClockTime(start), let endTime = ServiceClockTime(end) else { return nil }
        self.init(start: startTime, end: endTime)
    }

    /// `true` when the window ends on the following day.
    public var crossesMidnight: Bool { end.minutes <= start.minutes }

    /// `true` when the window can be evaluated (start before 24:00 and start ≠ end).
    public var isUsable: Bool { start.minutes < 1440 && start != end }

    /// Open interval in minutes relative to the window's own day, end exclusive
    /// (may exceed 1440 for crossing windows); `nil` if unusable.
    var minuteRange: Range<Int>? {
        guard isUsable else { return nil }
        return start.minutes..<(crossesMidnight ? end.minutes + 1440 : end.minutes)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case start, end
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = try container.decode(ServiceClockTime.self, forKey: .start)
        end = try container.decode(ServiceClockTime.self, forKey: .end)
    }
}
