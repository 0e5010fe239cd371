import Foundation

/// All routing settings, stored as snake_case JSON.
///
/// Decoding is strict about keys and lenient about presence: any key not listed in
/// this type (at any nesting level, except channel names) is rejected with an
/// `unknown_key` issue so admins' typos surface instead of silently using defaults,
/// while missing keys take their defaults. A `channels` object, when present,
/// replaces the default channel map entirely.
public struct RoutingSettings: Sendable, Hashable, Codable {
    /// Default out-of-service prompt.
    public static let defaultOutOfServicePrompt = "您好，当前不在人工客服服务时间。您可以直接留言，我们会在服务时间内尽快回复您。"

    /// Master switch for human service.
    public var humanServiceEnabled: Bool
    /// Settings per channel name (e.g. `web-pc`); see `channel(_:)` for unknown channels.
    public var channels: [String: RoutingChannelSettings]
    /// Human service hours.
    public var serviceHours: ServiceSchedule
    /// Queue settings.
    public var queue: RoutingQueueSettings
    /// Shown when a visitor asks for a human outside service hours (offers leaving a message);
    /// a template without variables, see `outOfServiceTemplate()`. The prompt of ``NoServiceReason/outOfHours``.
    public var outOfServicePrompt: String
    /// The prompts of the other ``NoServiceReason``s (switch off, channel off, nobody present, queue full,
    /// queue timeout), each a template without variables.
    public var noServicePrompts: NoServicePrompts
    /// Human-session settings.
    public var session: RoutingSessionSettings
    /// Whether visitors are asked to rate a finished session.
    public var ratingEnabled: Bool
    /// Words masked in visitor and agent messages (see `SensitiveWordMasker`).
    public var sensitiveWords: [String]
    /// File size limit and allowed types.
    public var files: RoutingFileSettings
    /// Whether an agent must write the summary (会话小结) of an ended human session before taking the next one.
    public var summaryRequired: Bool
    /// Skill groups (技能组) by id; empty: one queue served by every agent.
    public var groups: [String: RoutingGroupSettings]

    /// Creates settings; every parameter defaults to the standard value.
    public init(
        humanServiceEnabled: Bool = true,
        channels: [String: RoutingChannelSettings] = ["web-pc": .standard, "web-h5": .standard],
        serviceHours: ServiceSchedule = .alwaysOpen(timezone: "Asia/Shanghai"),
        queue: RoutingQueueSettings = RoutingQueueSettings(),
        outOfServicePrompt: String = defaultOutOfServicePrompt,
        noServicePrompts: NoServicePrompts = NoServicePrompts(),
        session: RoutingSessionSettings = RoutingSessionSettings(),
        ratingEnabled: Bool = false,
        sensitiveWords: [String] = [],
        files: RoutingFileSettings = RoutingFileSettings(),
        summaryRequired: Bool = false,
        groups: [String: RoutingGroupSettings] = [:]
    ) {
        self.humanServiceEnabled = humanServiceEnabled
        self.channels = channels
        self.serviceHours = serviceHours
        self.queue = queue
        self.outOfServicePrompt = outOfServicePrompt
        self.noServicePrompts = noServicePrompts
        self.session = session
        self.ratingEnabled = ratingEnabled
        self.sensitiveWords = sensitiveWords
        self.files = files
        self.summaryRequired = summaryRequired
        self.groups = groups
    }

    /// Standard settings: human service on, `web-pc` and `web-h5` channels, open 24/7 in
    /// Asia/Shanghai, rating off, no sensitive words.
    public static let defaults = RoutingSettings()

    /// Settings for `name`, falling back to `RoutingChannelSettings.standard` for channels
    /// without explicit settings (e.g. a newly added connector).
    public func channel(_ name: String) -> RoutingChannelSettings {
        channels[name] ?? .standard
    }

    /// Parses `outOfServicePrompt` as a template without variables (`{{`/`}}` for literal braces).
    public func outOfServiceTemplate() throws(PromptTemplateError) -> PromptTemplate {
        try PromptTemplate(outOfServicePrompt, allowedVariables: [])
    }

    /// Builds a masker for `sensitiveWords`.
    public func makeSensitiveWordMasker() -> SensitiveWordMasker {
        SensitiveWordMasker(words: sensitiveWords)
    }

    /// Decodes JSON strictly (unknown keys rejected, missing keys defaulted) and validates it.
    public static func decode(jsonData: Data) throws(RoutingConfigIssue) -> RoutingSettings {
        let settings: RoutingSettings
        do {
            settings = try JSONDecoder().decode(RoutingSettings.self, from: jsonData)
        } catch {
            throw RoutingConfigIssue.fromDecoding(error)
        }
        try settings.validate()
        return settings
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case humanServiceEnabled = "human_service_enabled"
        case channels
        case serviceHours = "service_hours"
        case queue
        case outOfServicePrompt = "out_of_service_prompt"
        case noServicePrompts = "no_service_prompts"
        case session
        case ratingEnabled = "rating_enabled"
        case sensitiveWords = "sensitive_words"
        case files
        case summaryRequired = "summary_required"
        case groups
    }

    /// Strict decoding; see the type documentation.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        humanServiceEnabled = try container.decode(.humanServiceEnabled, default: defaults.humanServiceEnabled)
        channels = try container.decode(.channels, default: defaults.channels)
        serviceHours = try container.decode(.serviceHours, default: defaults.serviceHours)
        queue = try container.decode(.queue, default: defaults.queue)
        outOfServicePrompt = try container.decode(.outOfServicePrompt, default: defaults.outOfServicePrompt)
        noServicePrompts = try container.decode(.noServicePrompts, default: defaults.noServicePrompts)
        session = try container.decode(.session, default: defaults.session)
        ratingEnabled = try container.decode(.ratingEnabled, default: defaults.ratingEnabled)
        sensitiveWords = try container.decode(.sensitiveWords, default: defaults.sensitiveWords)
        files = try container.decode(.files, default: defaults.files)
        summaryRequired = try container.decode(.summaryRequired, default: defaults.summaryRequired)
        groups = try container.decode(.groups, default: [:])
    }
}
