/// Which visitor action a ``VisitorAction`` entry is.
public protocol VisitorActionKind: Sendable {
    /// The entry type of the action.
    static var eventType: EventType { get }
}

/// `visitor.request_human` v1 (inbound): the visitor pressed "transfer to human" (转人工).
///
/// Transfer keywords typed by the visitor are detected by routing from `visitor.message`.
public enum RequestHumanAction: VisitorActionKind {
    public static let eventType = EventType.visitorRequestHuman
}

/// `visitor.end` v1 (inbound): the visitor pressed the end button (H5 or PC).
///
/// The configured end phrase (用户主动结束语) is detected by routing from `visitor.message`.
public enum EndAction: VisitorActionKind {
    public static let eventType = EventType.visitorEnd
}

/// `visitor.exit_queue` v1 (inbound): the visitor chose to leave the queue.
///
/// Exit keywords (退出排队) are detected by routing from `visitor.message`.
public enum ExitQueueAction: VisitorActionKind {
    public static let eventType = EventType.visitorExitQueue
}

/// `visitor.request_human` v1: the visitor asked for a human agent.
public typealias VisitorRequestHuman = VisitorAction<RequestHumanAction>
/// `visitor.end` v1: the visitor ended the session with the end button.
public typealias VisitorEnd = VisitorAction<EndAction>
/// `visitor.exit_queue` v1: the visitor left the queue.
public typealias VisitorExitQueue = VisitorAction<ExitQueueAction>

/// A visitor action that carries nothing but who did it: channel, visitor and the session the producer
/// believes is current.
public struct VisitorAction<Kind: VisitorActionKind>: VisitorScoped {
    /// The entry type.
    public static var eventType: EventType { Kind.eventType }
    /// The data version.
    public static var version: Int { 1 }

    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// The session the producer believes is current.
    public var sessionHint: SessionID?
    /// `visitor.request_human` only: the skill group of the entry the widget was opened from (`data-group`,
    /// H5 `?group=`); routing refuses an empty or unknown one with `unknown_group`.
    public var group: String?
    /// `visitor.request_human` only: the producer's priority for the visitor, 0 (normal) to 9 (most urgent),
    /// as on `visitor.message` (a signed identity's, or a connector's).
    public var priority: Int?

    /// Creates the payload.
    public init(channel: String, visitorID: String, sessionHint: SessionID? = nil, group: String? = nil, priority: Int? = nil) {
        self.channel = channel
        self.visitorID = visitorID
        self.sessionHint = sessionHint
        self.group = group
        self.priority = priority
    }

    enum CodingKeys: String, CodingKey {
        case channel, group, priority
        case visitorID = "visitor_id"
        case sessionHint = "session_hint"
    }

    /// Checks channel and visitor id.
    public func validate() throws(ContractError) {
        try validateVisitor()
        if let group { try FieldRules.shortText(group, field: "group", maxLength: 64) }
        if let priority { try FieldRules.integer(priority, in: 0...9, field: "priority") }
    }
}
