/// Human-session settings (JSON key `session`).
public struct RoutingSessionSettings: Sendable, Hashable, Codable {
    /// Default idle-warning prompt.
    public static let defaultIdleWarningPrompt = "您已有一段时间未回复，如{remaining}内仍未回复，本次会话将自动结束。"

    /// Visitor messages that end the session.
    public var endPhrases: [String]
    /// Seconds of visitor silence before the session ends; 0 turns this off, otherwise 60...86,400.
    public var idleTimeoutSeconds: Int
    /// Seconds before the idle timeout at which the warning is sent; 0 = no warning,
    /// otherwise less than `idleTimeoutSeconds`.
    public var idleWarningSeconds: Int
    /// Warning text; variable `{minutes}` = minutes left before the session ends.
    public var idleWarningPrompt: String
    /// Seconds an agent may be disconnected before being treated as away (0...3,600).
    public var presenceGraceSeconds: Int
    /// How `endPhrases` match a message.
    public var endPhrasesMatch: KeywordMatchMode

    /// Creates session settings with standard defaults.
    public init(
        endPhrases: [String] = ["结束会话", "再见"],
        idleTimeoutSeconds: Int = 600,
        idleWarningSeconds: Int = 60,
        idleWarningPrompt: String = defaultIdleWarningPrompt,
        presenceGraceSeconds: Int = 60,
        endPhrasesMatch: KeywordMatchMode = .wholeMessage
    ) {
        self.endPhrases = endPhrases
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.idleWarningSeconds = idleWarningSeconds
        self.idleWarningPrompt = idleWarningPrompt
        self.presenceGraceSeconds = presenceGraceSeconds
        self.endPhrasesMatch = endPhrasesMatch
    }

    /// Parses `idleWarningPrompt` as a template with `{minutes}`.
    public func idleWarningTemplate() throws(PromptTemplateError) -> PromptTemplate {
        try PromptTemplate(idleWarningPrompt, allowedVariables: PromptTemplate.idleWarningVariables)
    }

    /// Minutes to announce in the idle warning (`idleWarningSeconds` rounded up, at least 1).
    public var idleWarningMinutes: Int { max((idleWarningSeconds + 59) / 60, 1) }

    /// The idle warning as sent, naming the time really left: `{remaining}` is `idleWarningSeconds` exactly
    /// ("30秒", "1分30秒", "2分钟"), `{minutes}` the whole minutes. A prompt written with `{minutes}` whose
    /// warning time is not whole minutes would promise a wrong time ("如1分钟内" with 30 s left), so the
    /// default prompt (with `{remaining}`) is sent instead.
    public func idleWarningText() -> String {
        var template = try? idleWarningTemplate()
        if template?.variables.contains("minutes") == true, idleWarningSeconds % 60 != 0 {
            template = try? PromptTemplate(Self.defaultIdleWarningPrompt, allowedVariables: PromptTemplate.idleWarningVariables)
        }
        return template?.render([
            "minutes": .integer(idleWarningMinutes),
            "remaining": .text(PromptDurationFormatter.exact(seconds: idleWarningSeconds)),
        ]) ?? idleWarningPrompt
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case endPhrases = "end_phrases"
        case idleTimeoutSeconds = "idle_timeout_seconds"
        case idleWarningSeconds = "idle_warning_seconds"
        case idleWarningPrompt = "idle_warning_prompt"
        case presenceGraceSeconds = "presence_grace_seconds"
        case endPhrasesMatch = "end_phrases_match"
    }

    /// Missing keys take their defaults.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        endPhrases = try container.decode(.endPhrases, default: defaults.endPhrases)
        idleTimeoutSeconds = try container.decode(.idleTimeoutSeconds, default: defaults.idleTimeoutSeconds)
        idleWarningSeconds = try container.decode(.idleWarningSeconds, default: defaults.idleWarningSeconds)
        idleWarningPrompt = try container.decode(.idleWarningPrompt, default: defaults.idleWarningPrompt)
        presenceGraceSeconds = try container.decode(.presenceGraceSeconds, default: defaults.presenceGraceSeconds)
        endPhrasesMatch = try container.decode(.endPhrasesMatch, default: defaults.endPhrasesMatch)
    }
}
