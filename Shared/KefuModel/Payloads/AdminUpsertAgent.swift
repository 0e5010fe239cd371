/// `admin.upsert_agent` v1 (commands): the gateway tells routing about an agent account it created or changed.
///
/// Routing keeps the display name, the auto-accept capacity (自动接入人数) and whether the account may
/// receive sessions; lowering the capacity never takes sessions away, it only stops new ones.
public struct AdminUpsertAgent: EventPayload {
    /// The entry type.
    public static let eventType = EventType.adminUpsertAgent
    /// The data version.
    public static let version = 1

    /// The admin making the change.
    public var actorID: AgentID
    /// The agent account.
    public var agentID: AgentID
    /// The display name shown to visitors.
    public var name: String
    /// The auto-accept capacity, 0–50 (0: never assigned automatically).
    public var capacity: Int
    /// False for a disabled account: it goes offline and its sessions are re-queued.
    public var enabled: Bool
    /// The skill groups the agent serves, replacing the old list; absent: unchanged. Routing refuses an
    /// unknown or empty id (`unknown_group`) and an empty list while groups exist (`agent_in_no_group`).
    public var groups: [String]?

    /// Creates the payload.
    public init(actorID: AgentID, agentID: AgentID, name: String, capacity: Int, enabled: Bool, groups: [String]? = nil) {
        self.actorID = actorID
        self.agentID = agentID
        self.name = name
        self.capacity = capacity
        self.enabled = enabled
        self.groups = groups
    }

    enum CodingKeys: String, CodingKey {
        case name, capacity, enabled, groups
        case actorID = "actor_id"
        case agentID = "agent_id"
    }

    /// Checks the name and the capacity range.
    public func validate() throws(ContractError) {
        try FieldRules.text(name, field: "name", maxLength: FieldRules.maxNameLength)
        try FieldRules.integer(capacity, in: 0...50, field: "capacity")
        if let groups {
            try FieldRules.integer(groups.count, in: 0...50, field: "groups")
            for group in groups { try FieldRules.shortText(group, field: "groups", maxLength: 64) }
        }
    }
}
