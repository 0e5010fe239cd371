import Foundation
import KefuModel

/// A staff role.
public enum StaffRole: String, Codable, Sendable {
    /// 客服.
    case agent
    /// 管理员 (also an agent).
    case admin
    /// 主管: watches the monitor (监控), reads any session, transfers and ends sessions; no settings.
    case supervisor

    /// Whether the role may see the monitor and act on any session.
    var mayMonitor: Bool { self == .admin || self == .supervisor }

    /// The role on streams.
    var actorRole: ActorRole {
        switch self {
        case .agent: .agent
        case .admin: .admin
        case .supervisor: .supervisor
        }
    }
}

/// An authenticated agent or admin, from an access token.
struct StaffIdentity: Sendable, Equatable {
    /// The account, also the AgentID on streams.
    var agentID: AgentID
    /// The role.
    var role: StaffRole
    /// The display name.
    var name: String
    /// The login family of the token (logout revokes it).
    var family: UUID

    /// The actor for queries and commands.
    var actor: Actor { Actor(role: role.actorRole, agentID: agentID) }
}

/// Whoever made a request.
enum Principal: Sendable {
    /// A visitor with a signed visitor token.
    case visitor(VisitorToken)
    /// An agent or admin with an access token.
    case staff(StaffIdentity)

    /// The actor for queries and commands.
    var actor: Actor {
        switch self {
        case .visitor(let token): Actor(role: .visitor, channel: token.channel, visitorID: token.visitorID)
        case .staff(let staff): staff.actor
        }
    }
}
