/// `agent.set_status` v1 (commands): an agent switched between online (在线), stop accepting (停止接入)
/// and offline.
public struct AgentSetStatus: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentSetStatus
    /// The data version.
    public static let version = 1

    /// The agent.
    public var agentID: AgentID
    /// The new status.
    public var status: AgentStatus

    /// Creates the payload.
    public init(agentID: AgentID, status: AgentStatus) {
        self.agentID = agentID
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case status
        case agentID = "agent_id"
    }

    /// Nothing beyond the JSON shape to check.
    public func validate() throws(ContractError) {}
}
