/// Per-channel routing settings (JSON keys in snake_case).
public struct RoutingChannelSettings: Sendable, Hashable, Codable {
    /// Default transfer keywords.
    public static let defaultTransferKeywords = ["人工", "转人工"]
    /// Default number of consecutive unanswered bot replies before offering a human.
    public static let defaultBotUnansweredLimit = 2

    /// Whether visitors on this channel may reach human agents.
    public var humanEnabled: Bool
    /// Messages that request a human agent (see `RoutingKeywordMatcher`).
    public var transferKeywords: [String]
    /// Unanswered bot replies before transferring automatically; `nil` turns this off.
    public var botUnansweredLimit: Int?
    /// Whether the "transfer to human" button is shown.
    public var transferButton: Bool
    /// Whether the "end conversation" button is shown.
    public var endButton: Bool
    /// How `transferKeywords` match a message.
    public var transferKeywordsMatch: KeywordMatchMode
    /// The priority of this channel's visitors in the queue, 0 (normal) to 9 (most urgent), unless a
    /// connector gives one on `visitor.message`.
    public var priority: Int

    /// Creates channel settings; every parameter defaults to the standard value.
    public init(
        humanEnabled: Bool = true,
        transferKeywords: [String] = defaultTransferKeywords,
        botUnansweredLimit: Int? = defaultBotUnansweredLimit,
        transferButton: Bool = true,
        endButton: Bool = true,
        transferKeywordsMatch: KeywordMatchMode = .wholeMessage,
        priority: Int = 0
    ) {
        self.humanEnabled = humanEnabled
        self.transferKeywords = transferKeywords
        self.botUnansweredLimit = botUnansweredLimit
        self.transferButton = transferButton
        self.endButton = endButton
        self.transferKeywordsMatch = transferKeywordsMatch
        self.priority = priority
    }

    /// Standard settings: human on, default keywords, limit 2, both buttons shown.
    /// Also used for channels without explicit settings (e.g. new connectors).
    public static let standard = RoutingChannelSettings()

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case humanEnabled = "human_enabled"
        case transferKeywords = "transfer_keywords"
        case botUnansweredLimit = "bot_unanswered_limit"
        case transferButton = "transfer_button"
        case endButton = "end_button"
        case transferKeywordsMatch = "transfer_keywords_match"
        case priority
    }

    /// Missing keys take their defaults; `"bot_unanswered_limit": null` turns the limit off.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        humanEnabled = try container.decode(.humanEnabled, default: true)
        transferKeywords = try container.decode(.transferKeywords, default: Self.defaultTransferKeywords)
        if container.contains(.botUnansweredLimit) {
            botUnansweredLimit = try container.decodeIfPresent(Int.self, forKey: .botUnansweredLimit)
        } else {
            botUnansweredLimit = Self.defaultBotUnansweredLimit
        }
        transferButton = try container.decode(.transferButton, default: true)
        endButton = try container.decode(.endButton, default: true)
        transferKeywordsMatch = try container.decode(.transferKeywordsMatch, default: .wholeMessage)
        priority = try container.decode(.priority, default: 0)
    }

    /// Always writes `bot_unanswered_limit`, as `null` when off, so a round trip keeps it off.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(humanEnabled, forKey: .humanEnabled)
        try container.encode(transferKeywords, forKey: .transferKeywords)
        if let botUnansweredLimit {
            try container.encode(botUnansweredLimit, forKey: .botUnansweredLimit)
        } else {
            try container.encodeNil(forKey: .botUnansweredLimit)
        }
        try container.encode(transferButton, forKey: .transferButton)
        try container.encode(endButton, forKey: .endButton)
        try container.encode(transferKeywordsMatch, forKey: .transferKeywordsMatch)
        try container.encode(priority, forKey: .priority)
    }
}
