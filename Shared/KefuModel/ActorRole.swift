/// Who is asking, as the gateway authenticated them; services enforce their own permissions on it.
public enum ActorRole: String, WireEnum {
    /// A visitor with a visitor token.
    case visitor
    /// An agent (客服).
    case agent
    /// An admin (管理员), who is also an agent.
    case admin
    /// A supervisor (主管): sees the monitor and any session read-only, transfers and ends any session; no settings.
    case supervisor
    /// Another service or an operator tool.
    case service
}

/// The authenticated caller of a ``QueryRequest``.
public struct Actor: Codable, Sendable, Equatable, Hashable {
    /// The caller's role.
    public var role: ActorRole
    /// The agent or admin account, for those roles.
    public var agentID: AgentID?
    /// The visitor's channel, for visitors.
    public var channel: String?
    /// The visitor's id, for visitors.
    public var visitorID: String?

    /// Creates an actor.
    public init(role: ActorRole, agentID: AgentID? = nil, channel: String? = nil, visitorID: String? = nil) {
        self.role = role
        self.agentID = agentID
        self.channel = channel
        self.visitorID = visitorID
    }

    /// An agent or admin actor.
    public static func staff(_ agentID: AgentID, admin: Bool) -> Actor {
        Actor(role: admin ? .admin : .agent, agentID: agentID)
    }

    enum CodingKeys: String, CodingKey {
        case role, channel
        case agentID = "agent_id"
        case visitorID = "visitor_id"
    }

    /// Checks that agents and admins carry `agent_id` and visitors `channel` and `visitor_id`.
    public func validate(field: String) throws(ContractError) {
        switch role {
        case .agent, .admin, .supervisor:
            if agentID == nil { throw .missingField(field + ".agent_id") }
        case .visitor:
            guard let channel else { throw .missingField(field + ".channel") }
            guard let visitorID else { throw .missingField(field + ".visitor_id") }
            try FieldRules.channel(channel, field: field + ".channel")
            try FieldRules.token(visitorID, field: field + ".visitor_id")
        case .service:
            break
        }
    }
}
