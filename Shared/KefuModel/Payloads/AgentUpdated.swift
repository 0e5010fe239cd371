/// `agent.updated` v1 (events): an agent's status, presence, capacity or load changed.
///
/// The workbench shows it; reporting derives online time from it.
public struct AgentUpdated: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentUpdated
    /// The data version.
    public static let version = 1

    /// The agent.
    public var agentID: AgentID
    /// The display name.
    public var name: String
    /// The chosen status.
    public var status: AgentStatus
    /// Whether a workbench is connected (heartbeat not expired).
    public var present: Bool
    /// The auto-accept capacity (自动接入人数).
    public var capacity: Int
    /// The sessions the agent serves now.
    public var load: Int
    /// Whether the account may work (false once an admin disabled it: its sockets are closed); absent in
    /// entries written before this field existed.
    public var enabled: Bool?

    /// Creates the payload.
    public init(agentID: AgentID, name: String, status: AgentStatus, present: Bool, capacity: Int, load: Int, enabled: Bool? = nil) {
        self.agentID = agentID
        self.name = name
        self.status = status
        self.present = present
        self.capacity = capacity
        self.load = load
        self.enabled = enabled
    }

    enum CodingKeys: String, CodingKey {
        case name, status, present, capacity, load, enabled
        case agentID = "agent_id"
    }

    /// Checks the name and the counts.
    public func validate() throws(ContractError) {
        try FieldRules.text(name, field: "name", maxLength: FieldRules.maxNameLength)
        try FieldRules.integer(capacity, in: 0...50, field: "capacity")
        try FieldRules.integer(load, in: 0...FieldRules.maxSafeInteger, field: "load")
    }
}
