/// Why a session ended.
public enum SessionEndReason: String, WireEnum {
    /// The visitor pressed the end button (`visitor.end`).
    case visitorButton = "visitor_button"
    /// The visitor sent the configured end phrase.
    case visitorPhrase = "visitor_phrase"
    /// An agent ended it (`agent.end_session`); `agent_id` says which.
    case agent
    /// Nobody wrote for the configured idle time.
    case idleTimeout = "idle_timeout"
    /// The visitor left the queue (exit keyword or `visitor.exit_queue`).
    case queueExit = "queue_exit"
    /// The visitor waited longer than the queue timeout.
    case queueTimeout = "queue_timeout"
    /// Human service was wanted but closed, full or unstaffed; the visitor was offered leave-a-message.
    case noService = "no_service"
}
