/// Day of the week, Monday first; raw values are the JSON keys.
public enum ServiceWeekday: String, Sendable, Hashable, CaseIterable, Codable {
    case mon, tue, wed, thu, fri, sat, sun

    /// Weekday of the day `dayNumber` days after 1970-01-01 (a Thursday).
    init(dayNumber: Int) {
        let index = ((dayNumber + 3) % 7 + 7) % 7
        self = Self.allCases[index]
    }
}

/// Service windows for each day of the week. Missing days in JSON mean "closed".
public struct ServiceWeeklyHours: Sendable, Hashable, Codable {
    private var windowsByDay: [ServiceWeekday: [ServiceWindow]]

    /// Creates weekly hours; days not listed are closed.
    public init(_ windowsByDay: [ServiceWeekday: [ServiceWindow]] = [:]) {
        self.windowsByDay = windowsByDay
    }

    /// The same windows on every listed day.
    public init(days: [ServiceWeekday], windows: [ServiceWindow]) {
        self.init(Dictionary(uniqueKeysWithValues: days.map { ($0, windows) }))
    }

    /// Windows of `day` (empty when closed).
    public subscript(day: ServiceWeekday) -> [ServiceWindow] {
        get { windowsByDay[day] ?? [] }
        set { windowsByDay[day] = newValue.isEmpty ? nil : newValue }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        ServiceWeekday.allCases.allSatisfy { lhs[$0] == rhs[$0] }
    }

    public func hash(into hasher: inout Hasher) {
        for day in ServiceWeekday.allCases { hasher.combine(self[day]) }
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: ServiceWeekday.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: RoutingAnyCodingKey.self)
        var result: [ServiceWeekday: [ServiceWindow]] = [:]
        for day in ServiceWeekday.allCases {
            let key = RoutingAnyCodingKey(stringValue: day.rawValue)
            let windows = try container.decodeIfPresent([ServiceWindow].self, forKey: key) ?? []
            if !windows.isEmpty { result[day] = windows }
        }
        windowsByDay = result
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RoutingAnyCodingKey.self)
        for day in ServiceWeekday.allCases {
            try container.encode(self[day], forKey: RoutingAnyCodingKey(stringValue: day.rawValue))
        }
    }
}

/// A date-specific exception to the weekly hours, e.g. a public holiday.
///
/// Either `closed` is `true` (no own windows that day) or `windows` replaces that
/// weekday's windows. A window that starts on the previous day and crosses midnight
/// still applies on an override day: windows belong to the day they start.
public struct ServiceDateOverride: Sendable, Hashable, Codable {
    /// Local date the override applies to.
    public var date: ServiceLocalDate
    /// `true` for a closed day (holiday).
    public var closed: Bool
    /// Replacement windows for that day (ignored when `closed`).
    public var windows: [ServiceWindow]

    /// Creates an override; prefer `closed(on:)` and `special(on:windows:)`.
    public init(date: ServiceLocalDate, closed: Bool, windows: [ServiceWindow]) {
        self.date = date
        self.closed = closed
        self.windows = windows
    }

    /// A closed day.
    public static func closed(on date: ServiceLocalDate) -> Self {
        Self(date: date, closed: true, windows: [])
    }

    /// A day with special windows.
    public static func special(on date: ServiceLocalDate, windows: [ServiceWindow]) -> Self {
        Self(date: date, closed: false, windows: windows)
    }

    /// Windows in effect for the day itself.
    var effectiveWindows: [ServiceWindow] { closed ? [] : windows }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case date, closed, windows
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        date = try container.decode(ServiceLocalDate.self, forKey: .date)
        closed = try container.decode(.closed, default: false)
        windows = try container.decode(.windows, default: [])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(date, forKey: .date)
        if closed { try container.encode(true, forKey: .closed) }
        if !closed || !windows.isEmpty { try container.encode(windows, forKey: .windows) }
    }
}
