/// Who wrote a message in a session transcript.
public enum SenderKind: String, WireEnum {
    /// The visitor.
    case visitor
    /// The knowledge-base bot.
    case bot
    /// A human agent; `agent_id` says which.
    case agent
    /// Kefu itself (prompts such as the end phrase reply or the idle warning).
    case system
}
