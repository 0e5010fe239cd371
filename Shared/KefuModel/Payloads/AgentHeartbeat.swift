/// `agent.heartbeat` v1 (commands): the agent's workbench is connected; the gateway sends it periodically.
///
/// Routing treats the agent as present until `time + ttl_seconds`; an agent who is not present gets no new
/// sessions, and after the grace period their open sessions go back to the front of the queue.
public struct AgentHeartbeat: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentHeartbeat
    /// The data version.
    public static let version = 1

    /// The agent.
    public var agentID: AgentID
    /// How long the presence lasts without another heartbeat, 5–300 seconds.
    public var ttlSeconds: Int

    /// Creates the payload.
    public init(agentID: AgentID, ttlSeconds: Int) {
        self.agentID = agentID
        self.ttlSeconds = ttlSeconds
    }

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id"
        case ttlSeconds = "ttl_seconds"
    }

    /// Checks the TTL range.
    public func validate() throws(ContractError) {
        try FieldRules.integer(ttlSeconds, in: 5...300, field: "ttl_seconds")
    }
}
