import Foundation
import KefuModel

/// A staff role.
public enum StaffRole: String, Codable, Sendable {
    /// 客服.
    case agent
    /// 管理员 (also an agent).
    case admin
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
    var actor: Actor { .staff(agentID, admin: role == .admin) }
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
