/// An agent's availability.
public enum AgentStatus: String, WireEnum {
    /// 在线: receives new sessions automatically.
    case online
    /// 停止接入: keeps current sessions, gets no new ones.
    case stopAccepting = "stop_accepting"
    /// Logged out.
    case offline
}
