/// Queue settings (JSON key `queue`).
public struct RoutingQueueSettings: Sendable, Hashable, Codable {
    /// Default queue prompt.
    public static let defaultPrompt = "您前面还有{ahead}人，当前排第{position}位，预计等待{eta}。回复“退出排队”可离开队列。"

    /// Prompt shown to queued visitors; variables `{position}`, `{ahead}`, `{eta}`.
    public var prompt: String
    /// Messages that leave the queue.
    public var exitKeywords: [String]
    /// Maximum number of queued visitors (1...10,000).
    public var maxLength: Int
    /// Seconds after which a queued visitor is dropped (30...86,400).
    public var timeoutSeconds: Int
    /// Whether visitors may queue during service hours while no agent is present: they then wait for the
    /// first agent, or until `timeoutSeconds` (then leave-a-message is offered). Off: they get the
    /// `nobody_present` prompt at once.
    public var waitWithoutAgents: Bool
    /// How `exitKeywords` match a message.
    public var exitKeywordsMatch: KeywordMatchMode

    /// Creates queue settings with standard defaults.
    public init(
        prompt: String = defaultPrompt,
        exitKeywords: [String] = ["退出排队"],
        maxLength: Int = 200,
        timeoutSeconds: Int = 1_800,
        waitWithoutAgents: Bool = false,
        exitKeywordsMatch: KeywordMatchMode = .wholeMessage
    ) {
        self.prompt = prompt
        self.exitKeywords = exitKeywords
        self.maxLength = maxLength
        self.timeoutSeconds = timeoutSeconds
        self.waitWithoutAgents = waitWithoutAgents
        self.exitKeywordsMatch = exitKeywordsMatch
    }

    /// Parses `prompt` as a template with the queue variables.
    public func promptTemplate() throws(PromptTemplateError) -> PromptTemplate {
        try PromptTemplate(prompt, allowedVariables: PromptTemplate.queueVariables)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case prompt
        case exitKeywords = "exit_keywords"
        case maxLength = "max_length"
        case timeoutSeconds = "timeout_seconds"
        case waitWithoutAgents = "wait_without_agents"
        case exitKeywordsMatch = "exit_keywords_match"
    }

    /// Missing keys take their defaults.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        prompt = try container.decode(.prompt, default: defaults.prompt)
        exitKeywords = try container.decode(.exitKeywords, default: defaults.exitKeywords)
        maxLength = try container.decode(.maxLength, default: defaults.maxLength)
        timeoutSeconds = try container.decode(.timeoutSeconds, default: defaults.timeoutSeconds)
        waitWithoutAgents = try container.decode(.waitWithoutAgents, default: defaults.waitWithoutAgents)
        exitKeywordsMatch = try container.decode(.exitKeywordsMatch, default: defaults.exitKeywordsMatch)
    }
}
