/// `supervisor.end_session` v1 (commands): a supervisor or admin ends any open session from the monitor (监控).
public struct SupervisorEndSession: EventPayload {
    /// The entry type.
    public static let eventType = EventType.supervisorEndSession
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The supervisor or admin ending it.
    public var supervisorID: AgentID

    /// Creates the payload.
    public init(sessionID: SessionID, supervisorID: AgentID) {
        self.sessionID = sessionID
        self.supervisorID = supervisorID
    }

    enum CodingKeys: String, CodingKey {
        case sessionID = "session_id"
        case supervisorID = "supervisor_id"
    }

    /// Nothing beyond the JSON shape to check.
    public func validate() throws(ContractError) {}
}
