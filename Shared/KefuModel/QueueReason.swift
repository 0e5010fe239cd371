/// Why a session joined the queue for a human agent.
public enum QueueReason: String, WireEnum {
    /// The visitor pressed "transfer to human" (`visitor.request_human`).
    case visitorRequest = "visitor_request"
    /// The visitor typed a transfer keyword such as 人工.
    case keyword
    /// The bot failed to answer the configured number of times in a row.
    case botFailures = "bot_failures"
    /// The session's agent vanished past the grace period; it is re-queued at the front.
    case agentGone = "agent_gone"
    /// An agent transferred the session to a skill group's queue.
    case transfer
    /// The session waited too long in its group's queue and moved to the group's overflow target.
    case overflow
}
